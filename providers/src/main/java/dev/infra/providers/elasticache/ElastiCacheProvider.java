package dev.infra.providers.elasticache;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.ProviderSupport;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.GlobalReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.Tag;

/**
 * What the ElastiCache types share: the client, ElastiCache's NotFound codes ({@code ReplicationGroupNotFoundFault},
 * {@code CacheSubnetGroupNotFoundFault}, {@code CacheClusterNotFound}), and tags. ElastiCache's describe calls have
 * no tag filter and report no tags, so a stack's resources come from one GetResources call of the Resource Groups
 * Tagging API for all of ElastiCache (tags included), of which each type keeps its own ARNs
 * ({@code arn:aws:elasticache:<region>:<account>:<kind>:<name>}); a single resource's tags come from
 * ListTagsForResource. Tags are given at creation, then changed with AddTagsToResource / RemoveTagsFromResource.
 *
 * <p>Global Datastores (global replication groups) are the account's, not a Region's: DescribeGlobalReplicationGroups
 * answers for them in any Region, which is how a secondary's Region follows its datastore.
 */
public abstract class ElastiCacheProvider extends AwsResourceProvider {

    /** Statuses of a Global Datastore ready for use and changes: with secondaries, or with its primary only. */
    protected static final Set<String> GLOBAL_READY = Set.of("available", "primary-only");
    protected static final String INVALID_GLOBAL_STATE = "InvalidGlobalReplicationGroupState";
    protected static final String PRIMARY = "PRIMARY";
    protected static final String SECONDARY = "SECONDARY";

    private final String arnKind;

    /**
     * @param arnKind how ARNs name the type: {@code subnetgroup}, {@code replicationgroup}
     */
    protected ElastiCacheProvider(AwsClients clients, ResourceType entry, String arnKind) {
        super(clients, entry);
        this.arnKind = ":" + arnKind + ":";
    }

    protected final ElastiCacheClient elasticache() {
        return clients().client(ElastiCacheClient.class, ElastiCacheClient::builder);
    }

    /** The ElastiCache client for creates: it retries only what AWS did not run (see {@link #createOnce}). */
    protected final ElastiCacheClient elasticacheForCreates() {
        return clients().forCreates(ElastiCacheClient.class, ElastiCacheClient::builder);
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return e.isNotFound() || (e.code() != null && e.code().endsWith("NotFoundFault"));
    }

    /** Name → tags of this type's resources tagged with {@code stack}: one GetResources call. */
    protected final Map<String, Map<String, String>> stackTags(String stack) {
        Map<String, Map<String, String>> out = new TreeMap<>();
        taggedResources("elasticache", Map.of(STACK_TAG, stack)).forEach((arn, tags) -> {
            int at = arn.indexOf(arnKind);
            if (at >= 0) {
                out.put(arn.substring(at + arnKind.length()), tags);
            }
        });
        return out;
    }

    /** The Global Datastore with this id, with its members; empty when ElastiCache does not know it. */
    protected final Optional<GlobalReplicationGroup> describeGlobal(String id) {
        return ProviderSupport.unless(this::isGone, () -> call("DescribeGlobalReplicationGroups",
                        () -> elasticache().describeGlobalReplicationGroups(b -> b.globalReplicationGroupId(id)
                                .showMemberInfo(true)))
                .globalReplicationGroups().stream().findFirst());
    }

    /** Whether a member role AWS reports ({@code PRIMARY}, {@code primary}…) is {@code role}. */
    protected static boolean isRole(String reported, String role) {
        return role.equalsIgnoreCase(reported);
    }

    protected final Map<String, String> tagsOf(String arn) {
        Map<String, String> tags = new TreeMap<>();
        call("ListTagsForResource", () -> elasticache().listTagsForResource(b -> b.resourceName(arn)))
                .tagList().forEach(t -> tags.put(t.key(), t.value()));
        return tags;
    }

    /** Brings the tags of the resource with this ARN from {@code now}'s to the spec's, when {@code changed} names them. */
    protected final void updateTags(LiveResource now, ResourceSpec spec, Set<String> changed, String arn) {
        updateTags(now, spec, changed,
                t -> call("AddTagsToResource", () -> elasticache().addTagsToResource(b -> b.resourceName(arn).tags(cacheTags(t)))),
                keys -> call("RemoveTagsFromResource",
                        () -> elasticache().removeTagsFromResource(b -> b.resourceName(arn).tagKeys(keys))));
    }

    protected static List<Tag> cacheTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(Objects.toString(e.getValue(), "")).build())
                .toList();
    }
}
