package dev.infra.providers.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.ProviderTestSupport;
import dev.infra.providers.testing.SleepingOperationContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.SSEStatus;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;
import software.amazon.awssdk.services.kms.KmsClient;

/** DynamoDB tables against the emulator, in us-east-2. */
class TableIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "us-east-2";
    }

    private DynamoDbClient dynamo() {
        return clients.client(DynamoDbClient.class, DynamoDbClient::builder);
    }

    private String newKey() {
        return clients.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description("table key"))
                .keyMetadata().arn();
    }

    private TableDescription rawTable(String name) {
        return dynamo().describeTable(b -> b.tableName(name)).table();
    }

    private Map<String, String> rawTags(String arn) {
        Map<String, String> out = new TreeMap<>();
        dynamo().listTagsOfResource(b -> b.resourceArn(arn)).tags().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private boolean rawPitr(String name) {
        return dynamo().describeContinuousBackups(b -> b.tableName(name)).continuousBackupsDescription()
                .pointInTimeRecoveryDescription().pointInTimeRecoveryStatus() == PointInTimeRecoveryStatus.ENABLED;
    }

    private TimeToLiveDescription rawTtl(String name) {
        return dynamo().describeTimeToLive(b -> b.tableName(name)).timeToLiveDescription();
    }

    private static Map<String, Object> key(String name, String type) {
        return Map.of("name", name, "type", type);
    }

    private static Map<String, Object> index(String name, Map<String, Object> partitionKey, Map<String, Object> sortKey) {
        Map<String, Object> m = new TreeMap<>(Map.of("name", name, "partitionKey", partitionKey, "projection", "ALL"));
        if (sortKey != null) {
            m.put("sortKey", sortKey);
        }
        return m;
    }

    private ResourceSpec tableSpec(String address, String name, Map<String, Object> changes) {
        Map<String, Object> a = new TreeMap<>();
        a.put("name", name);
        a.put("partitionKey", key("id", "S"));
        a.put("sortKey", key("created", "N"));
        a.put("billingMode", "PAY_PER_REQUEST");
        a.put("globalSecondaryIndexes", List.of());
        a.put("pointInTimeRecovery", false);
        a.put("deletionProtection", false);
        a.putAll(changes);
        a.values().removeIf(v -> v == null);
        return spec(address, TableProvider.TYPE, a, Map.of("team", "data"));
    }

    private static List<String> indexNames(TableDescription t) {
        return t.globalSecondaryIndexes().stream().map(GlobalSecondaryIndexDescription::indexName).sorted().toList();
    }

    @Test
    void tableLifecycle() {
        TableProvider tables = new TableProvider(clients);
        String address = "table.orders";
        String name = "infra-" + stack + "-orders";
        String firstKey = newKey();
        String secondKey = newKey();
        Map<String, Object> initial = new TreeMap<>();
        initial.put("billingMode", "PROVISIONED");
        initial.put("readCapacity", 5L);
        initial.put("writeCapacity", 4L);
        initial.put("globalSecondaryIndexes", List.of(index("byCustomer", key("customer", "S"), key("created", "N"))));
        initial.put("pointInTimeRecovery", true);
        initial.put("ttlAttribute", "expiresAt");
        initial.put("kmsKeyArn", firstKey);
        initial.put("deletionProtection", true);
        ResourceSpec spec = tableSpec(address, name, initial);

        LiveResource created = tables.create(spec, ctx(address));

        TableDescription raw = rawTable(name);
        assertThat(raw.tableStatus()).isEqualTo(TableStatus.ACTIVE);
        assertThat(raw.keySchema()).extracting(k -> k.attributeName() + ":" + k.keyType())
                .containsExactly("id:" + KeyType.HASH, "created:" + KeyType.RANGE);
        assertThat(raw.billingModeSummary().billingMode()).isEqualTo(BillingMode.PROVISIONED);
        assertThat(raw.provisionedThroughput().readCapacityUnits()).isEqualTo(5L);
        assertThat(raw.provisionedThroughput().writeCapacityUnits()).isEqualTo(4L);
        assertThat(raw.globalSecondaryIndexes()).singleElement().satisfies(i -> {
            assertThat(i.indexName()).isEqualTo("byCustomer");
            assertThat(i.indexStatus()).isEqualTo(IndexStatus.ACTIVE);
            assertThat(i.provisionedThroughput().readCapacityUnits()).isEqualTo(5L);
        });
        assertThat(raw.sseDescription().status()).isEqualTo(SSEStatus.ENABLED);
        assertThat(raw.sseDescription().kmsMasterKeyArn()).isEqualTo(firstKey);
        assertThat(raw.deletionProtectionEnabled()).isTrue();
        assertThat(rawPitr(name)).isTrue();
        assertThat(rawTtl(name).timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        assertThat(rawTtl(name).attributeName()).isEqualTo("expiresAt");
        assertThat(rawTags(raw.tableArn())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);
        assertThat(created.id()).isEqualTo(name);
        assertThat(created.attributes()).containsEntry("arn", raw.tableArn());

        // Deletion protection on: delete refuses, saying what to do, and leaves it on.
        assertThatThrownBy(() -> tables.delete(created, ctx(address)))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining(address)
                .hasMessageContaining("deletion protection is on; set deletionProtection: false and apply before destroying");
        assertThat(rawTable(name).deletionProtectionEnabled()).isTrue();

        // At plan time: a new TTL attribute in place of another is two changes, refused; off (or on) is one.
        assertThat(tables.refusals(created, Map.of("ttlAttribute", "validUntil"))).singleElement().asString()
                .startsWith("ttlAttribute expiresAt → validUntil:").contains("remove ttl, apply, wait an hour");
        assertThat(tables.refusals(created, Map.of())).isEmpty();
        // TTL stays as it is: DynamoDB takes one TTL change per table and hour, and the create made one.
        Map<String, Object> next = new TreeMap<>();
        next.put("globalSecondaryIndexes", List.of(index("byStatus", key("status", "S"), null)));
        next.put("kmsKeyArn", secondKey);
        next.put("ttlAttribute", "expiresAt");
        ResourceSpec changed = tableSpec(address, name, next);
        LiveResource updated = tables.update(created, changed, Set.of("billingMode", "readCapacity", "writeCapacity",
                "globalSecondaryIndexes", "pointInTimeRecovery", "kmsKeyArn", "deletionProtection", "tags"),
                ctx(address));

        raw = rawTable(name);
        assertThat(raw.billingModeSummary().billingMode()).isEqualTo(BillingMode.PAY_PER_REQUEST);
        assertThat(indexNames(raw)).containsExactly("byStatus");
        assertThat(raw.sseDescription().kmsMasterKeyArn()).isEqualTo(secondKey);
        assertThat(raw.deletionProtectionEnabled()).isFalse();
        assertThat(rawPitr(name)).isFalse();
        assertThat(rawTtl(name).attributeName()).isEqualTo("expiresAt");
        assertThat(rawTags(raw.tableArn())).isEqualTo(changed.tags());
        assertMatchesSpec(updated, changed);
        assertThat(updated.attributes()).doesNotContainKeys("readCapacity", "writeCapacity");

        // Back to provisioned: the index gets the table's capacity in the same UpdateTable.
        next.put("billingMode", "PROVISIONED");
        next.put("readCapacity", 10L);
        next.put("writeCapacity", 7L);
        ResourceSpec provisioned = tableSpec(address, name, next);
        updated = tables.update(updated, provisioned, Set.of("billingMode", "readCapacity", "writeCapacity"),
                ctx(address));
        raw = rawTable(name);
        assertThat(raw.billingModeSummary().billingMode()).isEqualTo(BillingMode.PROVISIONED);
        assertThat(raw.provisionedThroughput().readCapacityUnits()).isEqualTo(10L);
        assertThat(raw.globalSecondaryIndexes()).singleElement()
                .satisfies(i -> assertThat(i.provisionedThroughput().writeCapacityUnits()).isEqualTo(7L));
        assertMatchesSpec(updated, provisioned);

        clients.counter().reset();
        List<LiveResource> all = tables.readAll(ReadRequest.of(stack, Set.of(name)));
        assertThat(all).singleElement().satisfies(r -> assertMatchesSpec(r, provisioned));
        // One GetResources for the stack, then DescribeTable, DescribeContinuousBackups, DescribeTimeToLive per table.
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of(
                "ResourceGroupsTaggingApi", Map.of("GetResources", 1L),
                "DynamoDb", Map.of("DescribeTable", 1L, "DescribeContinuousBackups", 1L, "DescribeTimeToLive", 1L)));

        assertThat(tables.findExisting(stack, provisioned)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(name));
        assertThatThrownBy(() -> tables.findExisting("some-other-stack", provisioned))
                .isInstanceOf(ProviderException.class).hasMessageContaining("already exists and belongs to " + address);

        tables.delete(updated, ctx(address));
        assertThatThrownBy(() -> rawTable(name)).isInstanceOf(ResourceNotFoundException.class);
        assertThat(tables.readAll(ReadRequest.of(stack, Set.of(name)))).isEmpty();
        assertThat(tables.findExisting(stack, provisioned)).isEmpty();
        tables.delete(updated, ctx(address)); // already gone: fine
    }

    @Test
    void stateIdsAreReadWhateverTheirTagsAndAbsentKeyMeansTheAwsOwnedKey() {
        TableProvider tables = new TableProvider(clients);
        String address = "table.events";
        String name = "infra-" + stack + "-events";
        ResourceSpec spec = tableSpec(address, name, Map.of("kmsKeyArn", newKey()));
        LiveResource created = tables.create(spec, ctx(address));

        dynamo().untagResource(b -> b.resourceArn(rawTable(name).tableArn()).tagKeys("infra:stack"));
        assertThat(tables.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
        clients.counter().reset();
        assertThat(tables.readAll(ReadRequest.of(stack, Set.of(name, "infra-" + stack + "-gone")))).singleElement()
                .satisfies(r -> {
                    assertThat(r.address()).isEqualTo(address);
                    assertThat(r.attributes()).containsEntry("sortKey", key("created", "N"));
                });
        assertThat(clients.counter().count("DynamoDb", "ListTagsOfResource")).isEqualTo(1);

        // Without kmsKeyArn the table goes back to the AWS owned key: no SSEDescription.
        Map<String, Object> noKey = new TreeMap<>();
        noKey.put("kmsKeyArn", null);
        ResourceSpec changed = tableSpec(address, name, noKey);
        LiveResource updated = tables.update(created, changed, Set.of("kmsKeyArn"), ctx(address));
        assertThat(rawTable(name).sseDescription()).isNull();
        assertThat(updated.attributes()).doesNotContainKey("kmsKeyArn");
        tables.delete(updated, ctx(address));
    }

    /** What AWS answers while a table is being created (the emulator's are ACTIVE at once): create waits. */
    @Test
    void createWaitsUntilTheTableIsActive() {
        AtomicInteger creating = new AtomicInteger(3);
        try (AwsClients slow = Emulator.clients(region(), Faults.rewrite(DescribeTableResponse.class,
                r -> creating.getAndDecrement() > 0
                        ? r.toBuilder().table(r.table().toBuilder().tableStatus(TableStatus.CREATING).build()).build()
                        : r))) {
            String address = "table.slow";
            String name = "infra-" + stack + "-slow";
            SleepingOperationContext ctx = SleepingOperationContext.pretending(address);
            LiveResource created = new TableProvider(slow).create(tableSpec(address, name, Map.of()), ctx);
            assertThat(ctx.sleeps()).isEqualTo(3);
            assertThat(created.id()).isEqualTo(name);
            new TableProvider(slow).delete(created, ctx);
        }
    }

    /** The emulator's UpdateTable changes SSE as AWS documents (moto_launcher.py's patch_dynamodb_update_table_sse). */
    @Test
    void updateTableChangesServerSideEncryption() {
        String name = "raw-" + stack;
        dynamo().createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(d -> d.attributeName("id").attributeType("S")));
        assertThat(rawTable(name).sseDescription()).isNull();
        String key = newKey();
        dynamo().updateTable(b -> b.tableName(name).sseSpecification(s -> s.enabled(true).sseType("KMS").kmsMasterKeyId(key)));
        assertThat(rawTable(name).sseDescription().kmsMasterKeyArn()).isEqualTo(key);
        assertThat(rawTable(name).sseDescription().status()).isEqualTo(SSEStatus.ENABLED);
        dynamo().updateTable(b -> b.tableName(name).sseSpecification(s -> s.enabled(false)));
        assertThat(rawTable(name).sseDescription()).isNull();
        dynamo().deleteTable(b -> b.tableName(name));
    }
}
