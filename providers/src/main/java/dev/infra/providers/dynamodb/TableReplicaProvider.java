package dev.infra.providers.dynamodb;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.ReplicaStatus;
import software.amazon.awssdk.services.dynamodb.model.ReplicationGroupUpdate;
import software.amazon.awssdk.services.dynamodb.model.SSEStatus;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * {@code aws_dynamodb_table_replica}: "table {@code tableName} of region {@code sourceRegion} has a replica in this
 * region" (global tables version 2019.11.21). It lives in the replica region's registry; every change is an
 * UpdateTable with ReplicaUpdates on the source table, in the source region ({@link AwsClients#in}).
 *
 * <p>Attributes: tableName F, sourceRegion W (in the id too, so reads and deletes need no state), kmsKeyId A (the KMS
 * key ARN in this region encrypting the replica; absent: the key AWS picks, left alone), pointInTimeRecovery A (the
 * replica table's own, as AWS keeps it per replica: UpdateContinuousBackups here once the replica is active),
 * deletionProtection A (the replica table's own, also per replica: UpdateTable here; while on, the plan refuses the
 * replica's removal as it does a protected table's, {@code destroy --region} included), C arn (the replica table's
 * ARN, as DescribeTable here reports it) and status (the ReplicaStatus the source table reports). No tags: DynamoDB
 * sets tags per replica and this type adds none, so the replica table never looks like a leftover
 * {@code aws_dynamodb_table} of the stack. Id: {@code <tableName>@<sourceRegion>}.
 *
 * <p>Create adds the replica (ReplicaUpdates Create with RegionName and KMSMasterKeyId), one region per call as AWS
 * requires, retried while the table is busy or a limit is hit, then waits up to 30 minutes until the source table is
 * ACTIVE and lists this region ACTIVE. DynamoDB enables the source table's stream itself (MREC replication runs on
 * it), so the table needs none beforehand. A replica the source table already lists is adopted, never added twice.
 * Update changes the key (ReplicaUpdates Update). Delete removes it (ReplicaUpdates Delete) and waits until the
 * source no longer lists this region and the replica table is gone here; a table or replica already gone is done.
 *
 * <p>readAll: nothing to discover (no tags); each state id costs DescribeTable in the source region (does it list this
 * region?), DescribeTable here (ARN, key, deletion protection) and DescribeContinuousBackups here (point-in-time recovery): 3 calls.
 */
public final class TableReplicaProvider extends AwsResourceProvider {

    public static final String TYPE = "aws_dynamodb_table_replica";
    static final String TABLE_NAME = "tableName";
    static final String SOURCE_REGION = "sourceRegion";
    static final String KMS_KEY = "kmsKeyId";
    /** Point-in-time recovery of the replica table: set per replica ("Best practices for global tables"). */
    static final String PITR = TableProvider.PITR;
    /** Deletion protection of the replica table: per replica, as point-in-time recovery is. */
    static final String DELETION_PROTECTION = TableProvider.DELETION_PROTECTION;
    static final String ARN = "arn";
    static final String STATUS = "status";

    /** How long one replica change may take (terraform-provider-aws: replicaUpdate, 30 min). */
    static final Duration REPLICA_TIMEOUT = Duration.ofMinutes(30);
    /** Refusals that pass: the table busy with another change, too many changes at once, throttling. */
    private static final Set<String> BUSY = Set.of(TableProvider.IN_USE, "LimitExceededException", "ThrottlingException");
    /** Replica states AWS does not leave by itself: a wait for ACTIVE ends there. */
    private static final Set<ReplicaStatus> FAILED = EnumSet.of(ReplicaStatus.CREATION_FAILED, ReplicaStatus.REGION_DISABLED,
            ReplicaStatus.INACCESSIBLE_ENCRYPTION_CREDENTIALS, ReplicaStatus.REPLICATION_NOT_AUTHORIZED);

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(KMS_KEY, Kind.REFERENCE).updatable()
                    .doc("the KMS key ARN *in R* encrypting the replica; absent = the key AWS picks, left alone"),
            Attribute.required(SOURCE_REGION, Kind.STRING).writeOnly()
                    .doc("P, the region of the table replicated; also in the id"),
            Attribute.required(TABLE_NAME, Kind.STRING),
            Attribute.optional(PITR, Kind.BOOL).updatable()
                    .doc("the replica table's own, per replica on AWS; UpdateContinuousBackups in R once the replica is active, read with DescribeContinuousBackups in R; the expansion gives the primary's"),
            Attribute.optional(DELETION_PROTECTION, Kind.BOOL).updatable()
                    .doc("the replica table's own, per replica on AWS; UpdateTable in R once the replica is active, read with DescribeTable in R; the expansion gives the primary's; while on, the plan refuses to remove the replica"),
            Attribute.computed(ARN, Kind.STRING)
                    .doc("the replica table's ARN in R, from DescribeTable in R"),
            Attribute.computed(STATUS, Kind.STRING))
            .with(Trait.LINKED_TO_PRIMARY)
            .deletionProtection(DELETION_PROTECTION)
            .id("`<tableName>@<sourceRegion>`")
            .notes("Status (the ReplicaStatus P's table reports); no tags (DynamoDB tags each replica separately; the replica table stays untagged, so R's `aws_dynamodb_table` never sees it as a leftover). Global tables 2019.11.21: create = UpdateTable in P with ReplicaUpdates Create {RegionName R, KMSMasterKeyId}, one region per call, retried on ResourceInUse/LimitExceeded/Throttling, waited (30 min) until P's table is ACTIVE and lists R ACTIVE; a replica P already lists is adopted. The source table needs no stream: DynamoDB enables it (MREC replication runs on it). Update = ReplicaUpdates Update (key); pointInTimeRecovery and deletionProtection are the replica table's own, set in R (UpdateContinuousBackups, UpdateTable). Delete = ReplicaUpdates Delete, waited until P no longer lists R and R's table is gone; table or replica gone = done. readAll: 2 DescribeTable per id (P, R) and a DescribeContinuousBackups in R");

    public TableReplicaProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return DynamoTables.isGone(e);
    }

    /** What an id names: the table and the region of the table it replicates. */
    record Id(String tableName, String sourceRegion) {

        static Optional<Id> parse(String id) {
            int at = id.lastIndexOf('@');
            return at <= 0 || at == id.length() - 1 ? Optional.empty()
                    : Optional.of(new Id(id.substring(0, at), id.substring(at + 1)));
        }

        static Id of(ResourceSpec spec) {
            return new Id(SpecValues.string(spec, TABLE_NAME), SpecValues.string(spec, SOURCE_REGION));
        }

        @Override
        public String toString() {
            return tableName + "@" + sourceRegion;
        }
    }

    private String region() {
        return clients().region();
    }

    /** The client of the source table's region. */
    private DynamoDbClient source(Id id) {
        return DynamoTables.client(clients().in(id.sourceRegion()));
    }

    private Optional<TableDescription> sourceTable(Id id) {
        return DynamoTables.describe(source(id), id.tableName());
    }

    /** This region's entry among the table's replicas. */
    private Optional<ReplicaDescription> replicaHere(TableDescription t) {
        return t.replicas().stream().filter(r -> region().equals(r.regionName())).findFirst();
    }

    private String what(Id id) {
        return "replica in " + region() + " of DynamoDB table " + id.tableName() + " (" + id.sourceRegion() + ")";
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, id -> Id.parse(id).flatMap(this::read));
    }

    /** Adopts the replica the source table already lists (a create that was interrupted, or made by hand). */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return read(Id.of(spec));
    }

    /** The replica while the source table lists this region (and is not being deleted); empty otherwise. */
    private Optional<LiveResource> read(Id id) {
        Optional<ReplicaDescription> listed = sourceTable(id).filter(t -> t.tableStatus() != TableStatus.DELETING)
                .flatMap(this::replicaHere).filter(r -> r.replicaStatus() != ReplicaStatus.DELETING);
        if (listed.isEmpty()) {
            return Optional.empty();
        }
        Optional<TableDescription> here = DynamoTables.describe(DynamoTables.client(clients()), id.tableName());
        Map<String, Object> a = new TreeMap<>();
        a.put(TABLE_NAME, id.tableName());
        a.put(SOURCE_REGION, id.sourceRegion());
        a.put(STATUS, listed.get().replicaStatusAsString());
        here.ifPresent(t -> {
            putIfPresent(a, ARN, t.tableArn());
            a.put(DELETION_PROTECTION, Boolean.TRUE.equals(t.deletionProtectionEnabled()));
            a.put(PITR, DynamoTables.pointInTimeRecovery(DynamoTables.client(clients()), id.tableName()));
        });
        putIfPresent(a, KMS_KEY, here.map(TableDescription::sseDescription)
                .filter(s -> s.status() == SSEStatus.ENABLED || s.status() == SSEStatus.UPDATING)
                .map(s -> s.kmsMasterKeyArn())
                .orElse(listed.get().kmsMasterKeyId()));
        return Optional.of(live(id.toString(), Map.of(), a));
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        Id id = Id.of(spec);
        if (id.sourceRegion().equals(region())) {
            throw new ProviderException(spec.address(), "a replica of DynamoDB table " + id.tableName()
                    + " must be in another region than its table (" + id.sourceRegion() + ")");
        }
        String key = SpecValues.optionalString(spec, KMS_KEY);
        change(ctx, id, "to add its replica in " + region(),
                u -> u.create(c -> c.regionName(region()).kmsMasterKeyId(key)), t -> replicaHere(t).isPresent());
        awaitActive(ctx, id);
        if (SpecValues.bool(spec, PITR, false)) {
            setPointInTimeRecovery(ctx, id, true);
        }
        if (SpecValues.bool(spec, DELETION_PROTECTION, false)) {
            setDeletionProtection(ctx, id, true);
        }
        return awaitActive(ctx, id);
    }

    /** UpdateContinuousBackups on the replica table, in this region; retried while backups are not available yet. */
    private void setPointInTimeRecovery(OperationContext ctx, Id id, boolean enabled) {
        retrying(ctx, "UpdateContinuousBackups " + id.tableName() + " in " + region(), REPLICA_TIMEOUT,
                TableProvider.POLL_INTERVAL, e -> TableProvider.BACKUPS_UNAVAILABLE.equals(e.code()), () -> {
                    DynamoTables.setPointInTimeRecovery(DynamoTables.client(clients()), id.tableName(), enabled);
                    return Boolean.TRUE;
                });
    }

    /** UpdateTable DeletionProtectionEnabled on the replica table, in this region; retried while it is busy. */
    private void setDeletionProtection(OperationContext ctx, Id id, boolean enabled) {
        DynamoDbClient here = DynamoTables.client(clients());
        retrying(ctx, "UpdateTable " + id.tableName() + " in " + region() + " to turn deletion protection "
                        + (enabled ? "on" : "off"), REPLICA_TIMEOUT, TableProvider.POLL_INTERVAL,
                e -> BUSY.contains(e.code()), () -> call("UpdateTable", () -> here.updateTable(
                        b -> b.tableName(id.tableName()).deletionProtectionEnabled(enabled))));
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        Id id = Id.of(spec);
        String key = SpecValues.optionalString(spec, KMS_KEY);
        if (key != null && changed.contains(KMS_KEY)) {
            change(ctx, id, "to change the key of its replica in " + region(),
                    u -> u.update(c -> c.regionName(region()).kmsMasterKeyId(key)), t -> false);
        }
        Boolean pitr = SpecValues.optionalBoolean(spec, PITR);
        if (pitr != null && changed.contains(PITR)) {
            setPointInTimeRecovery(ctx, id, pitr);
        }
        Boolean protect = SpecValues.optionalBoolean(spec, DELETION_PROTECTION);
        if (protect != null && changed.contains(DELETION_PROTECTION)) {
            setDeletionProtection(ctx, id, protect);
        }
        return awaitActive(ctx, id);
    }

    /**
     * ReplicaUpdates Delete, then a wait until the source table no longer lists this region and the replica table is
     * gone here. Nothing to do when the source table or its replica is gone already.
     */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        Id id = Id.parse(current.id()).orElseThrow(() -> new ProviderException(ctx.address(),
                "not a DynamoDB replica id (<tableName>@<sourceRegion>): " + current.id()));
        Predicate<TableDescription> removed = t -> replicaHere(t).isEmpty();
        Optional<TableDescription> t = sourceTable(id);
        if (t.isEmpty() || removed.test(t.get())) {
            return;
        }
        if (replicaHere(t.get()).get().replicaStatus() != ReplicaStatus.DELETING) {
            change(ctx, id, "to remove its replica in " + region(), u -> u.delete(d -> d.regionName(region())), removed);
        }
        DynamoDbClient here = DynamoTables.client(clients());
        awaitGone(ctx, what(id), REPLICA_TIMEOUT, TableProvider.POLL_INTERVAL, () -> sourceTable(id)
                .flatMap(this::replicaHere).map(Object.class::cast)
                .or(() -> DynamoTables.describe(here, id.tableName())
                        .filter(x -> x.tableStatus() == TableStatus.DELETING || x.replicas().stream()
                                .anyMatch(r -> id.sourceRegion().equals(r.regionName())))));
    }

    /**
     * One UpdateTable with {@code update} on the source table, retried while DynamoDB refuses it for now (busy,
     * limits, throttling). {@code done} tells whether the change is there already: then no call is made, and a call
     * that fails once it is there (an answer lost after it took effect, retried by the SDK) counts as made.
     */
    private void change(OperationContext ctx, Id id, String what, Consumer<ReplicationGroupUpdate.Builder> update,
                        Predicate<TableDescription> done) {
        DynamoDbClient source = source(id);
        retrying(ctx, "UpdateTable " + id.tableName() + " in " + id.sourceRegion() + " " + what, REPLICA_TIMEOUT,
                TableProvider.POLL_INTERVAL, e -> BUSY.contains(e.code()), () -> {
                    TableDescription t = sourceTable(id).orElseThrow(() -> noTable(ctx, id));
                    if (done.test(t)) {
                        return t;
                    }
                    try {
                        return call("UpdateTable", () -> source.updateTable(b -> b.tableName(id.tableName())
                                .replicaUpdates(ReplicationGroupUpdate.builder().applyMutation(update).build())))
                                .tableDescription();
                    } catch (AwsCallException e) {
                        Optional<TableDescription> after = BUSY.contains(e.code()) ? Optional.empty() : sourceTable(id);
                        if (after.isPresent() && done.test(after.get())) {
                            return after.get();
                        }
                        throw e;
                    }
                });
    }

    /**
     * Waits until the source table is ACTIVE and lists this region ACTIVE, and the replica table's encryption has
     * settled; fails at once on a state AWS does not leave by itself (CREATION_FAILED, a key it cannot use…).
     */
    private LiveResource awaitActive(OperationContext ctx, Id id) {
        DynamoDbClient here = DynamoTables.client(clients());
        ctx.await(what(id) + " to be ACTIVE", REPLICA_TIMEOUT, TableProvider.POLL_INTERVAL, () -> {
            TableDescription t = sourceTable(id).orElseThrow(() -> noTable(ctx, id));
            Optional<ReplicaDescription> r = replicaHere(t);
            if (r.isPresent() && FAILED.contains(r.get().replicaStatus())) {
                throw new ProviderException(ctx.address(), what(id) + " is " + r.get().replicaStatusAsString()
                        + (r.get().replicaStatusDescription() == null ? "" : ": " + r.get().replicaStatusDescription()));
            }
            boolean active = t.tableStatus() == TableStatus.ACTIVE && r.isPresent()
                    && r.get().replicaStatus() == ReplicaStatus.ACTIVE;
            return active && DynamoTables.describe(here, id.tableName()).filter(x -> x.tableStatus() == TableStatus.ACTIVE
                    && (x.sseDescription() == null || x.sseDescription().status() != SSEStatus.UPDATING)).isPresent()
                    ? Optional.of(t) : Optional.empty();
        });
        return read(id).orElseThrow(() -> new ProviderException(ctx.address(), what(id) + " no longer exists"));
    }

    private static ProviderException noTable(OperationContext ctx, Id id) {
        return new ProviderException(ctx.address(), "DynamoDB table " + id.tableName() + " does not exist in "
                + id.sourceRegion());
    }
}
