package dev.infra.providers.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infra.core.diag.SourceLocation;
import dev.infra.core.state.Json;
import dev.infra.core.state.LockInfo;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import dev.infra.core.state.StateBackend;
import dev.infra.core.state.StateBackendException;
import dev.infra.core.state.StateLockedException;
import dev.infra.core.topology.Backend;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * The S3 backend against the emulator: the bucket checks, state in S3 with the bucket's KMS key and S3 versioning as
 * the backup, and both locks (a DynamoDB item, an S3 object with If-None-Match). Assertions read S3 and DynamoDB
 * back through the SDK.
 */
@ExtendWith(Emulator.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class S3BackendIT {

    static final String REGION = "ap-northeast-1";

    AwsClients clients;
    S3Client s3;
    DynamoDbClient dynamo;
    String kmsKeyArn;
    String bucket;
    String table;
    String stack;

    @BeforeAll
    void connect() {
        clients = Emulator.clients(REGION);
        s3 = clients.s3();
        dynamo = clients.client(DynamoDbClient.class, DynamoDbClient::builder);
        kmsKeyArn = clients.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description("state")).keyMetadata().arn();
        bucket = "state-" + UUID.randomUUID().toString().substring(0, 8);
        createBucket(bucket, true, kmsKeyArn);
        table = "locks-" + UUID.randomUUID().toString().substring(0, 8);
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(d -> d.attributeName("LockID").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("LockID").keyType(KeyType.HASH)));
    }

    @AfterAll
    void disconnect() {
        clients.close();
    }

    @BeforeEach
    void newStack() {
        stack = "it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    void createBucket(String name, boolean versioned, String kmsKey) {
        s3.createBucket(b -> b.bucket(name).createBucketConfiguration(c -> c.locationConstraint(REGION)));
        if (versioned) {
            s3.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        }
        if (kmsKey != null) {
            s3.putBucketEncryption(b -> b.bucket(name).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                    .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(kmsKey)))));
        }
    }

    S3Backend backend(String bucketName, String lockTable) {
        return S3Backend.of(clients, new Backend.S3(bucketName, "teams/platform", lockTable, REGION,
                SourceLocation.wholeFile("infra.yaml")), stack, REGION);
    }

    String key() {
        return "teams/platform/" + stack + "/" + REGION + ".json";
    }

    State sample() {
        return State.empty(stack, REGION)
                .with(ResourceState.created("network/vpc", "aws_vpc", "vpc-1", Map.of("cidrBlock", "10.0.0.0/16"), List.of()));
    }

    @Test
    void aBucketWithoutVersioningOrEncryptionIsRefusedAndLeftAlone() {
        String plain = "plain-" + UUID.randomUUID().toString().substring(0, 8);
        createBucket(plain, false, null);

        StateBackendException e = catchThrowableOfType(StateBackendException.class, () -> backend(plain, null).read());

        assertThat(e).hasMessageStartingWith("the state bucket " + plain + " lacks versioning (")
                .hasMessageContaining(" and default encryption (")
                .hasMessageEndingWith("; infra does not change that bucket itself");
        assertThat(s3.getBucketVersioning(b -> b.bucket(plain)).status()).isNull();
        assertThat(s3.listObjectsV2(b -> b.bucket(plain)).contents()).isEmpty();
    }

    @Test
    void aMissingBucketIsNamed() {
        StateBackendException e = catchThrowableOfType(StateBackendException.class,
                () -> backend("no-such-state-bucket-x1", null).write(sample()));

        assertThat(e).hasMessageStartingWith("the state bucket no-such-state-bucket-x1 does not exist in " + REGION);
    }

    @Test
    void stateIsAnObjectEncryptedWithTheBucketsKeyAndEveryEarlierVersionIsKept() throws Exception {
        S3Backend b = backend(bucket, table);
        assertThat(b.read()).isEmpty();
        assertThat(b.describe()).isEqualTo("s3://" + bucket + "/" + key());

        State first = sample();
        State second = first.without("network/vpc");
        b.write(first);
        b.write(second);

        assertThat(b.read()).contains(second);
        String raw = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key())).asUtf8String();
        assertThat(Json.MAPPER.readValue(raw, State.class)).isEqualTo(second);
        HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key()));
        assertThat(head.serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        assertThat(head.ssekmsKeyId()).as("the bucket's key, not aws/s3").contains(kmsKeyArn.substring(kmsKeyArn.indexOf('/') + 1));
        List<ObjectVersion> versions = s3.listObjectVersions(r -> r.bucket(bucket).prefix(key())).versions();
        assertThat(versions).hasSize(2);
        ObjectVersion older = versions.stream().filter(v -> !v.isLatest()).findFirst().orElseThrow();
        String backup = s3.getObjectAsBytes(r -> r.bucket(bucket).key(key()).versionId(older.versionId())).asUtf8String();
        assertThat(Json.MAPPER.readValue(backup, State.class)).isEqualTo(first);
    }

    @Test
    void theDynamoDbLockNamesItsHolderAndGoesOnClose() {
        S3Backend b = backend(bucket, table);
        Map<String, AttributeValue> id = Map.of("LockID", AttributeValue.fromS(bucket + "/" + key()));
        try (StateBackend.Lock held = b.lock("apply")) {
            Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(id).consistentRead(true)).item();
            LockInfo recorded = LockInfo.parse(item.get("Info").s()).orElseThrow();
            assertThat(recorded.operation()).isEqualTo("apply");

            StateLockedException e = catchThrowableOfType(StateLockedException.class, () -> backend(bucket, table).lock("destroy"));

            assertThat(e.holder()).isEqualTo(recorded);
            assertThat(e).hasMessageContaining("state s3://" + bucket + "/" + key() + " is locked by " + recorded.who()
                    + " (apply, pid " + ProcessHandle.current().pid() + ")");
        }
        assertThat(dynamo.getItem(r -> r.tableName(table).key(id).consistentRead(true)).hasItem()).isFalse();
        b.lock("plan").close();
    }

    @Test
    void forceUnlockRemovesTheDynamoDbLockAndTheOldHolderDoesNotTakeANewOnesLock() {
        S3Backend b = backend(bucket, table);
        StateBackend.Lock abandoned = b.lock("apply");

        assertThat(b.forceUnlock()).hasValueSatisfying(h -> assertThat(h.operation()).isEqualTo("apply"));
        assertThat(b.forceUnlock()).isEmpty();
        try (StateBackend.Lock taken = b.lock("destroy")) {
            abandoned.close();
            StateLockedException e = catchThrowableOfType(StateLockedException.class, () -> b.lock("apply"));
            assertThat(e.holder().operation()).as("closing the abandoned lock left the new one").isEqualTo("destroy");
        }
    }

    @Test
    void theS3LockIsAnObjectTakenWithIfNoneMatch() {
        S3Backend b = backend(bucket, null);
        String lockKey = key() + ".tflock";
        try (StateBackend.Lock held = b.lock("apply")) {
            LockInfo recorded = LockInfo.parse(s3.getObjectAsBytes(r -> r.bucket(bucket).key(lockKey)).asUtf8String()).orElseThrow();
            assertThat(s3.headObject(r -> r.bucket(bucket).key(lockKey)).serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);

            StateLockedException e = catchThrowableOfType(StateLockedException.class, () -> backend(bucket, null).lock("destroy"));

            assertThat(e.holder()).isEqualTo(recorded);
            assertThat(e.holder().operation()).isEqualTo("apply");
        }
        assertThat(s3.listObjectsV2(r -> r.bucket(bucket).prefix(lockKey)).contents()).isEmpty();

        StateBackend.Lock abandoned = b.lock("apply");
        assertThat(b.forceUnlock()).hasValueSatisfying(h -> assertThat(h.operation()).isEqualTo("apply"));
        try (StateBackend.Lock again = b.lock("destroy")) {
            abandoned.close();
            assertThat(catchThrowableOfType(StateLockedException.class, () -> b.lock("plan")).holder().operation())
                    .isEqualTo("destroy");
        }
        assertThat(b.forceUnlock()).isEmpty();
    }

    @Test
    void aMissingLockTableIsNamed() {
        StateBackendException e = catchThrowableOfType(StateBackendException.class, () -> backend(bucket, "no-such-table").lock("apply"));

        assertThat(e).hasMessageStartingWith("the lock table no-such-table does not exist: create it with the partition key LockID (String)");
    }
}
