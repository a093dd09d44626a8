package dev.infra.providers.dynamodb;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.HeldData;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.Lifecycle;
import dev.infra.providers.ParallelReads;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexUpdate;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ListTagsOfResourceResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputDescription;
import software.amazon.awssdk.services.dynamodb.model.SSEDescription;
import software.amazon.awssdk.services.dynamodb.model.SSESpecification;
import software.amazon.awssdk.services.dynamodb.model.SSEStatus;
import software.amazon.awssdk.services.dynamodb.model.SSEType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.Tag;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.dynamodb.model.UpdateTableRequest;

/**
 * {@code aws_dynamodb_table} (id: the table name): name, partitionKey and sortKey ({name, type: S|N|B}; no sortKey:
 * none), billingMode (PAY_PER_REQUEST | PROVISIONED), readCapacity and writeCapacity (provisioned only; the indexes get
 * the table's), globalSecondaryIndexes (list of {name, partitionKey, sortKey?, projection}, sorted by name),
 * pointInTimeRecovery, ttlAttribute (absent: TTL off), kmsKeyArn (SSE-KMS with that key; absent: the AWS owned key),
 * deletionProtection, tags; computed arn, streamArn.
 *
 * <p>CreateTable carries keys, billing, indexes, SSE, deletion protection and tags; then a wait for ACTIVE, and
 * UpdateContinuousBackups / UpdateTimeToLive when asked for. DynamoDB does one thing per UpdateTable, so an update
 * makes one call per change, each waited for: billing and capacity (the indexes' with them), each index removed (until
 * it is gone), each index added (until it is ACTIVE), the key, deletion protection. TTL changes are one UpdateTimeToLive:
 * AWS takes one per table and hour ("Any additional UpdateTimeToLive calls for the same table during this one hour
 * duration result in a ValidationException", API_UpdateTimeToLive), so a new TTL attribute in place of another (off, then
 * on) is refused at plan time with the way through ({@link #refusals}), rather than planned as two steps an hour apart.
 *
 * <p>readAll: ListTables has no tag filter, so the stack's tables come from one GetResources call of the Resource
 * Groups Tagging API (tags included), then DescribeTable, DescribeContinuousBackups and DescribeTimeToLive per table (no
 * batch forms): 1 + 3n calls. Ids of state it misses cost those three and a ListTagsOfResource each. Delete refuses a
 * table whose deletion protection is on, rather than turning it off.
 */
public final class TableProvider extends AwsResourceProvider {

    public static final String TYPE = "aws_dynamodb_table";
    static final String NAME = "name";
    static final String PARTITION_KEY = "partitionKey";
    static final String SORT_KEY = "sortKey";
    static final String BILLING_MODE = "billingMode";
    static final String READ_CAPACITY = "readCapacity";
    static final String WRITE_CAPACITY = "writeCapacity";
    static final String INDEXES = "globalSecondaryIndexes";
    static final String PITR = "pointInTimeRecovery";
    static final String TTL = "ttlAttribute";
    static final String KMS_KEY = "kmsKeyArn";
    static final String DELETION_PROTECTION = "deletionProtection";
    static final String ARN = "arn";
    static final String STREAM_ARN = "streamArn";
    static final String KEY_NAME = "name";
    static final String KEY_TYPE = "type";
    static final String PROJECTION = "projection";

    static final String IN_USE = "ResourceInUseException";
    static final String BACKUPS_UNAVAILABLE = "ContinuousBackupsUnavailableException";
    static final Duration TABLE_TIMEOUT = Duration.ofMinutes(30);
    /** Adding an index to a large table takes long: DynamoDB backfills it. */
    static final Duration INDEX_TIMEOUT = Duration.ofHours(2);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(5);
    /** Tables in ARNs: {@code arn:aws:dynamodb:<region>:<account>:table/<name>}. */
    private static final String TABLE_ARN = ":table/";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(BILLING_MODE, Kind.STRING).rule(Rule.OneOf.of("billing mode", "PROVISIONED", "PAY_PER_REQUEST")).updatable()
                    .doc("PAY_PER_REQUEST \\| PROVISIONED"),
            Attribute.required(DELETION_PROTECTION, Kind.BOOL).updatable()
                    .doc("a delete while on fails with a clear message"),
            Attribute.required(INDEXES, Kind.LIST).updatable()
                    .doc("list of {name, partitionKey, sortKey?, projection: ALL}, sorted by name; one index added or removed per UpdateTable, waiting in between"),
            Attribute.required(KMS_KEY, Kind.REFERENCE).updatable()
                    .doc("SSE with the stack key"),
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.TABLE),
            Attribute.required(PARTITION_KEY, Kind.MAP)
                    .doc("{name, type: S\\|N\\|B}"),
            Attribute.required(PITR, Kind.BOOL).updatable(),
            Attribute.optional(SORT_KEY, Kind.MAP)
                    .doc("same shape, may be absent"),
            Attribute.optional(TTL, Kind.STRING).updatable().absentMeansNone()
                    .doc("absent = off"),
            Attribute.optional(READ_CAPACITY, Kind.NUMBER).updatable(),
            Attribute.optional(WRITE_CAPACITY, Kind.NUMBER).updatable()
                    .doc("provisioned only"),
            Attribute.computed(ARN, Kind.STRING),
            Attribute.computed(STREAM_ARN, Kind.STRING))
            .with(Trait.TAGGED)
            .deletionProtection(DELETION_PROTECTION)
            .id("table name")
            .notes("HeldData (shown, not refused): DescribeTable's ItemCount and TableSizeBytes");

    /** Describe, DELETING, ResourceInUse while an earlier change runs, 30 minutes a change. */
    private final Lifecycle<TableDescription> life = Lifecycle.of("DynamoDB table", this::describe,
            t -> t.tableStatus() == TableStatus.DELETING, TABLE_TIMEOUT, POLL_INTERVAL).withBusy(e -> IN_USE.equals(e.code()));

    public TableProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    private DynamoDbClient dynamo() {
        return DynamoTables.client(clients());
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return DynamoTables.isGone(e);
    }

    // ---- the spec -------------------------------------------------------------------------------------------

    /** A key attribute, {name, type}. */
    record Key(String name, String type) {

        static Key of(ResourceSpec spec, String what, Object value) {
            if (value instanceof Map<?, ?> m && m.get(KEY_NAME) instanceof String n && m.get(KEY_TYPE) instanceof String t) {
                return new Key(n, t);
            }
            throw new ProviderException(spec.address(), what + " must be a map {name, type: S|N|B}, got " + value);
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new TreeMap<>();
            m.put(KEY_NAME, name);
            putIfPresent(m, KEY_TYPE, type);
            return m;
        }
    }

    /** A global secondary index; sortKey may be null. */
    record Index(String name, Key partitionKey, Key sortKey, String projection) {

        static Index of(ResourceSpec spec, Map<?, ?> m) {
            if (!(m.get(KEY_NAME) instanceof String name)) {
                throw new ProviderException(spec.address(), INDEXES + " entries need a name, got " + m);
            }
            String what = INDEXES + " " + name + ".";
            Key sort = m.get(SORT_KEY) == null ? null : Key.of(spec, what + SORT_KEY, m.get(SORT_KEY));
            return new Index(name, Key.of(spec, what + PARTITION_KEY, m.get(PARTITION_KEY)), sort,
                    m.get(PROJECTION) == null ? "ALL" : m.get(PROJECTION).toString());
        }

        Map<String, Object> toMap() {
            Map<String, Object> m = new TreeMap<>();
            m.put(KEY_NAME, name);
            m.put(PARTITION_KEY, partitionKey.toMap());
            if (sortKey != null) {
                m.put(SORT_KEY, sortKey.toMap());
            }
            m.put(PROJECTION, projection);
            return m;
        }
    }

    /** What the spec asks for. Read and write capacity are null unless provisioned. */
    record Desired(String name, Key partitionKey, Key sortKey, String billingMode, Long read, Long write,
                   List<Index> indexes, boolean pointInTimeRecovery, String ttlAttribute, String kmsKeyArn,
                   boolean deletionProtection) {

        static Desired of(ResourceSpec spec) {
            String mode = Objects.requireNonNullElse(SpecValues.optionalString(spec, BILLING_MODE), "PAY_PER_REQUEST");
            boolean provisioned = BillingMode.PROVISIONED.toString().equals(mode);
            if (!provisioned && !BillingMode.PAY_PER_REQUEST.toString().equals(mode)) {
                throw new ProviderException(spec.address(), BILLING_MODE + " must be PAY_PER_REQUEST or PROVISIONED, got " + mode);
            }
            Object sort = spec.attributes().get(SORT_KEY);
            List<Index> indexes = SpecValues.maps(spec, INDEXES).stream().map(m -> Index.of(spec, m))
                    .sorted(Comparator.comparing(Index::name)).toList();
            return new Desired(SpecValues.string(spec, NAME), Key.of(spec, PARTITION_KEY, spec.attributes().get(PARTITION_KEY)),
                    sort == null ? null : Key.of(spec, SORT_KEY, sort), mode,
                    provisioned ? SpecValues.number(spec, READ_CAPACITY) : null,
                    provisioned ? SpecValues.number(spec, WRITE_CAPACITY) : null,
                    indexes, SpecValues.bool(spec, PITR, false), SpecValues.optionalString(spec, TTL),
                    SpecValues.optionalString(spec, KMS_KEY), SpecValues.bool(spec, DELETION_PROTECTION, false));
        }

        boolean provisioned() {
            return read != null;
        }

        ProvisionedThroughput throughput() {
            return provisioned() ? ProvisionedThroughput.builder().readCapacityUnits(read).writeCapacityUnits(write).build()
                    : null;
        }

        GlobalSecondaryIndex toSdk(Index i) {
            return GlobalSecondaryIndex.builder().indexName(i.name()).keySchema(keySchema(i.partitionKey(), i.sortKey()))
                    .projection(p -> p.projectionType(i.projection())).provisionedThroughput(throughput()).build();
        }
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        Map<String, Map<String, String>> tagged = new TreeMap<>();
        taggedResources("dynamodb:table", Map.of(STACK_TAG, stack)).forEach((arn, tags) -> {
            int at = arn.indexOf(TABLE_ARN);
            if (at >= 0) {
                tagged.put(arn.substring(at + TABLE_ARN.length()), tags);
            }
        });
        return readDetails(tagged.entrySet(), e -> readTable(e.getKey(), e.getValue()));
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, name -> readTable(name, null));
    }

    /** By name, unique in the region: adopted when untagged or tagged for this address and stack. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String name = SpecValues.string(spec, NAME);
        return claimed(spec.address(), stack, "DynamoDB table " + name, readTable(name, null));
    }

    /** The table in whatever status; empty when DynamoDB does not know it. */
    private Optional<TableDescription> describe(String name) {
        return DynamoTables.describe(dynamo(), name);
    }

    /** The table unless being deleted, with {@code tags} (read with ListTagsOfResource when null). */
    private Optional<LiveResource> readTable(String name, Map<String, String> tags) {
        return life.live(name).flatMap(t -> ProviderSupport.unless(this::isGone, () -> Optional.of(toLive(t, tags))));
    }

    private Map<String, String> tagsOf(String arn) {
        Map<String, String> tags = new TreeMap<>();
        String next = null;
        do {
            String token = next;
            ListTagsOfResourceResponse r = call("ListTagsOfResource",
                    () -> dynamo().listTagsOfResource(b -> b.resourceArn(arn).nextToken(token)));
            r.tags().forEach(t -> tags.put(t.key(), t.value()));
            next = r.nextToken();
        } while (next != null);
        return tags;
    }

    /** {@code t} with its tags (ListTagsOfResource when null), PITR and TTL, read together. */
    private LiveResource toLive(TableDescription t, Map<String, String> knownTags) {
        var tags = ParallelReads.fork(() -> knownTags != null ? knownTags : tagsOf(t.tableArn()));
        var pitr = ParallelReads.fork(() -> DynamoTables.pointInTimeRecovery(dynamo(), t.tableName()));
        Optional<String> ttlAttribute = ttlAttribute(t.tableName());
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, t.tableName());
        Map<String, String> types = new TreeMap<>();
        t.attributeDefinitions().forEach(d -> types.put(d.attributeName(), d.attributeTypeAsString()));
        putKeys(a, t.keySchema(), types);
        String mode = t.billingModeSummary() == null || t.billingModeSummary().billingMode() == null
                ? BillingMode.PROVISIONED.toString() // AWS leaves the summary out for tables always provisioned
                : t.billingModeSummary().billingModeAsString();
        a.put(BILLING_MODE, mode);
        if (BillingMode.PROVISIONED.toString().equals(mode) && t.provisionedThroughput() != null) {
            a.put(READ_CAPACITY, t.provisionedThroughput().readCapacityUnits());
            a.put(WRITE_CAPACITY, t.provisionedThroughput().writeCapacityUnits());
        }
        a.put(INDEXES, t.globalSecondaryIndexes().stream()
                .sorted(Comparator.comparing(GlobalSecondaryIndexDescription::indexName))
                .map(i -> indexOf(i, types).toMap())
                .toList());
        SSEDescription sse = t.sseDescription();
        if (sse != null && (sse.status() == SSEStatus.ENABLED || sse.status() == SSEStatus.UPDATING)) {
            putIfPresent(a, KMS_KEY, sse.kmsMasterKeyArn());
        }
        a.put(DELETION_PROTECTION, Boolean.TRUE.equals(t.deletionProtectionEnabled()));
        a.put(PITR, pitr.join());
        ttlAttribute.ifPresent(ttl -> a.put(TTL, ttl));
        a.put(ARN, t.tableArn());
        putIfPresent(a, STREAM_ARN, t.latestStreamArn());
        return live(t.tableName(), tags.join(), a);
    }

    /** partitionKey and sortKey of a key schema, typed from the attribute definitions. */
    private static void putKeys(Map<String, Object> a, List<KeySchemaElement> schema, Map<String, String> types) {
        for (KeySchemaElement e : schema) {
            Key k = new Key(e.attributeName(), types.get(e.attributeName()));
            a.put(e.keyType() == KeyType.HASH ? PARTITION_KEY : SORT_KEY, k.toMap());
        }
    }

    private static Index indexOf(GlobalSecondaryIndexDescription i, Map<String, String> types) {
        Map<String, Object> keys = new TreeMap<>();
        putKeys(keys, i.keySchema(), types);
        return new Index(i.indexName(), keyOf(keys.get(PARTITION_KEY)), keyOf(keys.get(SORT_KEY)),
                i.projection() == null ? null : i.projection().projectionTypeAsString());
    }

    private static Key keyOf(Object map) {
        return map instanceof Map<?, ?> m ? new Key((String) m.get(KEY_NAME), (String) m.get(KEY_TYPE)) : null;
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        Desired d = Desired.of(spec);
        createOnce(ctx, spec.address(), () -> call("CreateTable", () -> clients()
                        .forCreates(DynamoDbClient.class, DynamoDbClient::builder)
                        .createTable(b -> b.tableName(d.name())
                                .keySchema(keySchema(d.partitionKey(), d.sortKey()))
                                .attributeDefinitions(definitions(d, d.indexes()))
                                .billingMode(d.billingMode())
                                .provisionedThroughput(d.throughput())
                                .globalSecondaryIndexes(d.indexes().isEmpty() ? null
                                        : d.indexes().stream().map(d::toSdk).toList())
                                .sseSpecification(sse(d.kmsKeyArn()))
                                .deletionProtectionEnabled(d.deletionProtection())
                                .tags(dynamoTags(spec.tags())))).tableDescription().tableName(),
                () -> describe(d.name()).map(TableDescription::tableName), e -> false);
        life.await(ctx, d.name(), "to become ACTIVE", TableProvider::settled);
        if (d.pointInTimeRecovery()) {
            setPointInTimeRecovery(ctx, d.name(), true);
        }
        if (d.ttlAttribute() != null) {
            setTimeToLive(d.name(), d.ttlAttribute(), true);
        }
        return readBack(ctx, d.name());
    }

    /** A TTL attribute renamed: two UpdateTimeToLive calls, which AWS refuses within the hour. */
    @Override
    public List<String> refusals(LiveResource current, Map<String, Object> desired) {
        if (current.attributes().get(TTL) instanceof String have && desired.get(TTL) instanceof String want
                && !have.equals(want)) {
            return List.of("ttlAttribute " + have + " → " + want + ": DynamoDB changes a table's TTL once an hour (\"Time"
                    + " to live has been modified multiple times within a fixed interval\"), and a new attribute takes"
                    + " two changes (off, then on): remove ttl, apply, wait an hour, then set ttl: " + want + " and apply");
        }
        return List.of();
    }

    /** Each attribute in {@code changed}, one at a time and waited for (see the class comment). */
    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        Desired d = Desired.of(spec);
        String name = current.id();
        String arn = (String) current.attributes().get(ARN);
        updateTags(current, spec, changed,
                t -> call("TagResource", () -> dynamo().tagResource(b -> b.resourceArn(arn).tags(dynamoTags(t)))),
                keys -> call("UntagResource", () -> dynamo().untagResource(b -> b.resourceArn(arn).tagKeys(keys))));
        if (changed.contains(BILLING_MODE) || changed.contains(READ_CAPACITY) || changed.contains(WRITE_CAPACITY)) {
            updateCapacity(ctx, d);
        }
        if (changed.contains(INDEXES)) {
            updateIndexes(ctx, d);
        }
        if (changed.contains(KMS_KEY)) {
            updateTable(ctx, name, "to use its new key", TABLE_TIMEOUT, b -> b.sseSpecification(d.kmsKeyArn() == null
                    ? SSESpecification.builder().enabled(false).build() : sse(d.kmsKeyArn())), t -> true);
        }
        if (changed.contains(PITR)) {
            setPointInTimeRecovery(ctx, name, d.pointInTimeRecovery());
        }
        if (changed.contains(TTL)) {
            // One UpdateTimeToLive, on or off: a rename takes two, which AWS refuses within the hour (see refusals).
            String ttl = (String) current.attributes().get(TTL);
            setTimeToLive(name, d.ttlAttribute() != null ? d.ttlAttribute() : ttl, d.ttlAttribute() != null);
        }
        if (changed.contains(DELETION_PROTECTION)) {
            updateTable(ctx, name, "to change deletion protection", TABLE_TIMEOUT,
                    b -> b.deletionProtectionEnabled(d.deletionProtection()), t -> true);
        }
        return readBack(ctx, name);
    }

    /**
     * One UpdateTable for billing mode and capacity. Provisioned, the indexes get the table's capacity in the same
     * call (AWS requires theirs when switching to PROVISIONED); only what changes is sent, as AWS refuses an unchanged
     * throughput.
     */
    private void updateCapacity(OperationContext ctx, Desired d) {
        TableDescription t = describe(d.name()).orElseThrow(() -> gone(ctx, d.name()));
        boolean wasProvisioned = t.billingModeSummary() == null || t.billingModeSummary().billingMode() == null
                || t.billingModeSummary().billingMode() == BillingMode.PROVISIONED;
        ProvisionedThroughput want = d.throughput();
        List<GlobalSecondaryIndexUpdate> indexUpdates = new ArrayList<>();
        if (want != null) {
            t.globalSecondaryIndexes().stream()
                    .filter(i -> !wasProvisioned || !sameThroughput(i.provisionedThroughput(), want))
                    .forEach(i -> indexUpdates.add(GlobalSecondaryIndexUpdate.builder()
                            .update(u -> u.indexName(i.indexName()).provisionedThroughput(want)).build()));
        }
        boolean modeChanges = wasProvisioned != d.provisioned();
        updateTable(ctx, d.name(), "to take its new capacity", TABLE_TIMEOUT, b -> b
                .billingMode(modeChanges ? d.billingMode() : null)
                .provisionedThroughput(want != null && (modeChanges || !sameThroughput(t.provisionedThroughput(), want))
                        ? want : null)
                .globalSecondaryIndexUpdates(indexUpdates.isEmpty() ? null : indexUpdates), x -> true);
    }

    private static boolean sameThroughput(ProvisionedThroughputDescription have, ProvisionedThroughput want) {
        return have != null && Objects.equals(have.readCapacityUnits(), want.readCapacityUnits())
                && Objects.equals(have.writeCapacityUnits(), want.writeCapacityUnits());
    }

    /**
     * Removes the indexes the spec does not have as they are (a changed index is removed and added again), one
     * UpdateTable each until it is gone; then adds the missing ones, one each until ACTIVE, declaring every key
     * attribute the table and its indexes will use.
     */
    private void updateIndexes(OperationContext ctx, Desired d) {
        TableDescription t = describe(d.name()).orElseThrow(() -> gone(ctx, d.name()));
        Map<String, String> types = new TreeMap<>();
        t.attributeDefinitions().forEach(a -> types.put(a.attributeName(), a.attributeTypeAsString()));
        Map<String, Index> have = new LinkedHashMap<>();
        t.globalSecondaryIndexes().forEach(i -> have.put(i.indexName(), indexOf(i, types)));
        Map<String, Index> want = new LinkedHashMap<>();
        d.indexes().forEach(i -> want.put(i.name(), i));
        for (Index old : List.copyOf(have.values())) {
            if (!old.equals(want.get(old.name()))) {
                updateTable(ctx, d.name(), "to drop index " + old.name(), TABLE_TIMEOUT,
                        b -> b.globalSecondaryIndexUpdates(u -> u.delete(x -> x.indexName(old.name()))),
                        x -> x.globalSecondaryIndexes().stream().noneMatch(i -> i.indexName().equals(old.name())));
                have.remove(old.name());
            }
        }
        for (Index added : want.values()) {
            if (!have.containsKey(added.name())) {
                have.put(added.name(), added);
                List<Index> all = List.copyOf(have.values());
                updateTable(ctx, d.name(), "to build index " + added.name(), INDEX_TIMEOUT, b -> b
                                .attributeDefinitions(definitions(d, all))
                                .globalSecondaryIndexUpdates(u -> u.create(x -> x.indexName(added.name())
                                        .keySchema(keySchema(added.partitionKey(), added.sortKey()))
                                        .projection(p -> p.projectionType(added.projection()))
                                        .provisionedThroughput(d.throughput()))),
                        x -> x.globalSecondaryIndexes().stream().anyMatch(i -> i.indexName().equals(added.name())));
            }
        }
    }

    /**
     * One UpdateTable, retried while the table is busy with an earlier change, then a wait until it has {@link
     * #settled} and {@code done} holds.
     */
    private void updateTable(OperationContext ctx, String name, String what, Duration timeout,
                             Consumer<UpdateTableRequest.Builder> change, Predicate<TableDescription> done) {
        life.change(ctx, name, "UpdateTable " + name + " " + what, what, timeout,
                () -> call("UpdateTable", () -> dynamo().updateTable(b -> change.accept(b.tableName(name)))),
                t -> settled(t) && done.test(t));
    }

    /** ACTIVE, every index ACTIVE, its key settled. */
    private static boolean settled(TableDescription t) {
        SSEStatus sse = t.sseDescription() == null ? null : t.sseDescription().status();
        return t.tableStatus() == TableStatus.ACTIVE
                && t.globalSecondaryIndexes().stream().allMatch(i -> i.indexStatus() == IndexStatus.ACTIVE)
                && sse != SSEStatus.UPDATING && sse != SSEStatus.ENABLING && sse != SSEStatus.DISABLING;
    }

    /** UpdateContinuousBackups; backups of a table just created may be unavailable for a while, which is retried. */
    private void setPointInTimeRecovery(OperationContext ctx, String name, boolean enabled) {
        retrying(ctx, "UpdateContinuousBackups " + name, TABLE_TIMEOUT, POLL_INTERVAL,
                e -> BACKUPS_UNAVAILABLE.equals(e.code()), () -> {
                    DynamoTables.setPointInTimeRecovery(dynamo(), name, enabled);
                    return Boolean.TRUE;
                });
    }

    /**
     * UpdateTimeToLive. AWS allows one TTL change per table and hour: a second one fails with its message. After an
     * attempt whose answer was lost, AWS refuses the retry (ValidationException: already so), which is done.
     */
    private void setTimeToLive(String name, String attribute, boolean enabled) {
        try {
            call("UpdateTimeToLive", () -> dynamo().updateTimeToLive(b -> b.tableName(name)
                    .timeToLiveSpecification(s -> s.attributeName(attribute).enabled(enabled))));
        } catch (AwsCallException e) {
            boolean already = "ValidationException".equals(e.code())
                    && ttlAttribute(name).equals(enabled ? Optional.of(attribute) : Optional.empty());
            if (!already) {
                throw e;
            }
        }
    }

    /** The attribute TTL is on (or being turned on) for; empty when it is off. */
    private Optional<String> ttlAttribute(String table) {
        TimeToLiveDescription ttl = call("DescribeTimeToLive",
                () -> dynamo().describeTimeToLive(b -> b.tableName(table))).timeToLiveDescription();
        boolean on = ttl != null && (ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLED
                || ttl.timeToLiveStatus() == TimeToLiveStatus.ENABLING);
        return on ? Optional.ofNullable(ttl.attributeName()) : Optional.empty();
    }

    private LiveResource readBack(OperationContext ctx, String name) {
        life.await(ctx, name, "to settle", TableProvider::settled);
        return readTable(name, null).orElseThrow(() -> gone(ctx, name));
    }

    /**
     * DeleteTable (retried while the table is busy), then a wait until DynamoDB no longer knows it. A table whose
     * deletion protection is on is not deleted: the user turns it off first, on purpose.
     */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String name = current.id();
        life.delete(ctx, name, "DeleteTable", TABLE_TIMEOUT, t -> {
            if (Boolean.TRUE.equals(t.deletionProtectionEnabled())) {
                throw new ProviderException(ctx.address() != null ? ctx.address() : current.address(), "DynamoDB table "
                        + name + ": deletion protection is on; set deletionProtection: false and apply before destroying");
            }
        }, () -> call("DeleteTable", () -> dynamo().deleteTable(b -> b.tableName(name))));
    }

    /**
     * Its items as DescribeTable counts them (DynamoDB refreshes the count about every six hours): said in the plan;
     * what keeps a table is its deletion protection.
     */
    @Override
    public Optional<HeldData> heldData(LiveResource live) {
        return wrap(live.address() == null ? live.id() : live.address(), () -> describe(live.id()))
                .filter(t -> t.itemCount() != null && t.itemCount() > 0)
                .map(t -> new HeldData("about " + t.itemCount() + (t.itemCount() == 1 ? " item" : " items") + " ("
                        + t.tableSizeBytes() + " bytes)", HeldData.Guard.SHOWN));
    }

    // ---- SDK shapes -------------------------------------------------------------------------------------

    static List<KeySchemaElement> keySchema(Key partition, Key sort) {
        List<KeySchemaElement> out = new ArrayList<>();
        out.add(KeySchemaElement.builder().attributeName(partition.name()).keyType(KeyType.HASH).build());
        if (sort != null) {
            out.add(KeySchemaElement.builder().attributeName(sort.name()).keyType(KeyType.RANGE).build());
        }
        return out;
    }

    /** Every key attribute of the table and of {@code indexes}, once each. */
    private static List<AttributeDefinition> definitions(Desired d, List<Index> indexes) {
        Map<String, String> types = new LinkedHashMap<>();
        List<Key> keys = new ArrayList<>();
        keys.add(d.partitionKey());
        keys.add(d.sortKey());
        indexes.forEach(i -> {
            keys.add(i.partitionKey());
            keys.add(i.sortKey());
        });
        keys.stream().filter(Objects::nonNull).forEach(k -> types.putIfAbsent(k.name(), k.type()));
        return types.entrySet().stream()
                .map(e -> AttributeDefinition.builder().attributeName(e.getKey()).attributeType(e.getValue()).build())
                .toList();
    }

    private static SSESpecification sse(String kmsKeyArn) {
        return kmsKeyArn == null ? null
                : SSESpecification.builder().enabled(true).sseType(SSEType.KMS).kmsMasterKeyId(kmsKeyArn).build();
    }

    private static List<Tag> dynamoTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(Objects.toString(e.getValue(), "")).build())
                .toList();
    }

    private static ProviderException gone(OperationContext ctx, String name) {
        return new ProviderException(ctx.address(), "DynamoDB table " + name + " no longer exists");
    }
}
