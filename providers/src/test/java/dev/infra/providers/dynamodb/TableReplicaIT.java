package dev.infra.providers.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.core.provider.ResourceSchema;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsProviders;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.ReplicaRegionTestSupport;
import dev.infra.providers.testing.SleepingOperationContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.ReplicaStatus;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code aws_dynamodb_table_replica} against the emulator: tables in ap-south-1 (made with {@link TableProvider}),
 * replicas in ap-northeast-2, the provider built on the replica region's clients. Assertions read both regions with
 * raw SDK calls.
 */
class TableReplicaIT extends ReplicaRegionTestSupport {

    private static final String REPLICA_REGION = GlobalTableEmulatorIT.REPLICA_REGION;

    @Override
    protected String region() {
        return "ap-south-1";
    }

    @Override
    protected String replicaRegion() {
        return REPLICA_REGION;
    }

    private DynamoDbClient dynamo() {
        return DynamoTables.client(clients);
    }

    private DynamoDbClient replicaDynamo() {
        return DynamoTables.client(replicaClients);
    }

    private String keyIn(AwsClients in) {
        return in.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description("table key")).keyMetadata().arn();
    }

    private static TableDescription describe(DynamoDbClient dynamo, String name) {
        return dynamo.describeTable(b -> b.tableName(name)).table();
    }

    /** The primary table, made with the table provider in the source region. */
    private ResourceSpec primary(String name) {
        Map<String, Object> a = new TreeMap<>();
        a.put("name", name);
        a.put("partitionKey", Map.of("name", "id", "type", "S"));
        a.put("billingMode", "PAY_PER_REQUEST");
        a.put("globalSecondaryIndexes", List.of());
        a.put("pointInTimeRecovery", false);
        a.put("deletionProtection", false);
        a.put("kmsKeyArn", keyIn(clients));
        return spec("table.orders", TableProvider.TYPE, a, Map.of());
    }

    private ResourceSpec replicaSpec(String name, String kmsKeyId) {
        return untaggedSpec("table_replica.orders", TableReplicaProvider.TYPE,
                attributes("tableName", name, "sourceRegion", region(), "kmsKeyId", kmsKeyId));
    }

    private ReplicaDescription replicaListed(String name) {
        TableDescription t = describe(dynamo(), name);
        assertThat(t.replicas()).extracting(ReplicaDescription::regionName).containsExactly(REPLICA_REGION);
        return t.replicas().get(0);
    }

    @Test
    void schemaAndRegistration() {
        ResourceSchema schema = AwsProviders.registry(replicaClients).get(TableReplicaProvider.TYPE).schema();
        assertThat(schema.updatable()).containsExactlyInAnyOrder("kmsKeyId", "pointInTimeRecovery", "deletionProtection");
        assertThat(schema.deletionProtection()).isEqualTo("deletionProtection");
        assertThat(schema.computed()).containsExactlyInAnyOrder("arn", "status");
        assertThat(schema.writeOnly()).containsExactly("sourceRegion");
        assertThat(schema.forcesReplacement("tableName")).isTrue();
    }

    @Test
    void replicaLifecycle() {
        TableProvider tables = new TableProvider(clients);
        TableReplicaProvider replicas = new TableReplicaProvider(replicaClients);
        String name = "infra-" + stack + "-orders";
        ResourceSpec table = primary(name);
        LiveResource primary = tables.create(table, ctx("table.orders"));
        String firstKey = keyIn(replicaClients);
        String secondKey = keyIn(replicaClients);
        String address = "table_replica.orders";
        ResourceSpec spec = replicaSpec(name, firstKey);

        LiveResource created = replicas.create(spec, ctx(address));

        ReplicaDescription listed = replicaListed(name);
        assertThat(listed.replicaStatus()).isEqualTo(ReplicaStatus.ACTIVE);
        assertThat(listed.kmsMasterKeyId()).isEqualTo(firstKey);
        TableDescription replica = describe(replicaDynamo(), name);
        assertThat(replica.tableArn()).startsWith("arn:aws:dynamodb:" + REPLICA_REGION + ":").endsWith(":table/" + name);
        assertThat(replica.sseDescription().kmsMasterKeyArn()).isEqualTo(firstKey);
        assertThat(replicaDynamo().listTagsOfResource(b -> b.resourceArn(replica.tableArn())).tags()).isEmpty();
        assertThat(created.id()).isEqualTo(name + "@" + region());
        assertThat(created.address()).isNull();
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).containsEntry("arn", replica.tableArn()).containsEntry("status", "ACTIVE");

        // The source table still reads as its spec (the stream DynamoDB enabled is no attribute of it); the replica
        // table is nothing the table type of the replica region takes for a leftover of the stack.
        assertThat(tables.readAll(ReadRequest.of(stack, Set.of(name)))).singleElement()
                .satisfies(r -> assertMatchesSpec(r, table));
        assertThat(new TableProvider(replicaClients).readAll(ReadRequest.of(stack, Set.of()))).isEmpty();

        ResourceSpec rekeyed = replicaSpec(name, secondKey);
        LiveResource updated = replicas.update(created, rekeyed, Set.of("kmsKeyId"), ctx(address));
        assertThat(describe(replicaDynamo(), name).sseDescription().kmsMasterKeyArn()).isEqualTo(secondKey);
        assertThat(replicaListed(name).kmsMasterKeyId()).isEqualTo(secondKey);
        assertMatchesSpec(updated, rekeyed);

        replicaClients.counter().reset();
        assertThat(replicas.readAll(ReadRequest.of(stack, Set.of(created.id(), "infra-" + stack + "-gone@" + region()))))
                .singleElement().satisfies(r -> {
                    assertThat(r.id()).isEqualTo(created.id());
                    assertMatchesSpec(r, rekeyed);
                });
        // Per id: DescribeTable in the source region, and in the replica's (with its backups) for the found one.
        assertThat(replicaClients.counter().snapshot()).isEqualTo(Map.of("DynamoDb",
                Map.of("DescribeTable", 3L, "DescribeContinuousBackups", 1L)));

        assertThat(replicas.findExisting(stack, rekeyed)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(created.id()));
        // A create after a crash adopts the replica the table lists rather than failing.
        assertThat(replicas.create(rekeyed, ctx(address)).id()).isEqualTo(created.id());
        assertThat(describe(dynamo(), name).replicas()).hasSize(1);

        replicas.delete(updated, ctx(address));
        assertThat(describe(dynamo(), name).replicas()).isEmpty();
        assertThatThrownBy(() -> describe(replicaDynamo(), name)).isInstanceOf(ResourceNotFoundException.class);
        assertThat(replicas.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        assertThat(replicas.findExisting(stack, rekeyed)).isEmpty();
        replicas.delete(updated, ctx(address)); // already gone: fine

        tables.delete(primary, ctx("table.orders"));
        replicas.delete(updated, ctx(address)); // the table too: fine
    }

    /** Point-in-time recovery is per replica on AWS: set on the replica table in its region, and changed there. */
    @Test
    void pointInTimeRecoveryIsTheReplicasOwn() {
        TableProvider tables = new TableProvider(clients);
        TableReplicaProvider replicas = new TableReplicaProvider(replicaClients);
        String name = "infra-" + stack + "-pitr";
        LiveResource primary = tables.create(primary(name), ctx("table.orders"));
        String address = "table_replica.orders";
        ResourceSpec spec = untaggedSpec(address, TableReplicaProvider.TYPE, attributes("tableName", name,
                "sourceRegion", region(), "kmsKeyId", keyIn(replicaClients), "pointInTimeRecovery", true));

        LiveResource created = replicas.create(spec, ctx(address));

        assertThat(rawPointInTimeRecovery(name)).isEqualTo("ENABLED");
        assertMatchesSpec(created, spec);
        ResourceSpec off = untaggedSpec(address, TableReplicaProvider.TYPE, attributes("tableName", name,
                "sourceRegion", region(), "kmsKeyId", created.attributes().get("kmsKeyId"), "pointInTimeRecovery", false));
        LiveResource updated = replicas.update(created, off, Set.of("pointInTimeRecovery"), ctx(address));
        assertThat(rawPointInTimeRecovery(name)).isEqualTo("DISABLED");
        assertMatchesSpec(updated, off);
        replicas.delete(updated, ctx(address));
        tables.delete(primary, ctx("table.orders"));
    }

    /**
     * Deletion protection is per replica on AWS: set on the replica table in its region (the primary's own is not
     * the replica's), read back there; while on, removing the replica is refused, and the schema tells the plan so.
     */
    @Test
    void deletionProtectionIsTheReplicasOwn() {
        TableProvider tables = new TableProvider(clients);
        TableReplicaProvider replicas = new TableReplicaProvider(replicaClients);
        String name = "infra-" + stack + "-protected";
        LiveResource primary = tables.create(primary(name), ctx("table.orders"));
        String address = "table_replica.orders";
        String key = keyIn(replicaClients);
        ResourceSpec spec = untaggedSpec(address, TableReplicaProvider.TYPE, attributes("tableName", name,
                "sourceRegion", region(), "kmsKeyId", key, "deletionProtection", true));

        LiveResource created = replicas.create(spec, ctx(address));

        assertThat(describe(replicaDynamo(), name).deletionProtectionEnabled()).isTrue();
        assertThat(describe(dynamo(), name).deletionProtectionEnabled()).isFalse();
        assertMatchesSpec(created, spec);
        assertThat(replicas.schema().protectsFromDeletion(created.attributes())).isTrue();
        assertThatThrownBy(() -> dynamo().updateTable(b -> b.tableName(name).replicaUpdates(
                u -> u.delete(d -> d.regionName(REPLICA_REGION))))).isInstanceOf(AwsServiceException.class);
        assertThat(describe(dynamo(), name).replicas()).extracting(ReplicaDescription::regionName)
                .containsExactly(REPLICA_REGION);

        ResourceSpec off = untaggedSpec(address, TableReplicaProvider.TYPE, attributes("tableName", name,
                "sourceRegion", region(), "kmsKeyId", key, "deletionProtection", false));
        LiveResource updated = replicas.update(created, off, Set.of("deletionProtection"), ctx(address));
        assertThat(describe(replicaDynamo(), name).deletionProtectionEnabled()).isFalse();
        assertMatchesSpec(updated, off);
        replicas.delete(updated, ctx(address));
        assertThat(describe(dynamo(), name).replicas()).isEmpty();
        tables.delete(primary, ctx("table.orders"));
    }

    private String rawPointInTimeRecovery(String name) {
        return replicaDynamo().describeContinuousBackups(b -> b.tableName(name)).continuousBackupsDescription()
                .pointInTimeRecoveryDescription().pointInTimeRecoveryStatusAsString();
    }

    @Test
    void refusesAReplicaInTheTablesOwnRegionAndATableThatIsMissing() {
        TableReplicaProvider replicas = new TableReplicaProvider(replicaClients);
        ResourceSpec sameRegion = untaggedSpec("table_replica.same", TableReplicaProvider.TYPE,
                attributes("tableName", "t", "sourceRegion", REPLICA_REGION));
        assertThatThrownBy(() -> replicas.create(sameRegion, ctx("table_replica.same")))
                .isInstanceOf(ProviderException.class).hasMessageContaining("must be in another region than its table");
        ResourceSpec missing = replicaSpec("infra-" + stack + "-missing", null);
        assertThatThrownBy(() -> replicas.create(missing, ctx("table_replica.orders")))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("DynamoDB table infra-" + stack + "-missing does not exist in " + region());
    }

    /**
     * What AWS does and the emulator does not: the replica CREATING for a while (create waits), and an UpdateTable that
     * took effect but whose answer was lost (the SDK's retry is refused, as the replica exists: the create stands).
     */
    @Test
    void createWaitsUntilActiveAndSurvivesALostAnswer() {
        String name = "infra-" + stack + "-slow";
        TableProvider tables = new TableProvider(clients);
        LiveResource primary = tables.create(primary(name), ctx("table.orders"));
        AtomicInteger creating = new AtomicInteger(3);
        AtomicInteger sent = new AtomicInteger();
        ExecutionInterceptor countSent = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if ("UpdateTable".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))) {
                    sent.incrementAndGet();
                }
            }
        };
        try (AwsClients slow = Emulator.clients(REPLICA_REGION, countSent, Faults.loseAnswer("UpdateTable", 1),
                Faults.rewrite(DescribeTableResponse.class, r -> r.table().replicas().isEmpty()
                        || creating.getAndDecrement() <= 0 ? r
                        : r.toBuilder().table(r.table().toBuilder().replicas(r.table().replicas().stream()
                                .map(x -> x.toBuilder().replicaStatus(ReplicaStatus.CREATING).build()).toList()).build())
                        .build()))) {
            SleepingOperationContext ctx = SleepingOperationContext.pretending("table_replica.orders");
            LiveResource created = new TableReplicaProvider(slow).create(replicaSpec(name, keyIn(replicaClients)), ctx);
            assertThat(ctx.sleeps()).isGreaterThanOrEqualTo(1);
            // The SDK sent it again after the lost answer; that second one was refused (the replica existed).
            assertThat(sent.get()).isEqualTo(2);
            assertThat(slow.counter().count("DynamoDb", "UpdateTable")).isEqualTo(1);
            assertThat(created.attributes()).containsEntry("status", "ACTIVE");
            assertThat(replicaListed(name).replicaStatus()).isEqualTo(ReplicaStatus.ACTIVE);
            new TableReplicaProvider(slow).delete(created, ctx);
        }
        tables.delete(primary, ctx("table.orders"));
    }

    /** A replica AWS cannot create (CREATION_FAILED) fails the create at once, with AWS's reason. */
    @Test
    void aFailedReplicaFailsTheCreate() {
        String name = "infra-" + stack + "-failing";
        TableProvider tables = new TableProvider(clients);
        LiveResource primary = tables.create(primary(name), ctx("table.orders"));
        try (AwsClients failing = Emulator.clients(REPLICA_REGION, Faults.rewrite(DescribeTableResponse.class,
                r -> r.toBuilder().table(r.table().toBuilder().replicas(r.table().replicas().stream()
                        .map(x -> x.toBuilder().replicaStatus(ReplicaStatus.CREATION_FAILED)
                                .replicaStatusDescription("KMS key not accessible").build()).toList()).build()).build()))) {
            SleepingOperationContext ctx = SleepingOperationContext.pretending("table_replica.orders");
            assertThatThrownBy(() -> new TableReplicaProvider(failing).create(replicaSpec(name, null), ctx))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("is CREATION_FAILED: KMS key not accessible");
            assertThat(ctx.sleeps()).isZero();
        }
        new TableReplicaProvider(replicaClients).delete(LiveResource.of(name + "@" + region(), null, Map.of()),
                ctx("table_replica.orders"));
        tables.delete(primary, ctx("table.orders"));
    }
}
