package dev.infra.providers.elasticache;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.elasticache.model.GlobalReplicationGroup;
import software.amazon.awssdk.services.elasticache.model.GlobalReplicationGroupMember;

/**
 * {@code aws_elasticache_global_replication_group} (id: the Global Datastore id AWS returns, the Region's prefix and the
 * suffix, e.g. {@code vlqxn-sessions}): globalReplicationGroupIdSuffix, primaryReplicationGroupId (the primary
 * Region's replication group, in this provider's Region), description; computed globalReplicationGroupId, arn.
 * Registered in the primary's Region. Secondaries join it from their own Region ({@code aws_elasticache_replication_group}
 * with globalReplicationGroupId).
 *
 * <p>AWS takes no tags on Global Datastores (CreateGlobalReplicationGroup has no Tags), so the type is untagged: readAll
 * reads the ids state records, and findExisting the datastore with the spec's suffix whose primary is the spec's group
 * in this Region, each with one DescribeGlobalReplicationGroups (all pages, members shown). Create waits until the
 * datastore is {@code available} (or {@code primary-only}); the description changes with ModifyGlobalReplicationGroup,
 * applied immediately. Delete keeps the primary (RetainPrimaryReplicationGroup=true) and waits until the datastore is
 * gone; AWS deletes one only once its secondaries are disassociated, which is said plainly when some remain.
 */
public final class GlobalReplicationGroupProvider extends ElastiCacheProvider {

    public static final String TYPE = "aws_elasticache_global_replication_group";
    static final String SUFFIX = "globalReplicationGroupIdSuffix";
    static final String PRIMARY_GROUP = "primaryReplicationGroupId";
    static final String DESCRIPTION = "description";
    static final String GLOBAL_ID = "globalReplicationGroupId";
    static final String ARN = "arn";

    static final Set<String> GONE = Set.of("deleting", "deleted");
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(60);
    static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(60);
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(20);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(15);

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(DESCRIPTION, Kind.STRING).updatable(),
            Attribute.required(SUFFIX, Kind.STRING),
            Attribute.required(PRIMARY_GROUP, Kind.REFERENCE)
                    .doc("the replication group of the primary region P, in the same region"),
            Attribute.computed(ARN, Kind.STRING),
            Attribute.computed(GLOBAL_ID, Kind.STRING)
                    .doc("the id AWS returns: the region's prefix, `-`, the suffix, e.g. `vlqxn-sessions`"))
            .id("the full GlobalReplicationGroupId")
            .notes("No tags (AWS takes none on Global Datastores). Registered in **P's** registry (region-local calls). create = CreateGlobalReplicationGroup, waited (60 min) until `available` or `primary-only`; update = ModifyGlobalReplicationGroup (description, ApplyImmediately); delete = DeleteGlobalReplicationGroup with RetainPrimaryReplicationGroup=true, waited (20 min) until gone: while secondaries remain AWS refuses (InvalidGlobalReplicationGroupState) and the failure names them. readAll = one DescribeGlobalReplicationGroups (ShowMemberInfo) for the state ids; findExisting = the datastore with the suffix whose PRIMARY member is primaryReplicationGroupId in this region (same suffix, other primary: fails, id taken)");

    public GlobalReplicationGroupProvider(AwsClients clients) {
        super(clients, ENTRY, "globalreplicationgroup");
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return all().stream().filter(g -> ids.contains(g.globalReplicationGroupId())).map(this::toLive).toList();
    }

    /**
     * The datastore with the spec's suffix whose primary is the spec's replication group in this Region. One with the
     * suffix but another primary is someone else's: its id is taken, which fails.
     */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String suffix = SpecValues.string(spec, SUFFIX);
        String primary = SpecValues.string(spec, PRIMARY_GROUP);
        for (GlobalReplicationGroup g : all()) {
            if (!suffix.equals(suffixOf(g.globalReplicationGroupId()))) {
                continue;
            }
            Optional<GlobalReplicationGroupMember> p = primaryOf(g);
            if (p.isPresent() && p.get().replicationGroupId().equalsIgnoreCase(primary)
                    && clients().region().equals(p.get().replicationGroupRegion())) {
                return Optional.of(toLive(g));
            }
            throw new ProviderException(spec.address(), "global datastore " + g.globalReplicationGroupId()
                    + " already exists with primary " + p.map(m -> m.replicationGroupId() + " in "
                    + m.replicationGroupRegion()).orElse("(none)") + "; choose another suffix or delete it");
        }
        return Optional.empty();
    }

    /** Every Global Datastore the account has that is not going, with members: one call (all pages). */
    private List<GlobalReplicationGroup> all() {
        return call("DescribeGlobalReplicationGroups", () -> elasticache()
                .describeGlobalReplicationGroupsPaginator(b -> b.showMemberInfo(true)).globalReplicationGroups()
                .stream().filter(g -> !GONE.contains(g.status())).toList());
    }

    private Optional<LiveResource> read(String id) {
        return describeGlobal(id).filter(g -> !GONE.contains(g.status())).map(this::toLive);
    }

    private LiveResource toLive(GlobalReplicationGroup g) {
        Map<String, Object> a = new TreeMap<>();
        a.put(SUFFIX, suffixOf(g.globalReplicationGroupId()));
        primaryOf(g).ifPresent(p -> a.put(PRIMARY_GROUP, p.replicationGroupId()));
        putIfPresent(a, DESCRIPTION, g.globalReplicationGroupDescription());
        a.put(GLOBAL_ID, g.globalReplicationGroupId());
        putIfPresent(a, ARN, g.arn());
        return live(g.globalReplicationGroupId(), Map.of(), a);
    }

    /** "vlqxn-sessions" → "sessions": AWS puts the Region's five-letter prefix and a hyphen before the suffix. */
    static String suffixOf(String globalId) {
        return globalId.substring(globalId.indexOf('-') + 1);
    }

    private static Optional<GlobalReplicationGroupMember> primaryOf(GlobalReplicationGroup g) {
        return g.members().stream().filter(m -> isRole(m.role(), PRIMARY)).findFirst();
    }

    private static List<String> secondariesOf(GlobalReplicationGroup g) {
        return g.members().stream().filter(m -> !isRole(m.role(), PRIMARY))
                .map(m -> m.replicationGroupId() + " (" + m.replicationGroupRegion() + ")").toList();
    }

    // ---- changes ----------------------------------------------------------------------------------------

    /**
     * CreateGlobalReplicationGroup, then a wait until the datastore is ready. A primary created moments before may not
     * be visible or available yet: that refusal is retried for a while.
     */
    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String suffix = SpecValues.string(spec, SUFFIX);
        String primary = SpecValues.string(spec, PRIMARY_GROUP);
        String id = createOnce(ctx, spec.address(), () -> call("CreateGlobalReplicationGroup", () -> elasticacheForCreates()
                        .createGlobalReplicationGroup(b -> b.globalReplicationGroupIdSuffix(suffix)
                                .primaryReplicationGroupId(primary)
                                .globalReplicationGroupDescription(SpecValues.optionalString(spec, DESCRIPTION))))
                        .globalReplicationGroup().globalReplicationGroupId(),
                () -> find(null, spec).map(LiveResource::id),
                e -> "ReplicationGroupNotFoundFault".equals(e.code()) || "InvalidReplicationGroupState".equals(e.code()));
        return awaitReady(ctx, id, "to become available", CREATE_TIMEOUT);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String id = current.id();
        if (changed.contains(DESCRIPTION)) {
            String description = SpecValues.optionalString(spec, DESCRIPTION);
            retrying(ctx, "ModifyGlobalReplicationGroup " + id, UPDATE_TIMEOUT, POLL_INTERVAL,
                    e -> INVALID_GLOBAL_STATE.equals(e.code()),
                    () -> call("ModifyGlobalReplicationGroup", () -> elasticache().modifyGlobalReplicationGroup(
                            b -> b.globalReplicationGroupId(id).applyImmediately(true)
                                    .globalReplicationGroupDescription(description == null ? "" : description))));
        }
        return awaitReady(ctx, id, "to take its new settings", UPDATE_TIMEOUT);
    }

    private LiveResource awaitReady(OperationContext ctx, String id, String what, Duration timeout) {
        GlobalReplicationGroup g = ctx.await("global datastore " + id + " " + what, timeout, POLL_INTERVAL, () -> {
            Optional<GlobalReplicationGroup> found = describeGlobal(id); // may not be visible at once
            if (found.isPresent() && GONE.contains(found.get().status())) {
                throw new ProviderException(ctx.address(), "global datastore " + id + " is " + found.get().status());
            }
            return found.filter(x -> GLOBAL_READY.contains(x.status()));
        });
        return toLive(g);
    }

    /**
     * DeleteGlobalReplicationGroup keeping the primary, retried while the datastore is busy with a change; while
     * secondaries remain AWS refuses, which fails naming them. Then a wait until the datastore is gone.
     */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String id = current.id();
        String address = ctx.address() != null ? ctx.address() : id;
        Optional<GlobalReplicationGroup> g = describeGlobal(id);
        if (g.isEmpty()) {
            return;
        }
        if (!GONE.contains(g.get().status())) {
            try {
                retrying(ctx, "DeleteGlobalReplicationGroup " + id, UPDATE_TIMEOUT, POLL_INTERVAL,
                        e -> INVALID_GLOBAL_STATE.equals(e.code()) && secondaries(id).isEmpty(),
                        () -> call("DeleteGlobalReplicationGroup", () -> elasticache().deleteGlobalReplicationGroup(
                                b -> b.globalReplicationGroupId(id).retainPrimaryReplicationGroup(true))));
            } catch (AwsCallException e) {
                List<String> secondaries = INVALID_GLOBAL_STATE.equals(e.code()) ? secondaries(id) : List.of();
                if (secondaries.isEmpty()) {
                    throw e;
                }
                throw new ProviderException(address, "global datastore " + id + " still has secondary members "
                        + String.join(", ", secondaries) + ": AWS deletes a global datastore only once its secondaries"
                        + " are disassociated (delete those replication groups first). " + e.getMessage(), e);
            }
        }
        awaitGone(ctx, "global datastore " + id, DELETE_TIMEOUT, POLL_INTERVAL, () -> describeGlobal(id)
                .filter(x -> !"deleted".equals(x.status())));
    }

    private List<String> secondaries(String id) {
        return describeGlobal(id).map(GlobalReplicationGroupProvider::secondariesOf).orElse(List.of());
    }
}
