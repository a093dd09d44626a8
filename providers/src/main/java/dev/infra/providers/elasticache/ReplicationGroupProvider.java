package dev.infra.providers.elasticache;

import static dev.infra.providers.AwsCallException.call;
import static dev.infra.providers.AwsCallException.callWithSecret;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.Lifecycle;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticache.ElastiCacheClient;
import software.amazon.awssdk.services.elasticache.model.AutomaticFailoverStatus;
import software.amazon.awssdk.services.elasticache.model.CacheCluster;
import software.amazon.awssdk.services.elasticache.model.CreateReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.GlobalReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.GlobalReplicationGroupInfo;
import software.amazon.awssdk.services.elasticache.model.ModifyGlobalReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.ModifyReplicationGroupRequest;
import software.amazon.awssdk.services.elasticache.model.MultiAZStatus;
import software.amazon.awssdk.services.elasticache.model.NodeGroup;
import software.amazon.awssdk.services.elasticache.model.ReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.SecurityGroupMembership;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@code aws_elasticache_replication_group} (id: the group id), Redis with cluster mode disabled: replicationGroupId,
 * description, engine, engineVersion, nodeType, numCacheClusters (primary + replicas), automaticFailover, multiAz,
 * subnetGroupName, securityGroupIds (set), atRestEncryption, kmsKeyId, transitEncryption, authTokenSecretArn
 * (write-only), tags; computed primaryEndpoint, readerEndpoint, port.
 *
 * <p>The AUTH token is the value of the Secrets Manager secret authTokenSecretArn, read (GetSecretValue) just before
 * CreateReplicationGroup and then forgotten: it is never stored, logged, reported, nor put in a message
 * ({@code AwsCallException.callWithSecret}). Create waits until the group is {@code available}; so does each change:
 * replicas added first (IncreaseReplicaCount: automatic failover needs two clusters), then one ModifyReplicationGroup
 * for description, engine version, failover, Multi-AZ and security groups, one more for the node type (a scaling), and
 * replicas removed last (DecreaseReplicaCount), all applied immediately.
 *
 * <p>A replication group does not report engine version, subnet group nor security groups: its clusters do (as
 * Terraform reads them, from the first member). So readAll is one GetResources call for the stack's ElastiCache
 * resources, one DescribeReplicationGroups and one DescribeCacheClusters (all pages each): 3 calls; ids of state it
 * misses cost a DescribeReplicationGroups, a DescribeCacheClusters and a ListTagsForResource each. The engine version
 * is reported as major.minor, as given ("7.1"), though AWS reports the patch level it runs ("7.1.0"). A group being
 * deleted counts as gone.
 *
 * <p>With globalReplicationGroupId the group is a SECONDARY member of that Global Datastore (created in the primary's
 * Region by {@code aws_elasticache_global_replication_group}); absent, a standalone group (or a datastore's primary:
 * only a secondary reports the attribute). A secondary takes from the datastore what all its members share, so its
 * CreateReplicationGroup sends only the id, description, globalReplicationGroupId, numCacheClusters, subnet group,
 * security groups, KMS key (one of the secondary's Region) and tags: AWS refuses the rest with InvalidParameterCombination.
 * {@link #INHERITED} (engine, engineVersion, nodeType, automaticFailover, multiAz, atRestEncryption, transitEncryption,
 * and the write-only authTokenSecretArn) are neither sent nor ever changed on a secondary: they read back as the
 * datastore has them, the primary's, so a spec carrying the primary's values shows no difference; one asking a
 * secondary for other values fails its update, naming them. Create then waits until the datastore lists the group.
 * Delete of a secondary first disassociates it (DisassociateGlobalReplicationGroup, called in the secondary's Region
 * with its id and Region) and waits until the datastore no longer lists it; a datastore's primary is not deleted
 * (AWS refuses while it is one): that fails at once, naming the datastore.
 *
 * <p>A datastore's members share node type and engine version, which change on the datastore: on a primary they are
 * ModifyGlobalReplicationGroup (CacheNodeType, EngineVersion, one at a time, applied immediately, waited for until
 * the datastore, the group and every secondary, in its region, are available again), as AWS refuses them in ModifyReplicationGroup ("Cluster [<id>]
 * is part of a global cluster [<global id>]. Request rejected."; ModifyGlobalReplicationGroup API reference). The
 * secondaries follow: their plans show the change, their updates find it made.
 */
public final class ReplicationGroupProvider extends ElastiCacheProvider {

    public static final String TYPE = "aws_elasticache_replication_group";
    static final String ID = "replicationGroupId";
    static final String DESCRIPTION = "description";
    static final String ENGINE = "engine";
    static final String ENGINE_VERSION = "engineVersion";
    static final String NODE_TYPE = "nodeType";
    static final String NUM_CLUSTERS = "numCacheClusters";
    static final String FAILOVER = "automaticFailover";
    static final String MULTI_AZ = "multiAz";
    static final String SUBNET_GROUP = "subnetGroupName";
    static final String SECURITY_GROUPS = "securityGroupIds";
    static final String AT_REST = "atRestEncryption";
    static final String KMS_KEY = "kmsKeyId";
    static final String TRANSIT = "transitEncryption";
    static final String AUTH_TOKEN_SECRET = "authTokenSecretArn";
    static final String PRIMARY_ENDPOINT = "primaryEndpoint";
    static final String READER_ENDPOINT = "readerEndpoint";
    static final String PORT = "port";
    static final String GLOBAL_ID = "globalReplicationGroupId";
    /** What a secondary takes from its Global Datastore: never sent for one, never changed on one. */
    static final Set<String> INHERITED = Set.of(ENGINE, ENGINE_VERSION, NODE_TYPE, FAILOVER, MULTI_AZ, AT_REST, TRANSIT,
            AUTH_TOKEN_SECRET);

    static final String AVAILABLE = "available";
    static final String DELETING = "deleting";
    static final String CREATE_FAILED = "create-failed";
    static final String INVALID_STATE = "InvalidReplicationGroupState";
    static final Duration CHANGE_TIMEOUT = Duration.ofMinutes(90);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(15);

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(AT_REST, Kind.BOOL)
                    .doc("infra always sets true"),
            Attribute.optional(AUTH_TOKEN_SECRET, Kind.REFERENCE).writeOnly()
                    .doc("the Secrets Manager secret whose value is the AUTH token: read at create, never stored"),
            Attribute.required(FAILOVER, Kind.BOOL).updatable(),
            Attribute.required(DESCRIPTION, Kind.STRING).updatable(),
            Attribute.required(ENGINE, Kind.STRING).rule(Rule.OneOf.of("engine", "redis", "valkey"))
                    .doc("infra makes Redis groups"),
            Attribute.required(ENGINE_VERSION, Kind.STRING).updatable(),
            Attribute.optional(GLOBAL_ID, Kind.REFERENCE),
            Attribute.required(KMS_KEY, Kind.REFERENCE),
            Attribute.required(MULTI_AZ, Kind.BOOL).updatable(),
            Attribute.required(NODE_TYPE, Kind.STRING).updatable(),
            Attribute.required(NUM_CLUSTERS, Kind.NUMBER).updatable()
                    .doc("primary + replicas"),
            Attribute.required(ID, Kind.STRING).rule(AwsRules.REPLICATION_GROUP),
            Attribute.required(SECURITY_GROUPS, Kind.SET).updatable(),
            Attribute.required(SUBNET_GROUP, Kind.REFERENCE),
            Attribute.required(TRANSIT, Kind.BOOL)
                    .doc("infra always sets true"),
            Attribute.computed(PORT, Kind.NUMBER),
            Attribute.computed(PRIMARY_ENDPOINT, Kind.STRING),
            Attribute.computed(READER_ENDPOINT, Kind.STRING))
            .with(Trait.TAGGED)
            .id("group id")
            .notes("GlobalReplicationGroupId F (String; absent = a standalone group, or a datastore's primary): the group is a SECONDARY of that Global Datastore, made in R's registry with R's calls (the datastore is the account's: DescribeGlobalReplicationGroups answers in any region, so no primary-region attribute is needed). CreateReplicationGroup then sends only replicationGroupId, GlobalReplicationGroupId, kmsKeyId (a key of R) and tags, and waits until the datastore lists it. **Ignored for secondaries** (inherited from the datastore, i.e. the primary): engine, authTokenSecretArn — not sent (AWS: InvalidParameterCombination), read back as the datastore has them (so a spec carrying the primary's values shows no diff), never modified (an update asking other values fails, naming them). readAll reports globalReplicationGroupId from DescribeReplicationGroups' GlobalReplicationGroupInfo when its role is SECONDARY (no extra call). delete of a secondary = DisassociateGlobalReplicationGroup (in R: GlobalReplicationGroupId, ReplicationGroupId, ReplicationGroupRegion R), waited until the datastore no longer lists it, then DeleteReplicationGroup as before; delete of a datastore's primary fails at once (AWS deletes it only after the datastore)");

    /** Describe, deleting, InvalidReplicationGroupState while an earlier change runs, create-failed for good. */
    private final Lifecycle<ReplicationGroup> life = Lifecycle.of("replication group", this::describe,
                    g -> DELETING.equals(g.status()), CHANGE_TIMEOUT, POLL_INTERVAL)
            .withBusy(e -> INVALID_STATE.equals(e.code()))
            .withFailed(g -> CREATE_FAILED.equals(g.status()) || DELETING.equals(g.status()) ? g.status() : null);

    public ReplicationGroupProvider(AwsClients clients) {
        super(clients, ENTRY, "replicationgroup");
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        Map<String, Map<String, String>> tagsById = stackTags(stack);
        if (tagsById.isEmpty()) {
            return List.of();
        }
        List<ReplicationGroup> groups = call("DescribeReplicationGroups", () -> elasticache()
                .describeReplicationGroupsPaginator(b -> { }).replicationGroups().stream()
                .filter(g -> tagsById.containsKey(g.replicationGroupId()) && !life.deleting().test(g))
                .toList());
        if (groups.isEmpty()) {
            return List.of();
        }
        Map<String, CacheCluster> clusters = call("DescribeCacheClusters", () -> elasticache()
                .describeCacheClustersPaginator(b -> { }).cacheClusters().stream()
                .filter(c -> c.replicationGroupId() != null)
                .collect(Collectors.toMap(CacheCluster::cacheClusterId, Function.identity(), (a, b) -> a)));
        List<LiveResource> out = new ArrayList<>();
        for (ReplicationGroup g : groups) {
            CacheCluster member = g.memberClusters().stream().map(clusters::get).filter(Objects::nonNull)
                    .findFirst().orElse(null);
            out.add(toLive(g, member, tagsById.get(g.replicationGroupId())));
        }
        return out;
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::readGroup);
    }

    /** By id, unique in the region: adopted when untagged or tagged for this address and stack. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String id = SpecValues.string(spec, ID);
        return claimed(spec.address(), stack, "replication group " + id, readGroup(id));
    }

    /** The group in whatever status; empty when ElastiCache does not know it. */
    private Optional<ReplicationGroup> describe(String id) {
        return ProviderSupport.unless(this::isGone, () -> call("DescribeReplicationGroups",
                        () -> elasticache().describeReplicationGroups(b -> b.replicationGroupId(id)))
                .replicationGroups().stream().findFirst());
    }

    private Optional<LiveResource> readGroup(String id) {
        return life.live(id).map(this::toLive);
    }

    /** The group with its first member cluster and its tags. */
    private LiveResource toLive(ReplicationGroup g) {
        CacheCluster member = g.memberClusters().isEmpty() ? null
                : ProviderSupport.unless(this::isGone, () -> call("DescribeCacheClusters",
                                () -> elasticache().describeCacheClusters(b -> b.cacheClusterId(g.memberClusters().get(0))))
                        .cacheClusters().stream().findFirst())
                .orElse(null);
        return toLive(g, member, tagsOf(g.arn()));
    }

    private LiveResource toLive(ReplicationGroup g, CacheCluster member, Map<String, String> tags) {
        Map<String, Object> a = new TreeMap<>();
        a.put(ID, g.replicationGroupId());
        putIfPresent(a, DESCRIPTION, g.description());
        putIfPresent(a, ENGINE, g.engine() != null ? g.engine() : member == null ? null : member.engine());
        putIfPresent(a, NODE_TYPE, g.cacheNodeType());
        a.put(NUM_CLUSTERS, (long) g.memberClusters().size());
        a.put(FAILOVER, g.automaticFailover() == AutomaticFailoverStatus.ENABLED
                || g.automaticFailover() == AutomaticFailoverStatus.ENABLING);
        a.put(MULTI_AZ, g.multiAZ() == MultiAZStatus.ENABLED);
        a.put(AT_REST, Boolean.TRUE.equals(g.atRestEncryptionEnabled()));
        putIfPresent(a, KMS_KEY, g.kmsKeyId());
        a.put(TRANSIT, Boolean.TRUE.equals(g.transitEncryptionEnabled()));
        if (member != null) {
            putIfPresent(a, ENGINE_VERSION, majorMinor(member.engineVersion()));
            putIfPresent(a, SUBNET_GROUP, member.cacheSubnetGroupName());
            a.put(SECURITY_GROUPS, member.securityGroups().stream().map(SecurityGroupMembership::securityGroupId)
                    .sorted().toList());
        }
        if (!g.nodeGroups().isEmpty()) {
            NodeGroup n = g.nodeGroups().get(0);
            if (n.primaryEndpoint() != null) {
                putIfPresent(a, PRIMARY_ENDPOINT, n.primaryEndpoint().address());
                putIfPresent(a, PORT, n.primaryEndpoint().port() == null ? null : n.primaryEndpoint().port().longValue());
            }
            if (n.readerEndpoint() != null) {
                putIfPresent(a, READER_ENDPOINT, n.readerEndpoint().address());
            }
        }
        secondaryOf(g).ifPresent(global -> a.put(GLOBAL_ID, global));
        return live(g.replicationGroupId(), tags, a);
    }

    /** The Global Datastore this group is a secondary of. */
    private static Optional<String> secondaryOf(ReplicationGroup g) {
        return roleIn(g, SECONDARY);
    }

    private static Optional<String> roleIn(ReplicationGroup g, String role) {
        GlobalReplicationGroupInfo info = g.globalReplicationGroupInfo();
        return info == null || info.globalReplicationGroupId() == null || info.globalReplicationGroupId().isEmpty()
                || !isRole(info.globalReplicationGroupMemberRole(), role)
                ? Optional.empty() : Optional.of(info.globalReplicationGroupId());
    }

    /** "7.1.0" → "7.1": the form engine versions are given in. */
    static String majorMinor(String version) {
        if (version == null) {
            return null;
        }
        String[] parts = version.split("\\.");
        return parts.length > 2 ? parts[0] + "." + parts[1] : version;
    }

    // ---- changes ----------------------------------------------------------------------------------------

    /**
     * CreateReplicationGroup with the AUTH token read from Secrets Manager (a secondary's comes with its datastore), then a
     * wait for {@code available}. A subnet group created moments before may not be visible yet, a datastore may be busy
     * with a change: those refusals are retried for a while.
     */
    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String id = SpecValues.string(spec, ID);
        String secretArn = SpecValues.optionalString(spec, AUTH_TOKEN_SECRET);
        String global = SpecValues.optionalString(spec, GLOBAL_ID);
        String token = secretArn == null || global != null ? null : authToken(spec.address(), secretArn);
        List<String> securityGroups = SpecValues.strings(spec, SECURITY_GROUPS);
        Long clusters = spec.attributes().get(NUM_CLUSTERS) == null ? null : SpecValues.number(spec, NUM_CLUSTERS);
        Consumer<CreateReplicationGroupRequest.Builder> own = b -> b.replicationGroupId(id)
                .replicationGroupDescription(SpecValues.optionalString(spec, DESCRIPTION))
                .numCacheClusters(clusters == null ? null : clusters.intValue())
                .cacheSubnetGroupName(SpecValues.optionalString(spec, SUBNET_GROUP))
                .securityGroupIds(securityGroups.isEmpty() ? null : securityGroups)
                .kmsKeyId(SpecValues.optionalString(spec, KMS_KEY))
                .tags(cacheTags(spec.tags()));
        Consumer<CreateReplicationGroupRequest.Builder> settings = global != null ? b -> b.globalReplicationGroupId(global)
                : b -> b.engine(SpecValues.optionalString(spec, ENGINE))
                        .engineVersion(SpecValues.optionalString(spec, ENGINE_VERSION))
                        .cacheNodeType(SpecValues.optionalString(spec, NODE_TYPE))
                        .automaticFailoverEnabled(SpecValues.optionalBoolean(spec, FAILOVER))
                        .multiAZEnabled(SpecValues.optionalBoolean(spec, MULTI_AZ))
                        .atRestEncryptionEnabled(SpecValues.optionalBoolean(spec, AT_REST))
                        .transitEncryptionEnabled(SpecValues.optionalBoolean(spec, TRANSIT))
                        .authToken(token);
        createOnce(ctx, spec.address(), () -> callWithSecret("CreateReplicationGroup", token, () -> elasticacheForCreates()
                        .createReplicationGroup(b -> settings.accept(b.applyMutation(own))))
                        .replicationGroup().replicationGroupId(),
                () -> describe(id).map(ReplicationGroup::replicationGroupId),
                e -> "CacheSubnetGroupNotFoundFault".equals(e.code()) || INVALID_GLOBAL_STATE.equals(e.code()));
        awaitAvailable(ctx, id, "to become available");
        if (global != null) {
            awaitMembership(ctx, global, id, true);
        }
        return with(readBack(ctx, id), AUTH_TOKEN_SECRET, secretArn);
    }

    /** The secret's value; failures name the secret, never a value. */
    private String authToken(String address, String secretArn) {
        SecretsManagerClient secrets = clients().client(SecretsManagerClient.class, SecretsManagerClient::builder);
        String value = call("GetSecretValue", () -> secrets.getSecretValue(b -> b.secretId(secretArn))).secretString();
        if (value == null || value.isEmpty()) {
            throw new ProviderException(address, "secret " + secretArn + " has no string value to use as the AUTH token");
        }
        return value;
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String id = current.id();
        ReplicationGroup group = describe(id).orElseThrow(() -> gone(spec.address(), id));
        LiveResource now = toLive(group);
        Set<String> differ = differing(now, spec, changed);
        updateTags(now, spec, differ, group.arn());
        Optional<String> global = secondaryOf(group);
        if (global.isPresent()) {
            List<String> inherited = differ.stream().filter(INHERITED::contains).sorted().toList();
            if (!inherited.isEmpty()) {
                throw new ProviderException(spec.address(), "replication group " + id + " is a secondary of global"
                        + " datastore " + global.get() + ", whose " + String.join(", ", inherited) + " it follows: set"
                        + " them as the primary has them (they change on the primary and its datastore)");
            }
        }
        long have = group.memberClusters().size();
        long want = differ.contains(NUM_CLUSTERS) ? SpecValues.number(spec, NUM_CLUSTERS) : have;
        if (want > have) {
            change(ctx, id, "to add replicas", () -> call("IncreaseReplicaCount", () -> elasticache().increaseReplicaCount(
                    b -> b.replicationGroupId(id).newReplicaCount((int) want - 1).applyImmediately(true))));
        }
        List<Consumer<ModifyReplicationGroupRequest.Builder>> settings = new ArrayList<>();
        if (differ.contains(DESCRIPTION)) {
            settings.add(b -> b.replicationGroupDescription(SpecValues.string(spec, DESCRIPTION)));
        }
        Optional<String> primaryOf = roleIn(group, PRIMARY);
        if (differ.contains(ENGINE_VERSION) && primaryOf.isEmpty()) {
            settings.add(b -> b.engineVersion(SpecValues.string(spec, ENGINE_VERSION)));
        }
        if (differ.contains(FAILOVER)) {
            settings.add(b -> b.automaticFailoverEnabled(SpecValues.bool(spec, FAILOVER, false)));
        }
        if (differ.contains(MULTI_AZ)) {
            settings.add(b -> b.multiAZEnabled(SpecValues.bool(spec, MULTI_AZ, false)));
        }
        if (differ.contains(SECURITY_GROUPS)) {
            settings.add(b -> b.securityGroupIds(SpecValues.strings(spec, SECURITY_GROUPS)));
        }
        if (!settings.isEmpty()) {
            modify(ctx, id, "to take its new settings", b -> settings.forEach(s -> s.accept(b)));
        }
        if (primaryOf.isPresent() && differ.contains(ENGINE_VERSION)) {
            String version = SpecValues.string(spec, ENGINE_VERSION);
            modifyGlobal(ctx, primaryOf.get(), id, "to run " + version, b -> b.engineVersion(version));
        }
        if (differ.contains(NODE_TYPE)) {
            String nodeType = SpecValues.string(spec, NODE_TYPE);
            if (primaryOf.isPresent()) {
                modifyGlobal(ctx, primaryOf.get(), id, "to scale to " + nodeType, b -> b.cacheNodeType(nodeType));
            } else {
                modify(ctx, id, "to scale to " + nodeType, b -> b.cacheNodeType(nodeType));
            }
        }
        if (want < have) {
            change(ctx, id, "to remove replicas", () -> call("DecreaseReplicaCount", () -> elasticache().decreaseReplicaCount(
                    b -> b.replicationGroupId(id).newReplicaCount((int) want - 1).applyImmediately(true))));
        }
        Object secretArn = spec.attributes().get(AUTH_TOKEN_SECRET);
        return with(readBack(ctx, id), AUTH_TOKEN_SECRET, secretArn);
    }

    private void modify(OperationContext ctx, String id, String what, Consumer<ModifyReplicationGroupRequest.Builder> set) {
        change(ctx, id, what, () -> call("ModifyReplicationGroup", () -> elasticache().modifyReplicationGroup(b -> {
            set.accept(b.replicationGroupId(id).applyImmediately(true));
        })));
    }

    /**
     * One change of Global Datastore {@code global}, whose primary is {@code id}: retried while the datastore is busy,
     * then a wait until the datastore and the primary are available again (the secondaries change with them).
     */
    private void modifyGlobal(OperationContext ctx, String global, String id, String what,
                              Consumer<ModifyGlobalReplicationGroupRequest.Builder> set) {
        retrying(ctx, "global datastore " + global + " " + what, CHANGE_TIMEOUT, POLL_INTERVAL,
                e -> INVALID_GLOBAL_STATE.equals(e.code()), () -> call("ModifyGlobalReplicationGroup",
                        () -> elasticache().modifyGlobalReplicationGroup(b -> set.accept(b.globalReplicationGroupId(global)
                                .applyImmediately(true)))));
        GlobalReplicationGroup ready = ctx.await("global datastore " + global + " " + what, CHANGE_TIMEOUT, POLL_INTERVAL,
                () -> describeGlobal(global).filter(g -> GLOBAL_READY.contains(g.status())));
        awaitAvailable(ctx, id, what);
        // Every member changes with the datastore: the secondaries, each in its own region, are waited for too, so
        // the change is done when the apply says so (and a replica's update after it finds it made).
        ready.members().stream().filter(m -> !id.equals(m.replicationGroupId())).forEach(m ->
                ctx.await("replication group " + m.replicationGroupId() + " in " + m.replicationGroupRegion() + " "
                        + what, CHANGE_TIMEOUT, POLL_INTERVAL, () -> call("DescribeReplicationGroups", () -> clients()
                        .in(m.replicationGroupRegion()).client(ElastiCacheClient.class, ElastiCacheClient::builder)
                        .describeReplicationGroups(b -> b.replicationGroupId(m.replicationGroupId())))
                        .replicationGroups().stream().filter(g -> AVAILABLE.equals(g.status())).findFirst()));
    }

    /** One change, retried while the group is busy with an earlier one, then a wait until it is available again. */
    private void change(OperationContext ctx, String id, String what, Runnable call) {
        life.change(ctx, id, id + ": " + what, what, CHANGE_TIMEOUT, call, ReplicationGroupProvider::available);
    }

    private void awaitAvailable(OperationContext ctx, String id, String what) {
        life.await(ctx, id, what, ReplicationGroupProvider::available);
    }

    private static boolean available(ReplicationGroup g) {
        return AVAILABLE.equals(g.status());
    }

    private LiveResource readBack(OperationContext ctx, String id) {
        return readGroup(id).orElseThrow(() -> gone(ctx.address(), id));
    }

    /** DeleteReplicationGroup (retried while the group is busy), then a wait until ElastiCache no longer knows it. */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String id = current.id();
        life.delete(ctx, id, "DeleteReplicationGroup", CHANGE_TIMEOUT, g -> {
            Optional<String> primaryOf = roleIn(g, PRIMARY);
            if (primaryOf.isPresent()) {
                throw new ProviderException(ctx.address() != null ? ctx.address() : id, "replication group " + id
                        + " is the primary of global datastore " + primaryOf.get()
                        + ": AWS deletes it only once that datastore is deleted");
            }
            secondaryOf(g).ifPresent(global -> disassociate(ctx, global, id));
        }, () -> call("DeleteReplicationGroup", () -> elasticache().deleteReplicationGroup(b -> b.replicationGroupId(id))));
    }

    /**
     * Removes the secondary {@code id} (of this Region) from Global Datastore {@code global}, retried while the datastore
     * is busy, then waits until the datastore no longer lists it. A datastore already gone is fine.
     */
    private void disassociate(OperationContext ctx, String global, String id) {
        ignoreGone(() -> retrying(ctx, "DisassociateGlobalReplicationGroup " + id, CHANGE_TIMEOUT, POLL_INTERVAL,
                e -> INVALID_GLOBAL_STATE.equals(e.code()), () -> call("DisassociateGlobalReplicationGroup",
                        () -> elasticache().disassociateGlobalReplicationGroup(b -> b.globalReplicationGroupId(global)
                                .replicationGroupId(id).replicationGroupRegion(clients().region())))));
        awaitMembership(ctx, global, id, false);
        ctx.await("replication group " + id + " to leave global datastore " + global, CHANGE_TIMEOUT, POLL_INTERVAL,
                () -> describe(id).filter(x -> secondaryOf(x).isPresent()).isEmpty()
                        ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /** Waits until Global Datastore {@code global} is ready and lists this Region's group {@code id} (or no longer does). */
    private void awaitMembership(OperationContext ctx, String global, String id, boolean member) {
        ctx.await("global datastore " + global + (member ? " to list " : " to no longer list ") + id, CHANGE_TIMEOUT,
                POLL_INTERVAL, () -> {
                    Optional<GlobalReplicationGroup> g = describeGlobal(global);
                    if (g.isEmpty()) {
                        if (member) {
                            throw new ProviderException(ctx.address(), "global datastore " + global + " no longer exists");
                        }
                        return Optional.of(Boolean.TRUE);
                    }
                    boolean listed = g.get().members().stream().anyMatch(m -> id.equals(m.replicationGroupId())
                            && clients().region().equals(m.replicationGroupRegion())
                            && (!member || m.status() == null || "associated".equals(m.status())));
                    return listed == member && (!member || GLOBAL_READY.contains(g.get().status()))
                            ? Optional.of(Boolean.TRUE) : Optional.empty();
                });
    }

    private static ProviderException gone(String address, String id) {
        return new ProviderException(address, "replication group " + id + " no longer exists");
    }
}
