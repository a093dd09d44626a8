package dev.infra.providers.elasticache;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.elasticache.model.CacheSubnetGroup;
import software.amazon.awssdk.services.elasticache.model.Subnet;

/**
 * {@code aws_elasticache_subnet_group} (id: the group name): name, description, subnetIds (set), tags. Created with
 * its tags (CreateCacheSubnetGroup); description and subnets change with ModifyCacheSubnetGroup.
 *
 * <p>readAll: one GetResources call for the stack's ElastiCache resources, then one DescribeCacheSubnetGroups (all
 * pages) when any is a subnet group: 2 calls. Ids of state it misses cost a DescribeCacheSubnetGroups and a
 * ListTagsForResource each. Delete retries while AWS says the group is in use (a replication group still going).
 */
public final class CacheSubnetGroupProvider extends ElastiCacheProvider {

    public static final String TYPE = "aws_elasticache_subnet_group";
    static final String NAME = "name";
    static final String DESCRIPTION = "description";
    static final String SUBNET_IDS = "subnetIds";
    static final String IN_USE = "CacheSubnetGroupInUse";
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(15);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(10);

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(DESCRIPTION, Kind.STRING).updatable(),
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.CACHE_SUBNET_GROUP),
            Attribute.required(SUBNET_IDS, Kind.SET).updatable())
            .with(Trait.TAGGED)
            .id("group name")
            .notes("Tags");

    public CacheSubnetGroupProvider(AwsClients clients) {
        super(clients, ENTRY, "subnetgroup");
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        Map<String, Map<String, String>> tagsByName = stackTags(stack);
        if (tagsByName.isEmpty()) {
            return List.of();
        }
        return call("DescribeCacheSubnetGroups", () -> elasticache().describeCacheSubnetGroupsPaginator(b -> { })
                .cacheSubnetGroups().stream()
                .filter(g -> tagsByName.containsKey(g.cacheSubnetGroupName()))
                .map(g -> toLive(g, tagsByName.get(g.cacheSubnetGroupName())))
                .toList());
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::readGroup);
    }

    /** By name, unique in the region: adopted when untagged or tagged for this address and stack. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String name = SpecValues.string(spec, NAME);
        return claimed(spec.address(), stack, "cache subnet group " + name, readGroup(name));
    }

    private Optional<LiveResource> readGroup(String name) {
        return describe(name).map(g -> toLive(g, tagsOf(g.arn())));
    }

    private Optional<CacheSubnetGroup> describe(String name) {
        return ProviderSupport.unless(this::isGone, () -> call("DescribeCacheSubnetGroups",
                        () -> elasticache().describeCacheSubnetGroups(b -> b.cacheSubnetGroupName(name)))
                .cacheSubnetGroups().stream().findFirst());
    }

    private LiveResource toLive(CacheSubnetGroup g, Map<String, String> tags) {
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, g.cacheSubnetGroupName());
        putIfPresent(a, DESCRIPTION, g.cacheSubnetGroupDescription());
        a.put(SUBNET_IDS, g.subnets().stream().map(Subnet::subnetIdentifier).sorted().toList());
        return live(g.cacheSubnetGroupName(), tags, a);
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String name = SpecValues.string(spec, NAME);
        createOnce(ctx, spec.address(), () -> call("CreateCacheSubnetGroup", () -> elasticacheForCreates()
                        .createCacheSubnetGroup(b -> b.cacheSubnetGroupName(name)
                                .cacheSubnetGroupDescription(SpecValues.optionalString(spec, DESCRIPTION))
                                .subnetIds(SpecValues.strings(spec, SUBNET_IDS))
                                .tags(cacheTags(spec.tags())))).cacheSubnetGroup().cacheSubnetGroupName(),
                () -> readGroup(name).map(LiveResource::id), e -> false);
        return readBack(ctx, name);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String name = current.id();
        if (changed.contains(TAGS)) {
            CacheSubnetGroup group = describe(name).orElseThrow(() -> new ProviderException(spec.address(),
                    "cache subnet group " + name + " no longer exists"));
            updateTags(current, spec, changed, group.arn());
        }
        if (changed.contains(DESCRIPTION) || changed.contains(SUBNET_IDS)) {
            call("ModifyCacheSubnetGroup", () -> elasticache().modifyCacheSubnetGroup(b -> b.cacheSubnetGroupName(name)
                    .cacheSubnetGroupDescription(SpecValues.optionalString(spec, DESCRIPTION))
                    .subnetIds(SpecValues.strings(spec, SUBNET_IDS))));
        }
        return readBack(ctx, name);
    }

    private LiveResource readBack(OperationContext ctx, String name) {
        return awaitPropagation(ctx, "cache subnet group " + name + " to become readable", () -> readGroup(name));
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String name = current.id();
        retrying(ctx, "DeleteCacheSubnetGroup " + name, DELETE_TIMEOUT, POLL_INTERVAL, e -> IN_USE.equals(e.code()),
                () -> call("DeleteCacheSubnetGroup", () -> elasticache().deleteCacheSubnetGroup(
                        b -> b.cacheSubnetGroupName(name))));
        awaitGone(ctx, "cache subnet group " + name, () -> readGroup(name));
    }
}
