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
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
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
 * the backup, and both locks (an S3 object with If-None-Match, and with a table also a DynamoDB item), their release
 * (conditional deletes) and {@code unlock}'s rules. Assertions read S3 and DynamoDB
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

    /**
     * Every state write is conditional on the version this backend read or wrote last: a write by someone else in
     * between (a process that did not hold the lock) makes the next write fail, and that other write stays; so does a
     * first write over a state that appeared since this backend found none. Checked on the object's versions.
     */
    @Test
    void aStateWrittenMeanwhileByAnotherIsNeverOverwritten() throws Exception {
        S3Backend mine = backend(bucket, null);
        S3Backend theirs = backend(bucket, null);
        assertThat(mine.read()).isEmpty();
        assertThat(theirs.read()).isEmpty();
        State first = sample();
        mine.write(first);

        StateBackendException absent = catchThrowableOfType(StateBackendException.class, () -> theirs.write(sample()));
        assertThat(absent).hasMessageStartingWith("the state s3://" + bucket + "/" + key() + " changed since this run read"
                + " it").hasMessageContaining("not overwritten");

        assertThat(theirs.read()).contains(first);
        State theirsNext = first.without("network/vpc");
        theirs.write(theirsNext);
        StateBackendException stale = catchThrowableOfType(StateBackendException.class,
                () -> mine.write(first.with(ResourceState.created("network/igw", "aws_internet_gateway", "igw-1",
                        Map.of(), List.of()))));
        assertThat(stale).hasMessageContaining("changed since this run read it");
        assertThat(Json.MAPPER.readValue(s3.getObjectAsBytes(r -> r.bucket(bucket).key(key())).asUtf8String(),
                State.class)).isEqualTo(theirsNext);
        assertThat(s3.listObjectVersions(r -> r.bucket(bucket).prefix(key())).versions()).hasSize(2);

        // Read again, it writes over the version it now knows.
        assertThat(mine.read()).contains(theirsNext);
        mine.write(theirsNext.with(ResourceState.created("network/igw", "aws_internet_gateway", "igw-1", Map.of(),
                List.of())));
        assertThat(s3.listObjectVersions(r -> r.bucket(bucket).prefix(key())).versions()).hasSize(3);
    }

    @Test
    void withALockTableBothTheObjectAndTheItemAreTakenAndBothGoOnClose() {
        S3Backend b = backend(bucket, table);
        try (StateBackend.Lock held = b.lock("apply")) {
            LockInfo recorded = LockInfo.parse(lockItem().orElseThrow().get("Info").s()).orElseThrow();
            assertThat(recorded.operation()).isEqualTo("apply");
            assertThat(lockObject()).as("the same holder in the S3 lock object").contains(recorded.toJson());

            StateLockedException e = catchThrowableOfType(StateLockedException.class, () -> backend(bucket, table).lock("destroy"));

            assertThat(e.holder()).isEqualTo(recorded);
            assertThat(e).hasMessageContaining("state s3://" + bucket + "/" + key() + " is locked by " + recorded.who()
                    + " (apply, pid " + ProcessHandle.current().pid() + ")").hasMessageContaining("which is still running");
            // A configuration without the table sees the lock too: it meets the S3 object.
            assertThat(catchThrowableOfType(StateLockedException.class, () -> backend(bucket, null).lock("plan")).holder())
                    .isEqualTo(recorded);
        }
        assertThat(lockItem()).isEmpty();
        assertThat(lockObject()).isEmpty();
        try (StateBackend.Lock s3Only = backend(bucket, null).lock("apply")) {
            assertThat(catchThrowableOfType(StateLockedException.class, () -> b.lock("destroy")).holder().operation())
                    .as("nor can a configuration with the table pass an S3-only holder").isEqualTo("apply");
            assertThat(lockItem()).as("the refused lock left no item behind").isEmpty();
        }
        b.lock("plan").close();
    }

    @Test
    void unlockRefusesALiveHolderAndRemovesADeadOnesOfBothKinds() throws Exception {
        S3Backend b = backend(bucket, table);
        try (StateBackend.Lock held = b.lock("apply")) {
            for (boolean force : new boolean[] {false, true}) {
                StateLockedException e = catchThrowableOfType(StateLockedException.class, () -> b.unlock(force));
                assertThat(e).hasMessageContaining("which is still running; a running holder's lock is never removed");
            }
            assertThat(lockItem()).isPresent();
            assertThat(lockObject()).isPresent();
        }

        LockInfo dead = holder(LockInfo.forThisProcess("apply").who(), deadPid());
        putLock(dead);
        StateLockedException refused = catchThrowableOfType(StateLockedException.class, () -> b.lock("apply"));
        assertThat(refused).hasMessageContaining("whose process is gone: the lock is stale; 'infra state unlock' removes it");

        assertThat(b.unlock(false)).contains(new StateBackend.Unlocked(dead, false));
        assertThat(lockItem()).isEmpty();
        assertThat(lockObject()).isEmpty();
        assertThat(b.unlock(false)).isEmpty();
    }

    @Test
    void aHolderOnAnotherHostIsRemovedOnlyWithForce() {
        S3Backend b = backend(bucket, null);
        LockInfo elsewhere = holder("ci@build-7.example.com", ProcessHandle.current().pid());
        putObjectLock(elsewhere);

        StateLockedException e = catchThrowableOfType(StateLockedException.class, () -> b.unlock(false));

        assertThat(e).hasMessageContaining("is held by ci@build-7.example.com (apply, pid ")
                .hasMessageContaining("on another host, where infra cannot tell whether it still runs; if it does not,"
                        + " run 'infra state unlock --force'");
        assertThat(lockObject()).isPresent();
        assertThat(b.unlock(true)).contains(new StateBackend.Unlocked(elsewhere, true));
        assertThat(lockObject()).isEmpty();
    }

    @Test
    void releaseRemovesOnlyTheLockItTookOfEitherKind() {
        for (String lockTable : new String[] {null, table}) {
            newStack();
            S3Backend b = backend(bucket, lockTable);
            StateBackend.Lock first = b.lock("apply");
            // Someone removes the lock (as unlock --force would) and another operation takes it.
            s3.deleteObject(r -> r.bucket(bucket).key(key() + ".tflock"));
            dynamo.deleteItem(r -> r.tableName(table).key(lockKey()));
            try (StateBackend.Lock second = b.lock("destroy")) {
                first.close();
                assertThat(catchThrowableOfType(StateLockedException.class, () -> b.lock("plan")).holder().operation())
                        .as("closing the first lock (%s) left the second", lockTable).isEqualTo("destroy");
            }
            assertThat(lockObject()).isEmpty();
        }
    }

    /** A pid no process has: one of a process that ran and ended. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    static LockInfo holder(String who, long pid) {
        return new LockInfo(UUID.randomUUID().toString(), who, "apply", java.time.Instant.now().toString(), pid);
    }

    /** Both kinds of lock, as a process that then died left them. */
    void putLock(LockInfo info) {
        putObjectLock(info);
        dynamo.putItem(r -> r.tableName(table).item(Map.of("LockID", AttributeValue.fromS(bucket + "/" + key()),
                "Info", AttributeValue.fromS(info.toJson()))));
    }

    void putObjectLock(LockInfo info) {
        s3.putObject(r -> r.bucket(bucket).key(key() + ".tflock"), RequestBody.fromString(info.toJson()));
    }

    Map<String, AttributeValue> lockKey() {
        return Map.of("LockID", AttributeValue.fromS(bucket + "/" + key()));
    }

    Optional<Map<String, AttributeValue>> lockItem() {
        Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).key(lockKey()).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    Optional<String> lockObject() {
        String lockKey = key() + ".tflock";
        if (s3.listObjectsV2(r -> r.bucket(bucket).prefix(lockKey)).contents().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(s3.getObjectAsBytes(r -> r.bucket(bucket).key(lockKey)).asUtf8String());
    }

    @Test
    void theS3LockObjectIsEncryptedWithTheBucketsKey() {
        try (StateBackend.Lock held = backend(bucket, null).lock("apply")) {
            assertThat(s3.headObject(r -> r.bucket(bucket).key(key() + ".tflock")).serverSideEncryption())
                    .isEqualTo(ServerSideEncryption.AWS_KMS);
            assertThat(lockItem()).as("no table configured: no item").isEmpty();
        }
        assertThat(lockObject()).isEmpty();
    }

    @Test
    void aMissingLockTableIsNamed() {
        StateBackendException e = catchThrowableOfType(StateBackendException.class, () -> backend(bucket, "no-such-table").lock("apply"));

        assertThat(e).hasMessageStartingWith("the lock table no-such-table does not exist: create it with the partition key LockID (String)");
    }
}
