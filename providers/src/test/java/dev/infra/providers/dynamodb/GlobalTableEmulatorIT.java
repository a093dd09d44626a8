package dev.infra.providers.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.providers.testing.ProviderTestSupport;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.applicationautoscaling.ApplicationAutoScalingClient;
import software.amazon.awssdk.services.applicationautoscaling.model.ScalableDimension;
import software.amazon.awssdk.services.applicationautoscaling.model.ServiceNamespace;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.ReplicaStatus;
import software.amazon.awssdk.services.dynamodb.model.ReplicationGroupUpdate;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The emulator's global tables version 2019.11.21 (moto_launcher.py's patch_dynamodb_global_tables), through raw SDK
 * calls: UpdateTable ReplicaUpdates Create / Update / Delete, DescribeTable Replicas and GlobalTableVersion in both
 * regions, DeleteTable of one replica, and the refusals AWS documents, a replica of a provisioned table without write
 * auto scaling among them. Tables in ap-south-1, replicas in ap-northeast-2.
 */
class GlobalTableEmulatorIT extends ProviderTestSupport {

    static final String REPLICA_REGION = "ap-northeast-2";

    @Override
    protected String region() {
        return "ap-south-1";
    }

    private DynamoDbClient dynamo() {
        return DynamoTables.client(clients);
    }

    private DynamoDbClient replicaDynamo() {
        return DynamoTables.client(clients.in(REPLICA_REGION));
    }

    private String keyIn(String region) {
        return clients.in(region).client(KmsClient.class, KmsClient::builder).createKey(b -> b.description("replica key"))
                .keyMetadata().arn();
    }

    private static TableDescription describe(DynamoDbClient dynamo, String name) {
        return dynamo.describeTable(b -> b.tableName(name)).table();
    }

    private void replicaUpdate(String name, Consumer<ReplicationGroupUpdate.Builder> update) {
        dynamo().updateTable(b -> b.tableName(name).replicaUpdates(ReplicationGroupUpdate.builder().applyMutation(update).build()));
    }

    private static ReplicaDescription only(TableDescription t) {
        assertThat(t.replicas()).hasSize(1);
        return t.replicas().get(0);
    }

    private static void assertRefused(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DynamoDbException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
            assertThat(e.awsErrorDetails().errorMessage()).contains(message);
        });
    }

    /**
     * A provisioned table with an index, encrypted with a key of the table's region, tagged, without a stream, its write
     * capacity auto scaled (a replica needs that of a provisioned table).
     */
    private String table(String suffix) {
        String name = unscaledTable(suffix);
        clients.client(ApplicationAutoScalingClient.class, ApplicationAutoScalingClient::builder)
                .registerScalableTarget(b -> b.serviceNamespace(ServiceNamespace.DYNAMODB).resourceId("table/" + name)
                        .scalableDimension(ScalableDimension.DYNAMODB_TABLE_WRITE_CAPACITY_UNITS)
                        .minCapacity(3).maxCapacity(30));
        return name;
    }

    /** The same without auto scaling. */
    private String unscaledTable(String suffix) {
        String name = "gt-" + stack + "-" + suffix;
        String key = keyIn(region());
        dynamo().createTable(b -> b.tableName(name).billingMode(BillingMode.PROVISIONED)
                .provisionedThroughput(p -> p.readCapacityUnits(5L).writeCapacityUnits(3L))
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH), k -> k.attributeName("at").keyType(KeyType.RANGE))
                .attributeDefinitions(d -> d.attributeName("id").attributeType("S"), d -> d.attributeName("at").attributeType("N"),
                        d -> d.attributeName("customer").attributeType("S"))
                .globalSecondaryIndexes(i -> i.indexName("byCustomer")
                        .keySchema(k -> k.attributeName("customer").keyType(KeyType.HASH))
                        .projection(p -> p.projectionType("ALL"))
                        .provisionedThroughput(p -> p.readCapacityUnits(5L).writeCapacityUnits(3L)))
                .sseSpecification(s -> s.enabled(true).sseType("KMS").kmsMasterKeyId(key))
                .tags(t -> t.key("infra:stack").value(stack)));
        return name;
    }

    @Test
    void replicasAreCreatedUpdatedAndDeletedThroughTheSourceTable() {
        String name = table("orders");
        String firstKey = keyIn(REPLICA_REGION);
        String secondKey = keyIn(REPLICA_REGION);
        assertThat(describe(dynamo(), name).replicas()).isEmpty();
        assertThat(describe(dynamo(), name).globalTableVersion()).isNull();

        replicaUpdate(name, u -> u.create(c -> c.regionName(REPLICA_REGION).kmsMasterKeyId(firstKey)));

        TableDescription source = describe(dynamo(), name);
        assertThat(source.globalTableVersion()).isEqualTo("2019.11.21");
        assertThat(only(source).regionName()).isEqualTo(REPLICA_REGION);
        assertThat(only(source).replicaStatus()).isEqualTo(ReplicaStatus.ACTIVE);
        assertThat(only(source).kmsMasterKeyId()).isEqualTo(firstKey);
        // MREC replication runs on the table's stream: DynamoDB enables it.
        assertThat(source.streamSpecification().streamEnabled()).isTrue();
        assertThat(source.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_AND_OLD_IMAGES);
        assertThat(source.latestStreamArn()).isNotNull();

        TableDescription replica = describe(replicaDynamo(), name);
        assertThat(replica.tableArn()).isEqualTo(source.tableArn().replace(":" + region() + ":", ":" + REPLICA_REGION + ":"));
        assertThat(replica.keySchema()).extracting(KeySchemaElement::attributeName).containsExactly("id", "at");
        assertThat(replica.attributeDefinitions()).containsExactlyInAnyOrderElementsOf(source.attributeDefinitions());
        assertThat(replica.billingModeSummary().billingMode()).isEqualTo(BillingMode.PROVISIONED);
        assertThat(replica.provisionedThroughput().writeCapacityUnits()).isEqualTo(3L);
        assertThat(replica.globalSecondaryIndexes()).extracting(GlobalSecondaryIndexDescription::indexName)
                .containsExactly("byCustomer");
        assertThat(replica.sseDescription().kmsMasterKeyArn()).isEqualTo(firstKey);
        assertThat(replica.globalTableVersion()).isEqualTo("2019.11.21");
        assertThat(only(replica).regionName()).isEqualTo(region());
        assertThat(only(replica).kmsMasterKeyId()).isEqualTo(source.sseDescription().kmsMasterKeyArn());
        assertThat(replica.streamSpecification().streamEnabled()).isTrue();
        assertThat(replicaDynamo().listTagsOfResource(b -> b.resourceArn(replica.tableArn())).tags()).isEmpty();

        replicaUpdate(name, u -> u.update(c -> c.regionName(REPLICA_REGION).kmsMasterKeyId(secondKey)));
        assertThat(describe(replicaDynamo(), name).sseDescription().kmsMasterKeyArn()).isEqualTo(secondKey);
        assertThat(only(describe(dynamo(), name)).kmsMasterKeyId()).isEqualTo(secondKey);

        replicaUpdate(name, u -> u.delete(d -> d.regionName(REPLICA_REGION)));
        assertThat(describe(dynamo(), name).replicas()).isEmpty();
        assertThat(describe(dynamo(), name).globalTableVersion()).isNull();
        assertThatThrownBy(() -> describe(replicaDynamo(), name)).isInstanceOf(ResourceNotFoundException.class);
        dynamo().deleteTable(b -> b.tableName(name));
    }

    @Test
    void refusesWhatAwsRefuses() {
        String name = table("refused");
        String replicaKey = keyIn(REPLICA_REGION);
        String sourceKey = keyIn(region());

        assertRefused(() -> replicaUpdate(name, u -> u.create(c -> c.regionName(region()))),
                "Cannot add, delete, or update the local region through ReplicaUpdates");
        // A key of another region is no key in the replica's.
        assertRefused(() -> replicaUpdate(name, u -> u.create(c -> c.regionName(REPLICA_REGION).kmsMasterKeyId(sourceKey))),
                "does not exist in region " + REPLICA_REGION);
        assertThat(describe(dynamo(), name).replicas()).isEmpty();
        assertThatThrownBy(() -> describe(replicaDynamo(), name)).isInstanceOf(ResourceNotFoundException.class);
        assertRefused(() -> replicaUpdate(name, u -> u.delete(d -> d.regionName(REPLICA_REGION))), "does not exist");
        assertRefused(() -> replicaUpdate(name, u -> u.update(d -> d.regionName(REPLICA_REGION).kmsMasterKeyId(replicaKey))),
                "does not exist");

        replicaUpdate(name, u -> u.create(c -> c.regionName(REPLICA_REGION).kmsMasterKeyId(replicaKey)));
        assertRefused(() -> replicaUpdate(name, u -> u.create(c -> c.regionName(REPLICA_REGION))), "already existed");
        assertRefused(() -> replicaUpdate(name, u -> u.delete(d -> d.regionName(region()))),
                "Cannot add, delete, or update the local region");
        assertThat(describe(dynamo(), name).replicas()).hasSize(1);

        // A table of that name in the other region is in the way.
        String other = table("in-the-way");
        replicaDynamo().createTable(b -> b.tableName(other).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(d -> d.attributeName("id").attributeType("S")));
        assertRefused(() -> replicaUpdate(other, u -> u.create(c -> c.regionName(REPLICA_REGION))), "already existed");
        assertThat(describe(dynamo(), other).replicas()).isEmpty();

        replicaUpdate(name, u -> u.delete(d -> d.regionName(REPLICA_REGION)));
        for (String table : List.of(name, other)) {
            dynamo().deleteTable(b -> b.tableName(table));
        }
        replicaDynamo().deleteTable(b -> b.tableName(other));
    }

    /**
     * "Table write capacity should either be Pay-Per-Request or AutoScaled": a provisioned table without write auto
     * scaling gets no replica; an on-demand table does.
     */
    @Test
    void aProvisionedTableNeedsWriteAutoScalingForAReplica() {
        String name = unscaledTable("fixed");
        assertRefused(() -> replicaUpdate(name, u -> u.create(c -> c.regionName(REPLICA_REGION))),
                "Table write capacity should either be Pay-Per-Request or AutoScaled");
        assertThat(describe(dynamo(), name).replicas()).isEmpty();
        assertThatThrownBy(() -> describe(replicaDynamo(), name)).isInstanceOf(ResourceNotFoundException.class);

        String onDemand = "gt-" + stack + "-on-demand";
        dynamo().createTable(b -> b.tableName(onDemand).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(d -> d.attributeName("id").attributeType("S")));
        replicaUpdate(onDemand, u -> u.create(c -> c.regionName(REPLICA_REGION)));
        assertThat(only(describe(dynamo(), onDemand)).regionName()).isEqualTo(REPLICA_REGION);
        replicaUpdate(onDemand, u -> u.delete(d -> d.regionName(REPLICA_REGION)));
        dynamo().deleteTable(b -> b.tableName(onDemand));
        dynamo().deleteTable(b -> b.tableName(name));
    }

    /** DeleteTable deletes one replica: the others stay and no longer list it. */
    @Test
    void deleteTableDeletesOnlyItsOwnReplica() {
        String name = table("half");
        replicaUpdate(name, u -> u.create(c -> c.regionName(REPLICA_REGION)));
        // No key given: the replica uses its region's AWS managed key, as the table uses a KMS key.
        assertThat(describe(replicaDynamo(), name).sseDescription().kmsMasterKeyArn()).contains(":" + REPLICA_REGION + ":");

        dynamo().deleteTable(b -> b.tableName(name));

        assertThatThrownBy(() -> describe(dynamo(), name)).isInstanceOf(ResourceNotFoundException.class);
        TableDescription left = describe(replicaDynamo(), name);
        assertThat(left.replicas()).isEmpty();
        assertThat(left.globalTableVersion()).isNull();
        replicaDynamo().deleteTable(b -> b.tableName(name));
    }
}
