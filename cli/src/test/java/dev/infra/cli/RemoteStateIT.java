package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.state.Json;
import dev.infra.core.state.LocalBackend;
import dev.infra.core.state.LockInfo;
import dev.infra.core.state.State;
import dev.infra.core.state.StateBackend;
import dev.infra.core.topology.Backend;
import dev.infra.providers.AwsClients;
import dev.infra.providers.state.S3Backend;
import dev.infra.providers.testing.Emulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * State in S3 for teams, end to end through the CLI against the emulator: the state bucket (versioned, SSE-KMS) and
 * the lock table are made with raw SDK calls, as a platform team would make them once; what infra keeps there is
 * read back through the SDK. Steps run in order, each building on the last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RemoteStateIT {

    static final String REGION = "us-west-1";
    /** The stack kept in S3 from its first apply (topology {@code backend:}, DynamoDB lock). */
    static final String TEAM = "remit";
    /** The stack applied locally first, then migrated (command-line options). */
    static final String SOLO = "remig";

    @TempDir
    static Path dir;

    static AwsClients aws;
    static S3Client s3;
    static DynamoDbClient dynamo;
    static Ec2Client ec2;
    static String bucket;
    static String table;

    @BeforeAll
    static void start() {
        Emulator.endpoint();
        aws = Emulator.clients(REGION);
        s3 = aws.s3();
        dynamo = aws.client(DynamoDbClient.class, DynamoDbClient::builder);
        ec2 = aws.ec2();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        bucket = "infra-state-" + suffix;
        table = "infra-locks-" + suffix;
        String key = aws.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description("infra state")).keyMetadata().arn();
        s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(REGION)));
        s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(key)))));
        dynamo.createTable(b -> b.tableName(table).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(d -> d.attributeName("LockID").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("LockID").keyType(KeyType.HASH)));
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    /** A small network; with {@code remote}, its state in the bucket under {@code infra/}, locked in the table. */
    static void topology(String stack, String cidr, String owner, boolean remote) throws IOException {
        String backend = remote ? """
                backend:
                  s3: {bucket: %s, prefix: infra, lockTable: %s}
                """.formatted(bucket, table) : "";
        Files.writeString(dir.resolve(stack + ".yaml"), """
                stack: %s
                region: %s
                tags: {owner: %s}
                %snetwork:
                  cidr: %s
                  zones: [a, b]
                  natGateways: none
                  securityGroups:
                    web:
                      ingress:
                        - {protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
                """.formatted(stack, REGION, owner, backend, cidr));
    }

    static Cli.Result infra(String stack, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve(stack + ".yaml").toString(), "--state-dir", dir.resolve(".infra").toString(),
                "--endpoint-url", Emulator.endpoint().toString(), "--max-attempts", "2"));
        return Cli.run(all.toArray(String[]::new));
    }

    static String teamKey() {
        return "infra/" + TEAM + "/" + REGION + ".json";
    }

    /** The state object as S3 holds it; empty when there is none. */
    static Optional<State> inS3(String key) throws IOException {
        if (s3.listObjectsV2(b -> b.bucket(bucket).prefix(key)).contents().stream().noneMatch(o -> o.key().equals(key))) {
            return Optional.empty();
        }
        return Optional.of(Json.MAPPER.readValue(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), State.class));
    }

    static S3Backend teamBackend() {
        return S3Backend.of(aws, new Backend.S3(bucket, "infra", table, REGION, null), TEAM, REGION);
    }

    static Optional<Map<String, AttributeValue>> lockItem() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("LockID", AttributeValue.fromS(bucket + "/" + teamKey())))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item);
    }

    static List<Vpc> vpcs(String stack) {
        return ec2.describeVpcs(b -> b.filters(Filter.builder().name("tag:infra:stack").values(stack).build())).vpcs();
    }

    static String owner(Vpc vpc) {
        return vpc.tags().stream().filter(t -> t.key().equals("owner")).map(Tag::value).findFirst().orElse(null);
    }

    static List<String> localFiles() throws IOException {
        Path local = dir.resolve(".infra");
        if (!Files.isDirectory(local)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(local)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    @Order(1)
    void applyKeepsTheStateInS3AndNothingLocally() throws IOException {
        topology(TEAM, "10.40.0.0/16", "team-a", true);
        Cli.Result r = infra(TEAM, "apply", "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);

        State state = inS3(teamKey()).orElseThrow();
        Vpc vpc = vpcs(TEAM).stream().findFirst().orElseThrow();
        assertThat(state.stack()).isEqualTo(TEAM);
        assertThat(state.resources().get("network/vpc").id()).isEqualTo(vpc.vpcId());
        assertThat(s3.headObject(b -> b.bucket(bucket).key(teamKey())).serverSideEncryption()).isEqualTo(ServerSideEncryption.AWS_KMS);
        // Written through after every resource: S3 versioning kept each earlier state.
        assertThat(s3.listObjectVersions(b -> b.bucket(bucket).prefix(teamKey())).versions()).hasSizeGreaterThan(2);
        assertThat(localFiles()).as("no local state, no local lock").noneMatch(f -> f.startsWith(TEAM + "."));
        assertThat(lockItem()).as("unlocked at the end").isEmpty();
    }

    @Test
    @Order(2)
    void planAndStateCommandsReadTheStateFromS3() {
        Cli.Result plan = infra(TEAM, "plan", "--detailed-exitcode");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);
        assertThat(plan.out()).contains("No changes.");
        assertThat(infra(TEAM, "state", "list").out()).contains("network/vpc\taws_vpc\t" + vpcs(TEAM).get(0).vpcId());
    }

    @Test
    @Order(3)
    void aSecondApplyIsRefusedWhileAnotherHoldsTheLock() {
        try (StateBackend.Lock held = teamBackend().lock("apply")) {
            Cli.Result r = infra(TEAM, "apply", "--auto-approve");
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains("error: state s3://" + bucket + "/" + teamKey() + " is locked by ")
                    .contains("(apply, pid " + ProcessHandle.current().pid() + ") since ")
                    .contains("which is still running: wait for it to finish");
        }
        assertThat(lockItem()).isEmpty();
    }

    /** Both lock kinds: the team's stack (lock table: object and item) and one locked by the S3 object alone. */
    @Test
    @Order(4)
    void stateUnlockNeverFreesALiveHolderClearsADeadOneAndNeedsForceForAnotherHost() throws Exception {
        String objectOnly = "relock";
        Files.writeString(dir.resolve(objectOnly + ".yaml"), """
                stack: %s
                region: %s
                backend:
                  s3: {bucket: %s, prefix: infra}
                """.formatted(objectOnly, REGION, bucket));
        for (String stack : List.of(TEAM, objectOnly)) {
            boolean withTable = stack.equals(TEAM);
            S3Backend backend = S3Backend.of(aws, new Backend.S3(bucket, "infra", withTable ? table : null, REGION, null),
                    stack, REGION);
            String key = "infra/" + stack + "/" + REGION + ".json";

            try (StateBackend.Lock live = backend.lock("apply")) {
                Cli.Result refused = infra(stack, "state", "unlock", "--force");
                assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
                assertThat(refused.err()).contains("(apply, pid " + ProcessHandle.current().pid() + ")")
                        .contains("which is still running; a running holder's lock is never removed");
                assertThat(lockObject(key)).isPresent();
            }

            LockInfo dead = holder(LockInfo.forThisProcess("x").who(), deadPid());
            putLock(key, dead, withTable);
            Cli.Result blocked = infra(stack, "apply", "--auto-approve");
            assertThat(blocked.exit()).as(blocked.toString()).isEqualTo(1);
            assertThat(blocked.err()).contains("whose process is gone: the lock is stale; 'infra state unlock' removes it");
            Cli.Result stale = infra(stack, "state", "unlock");
            assertThat(stale.exit()).as(stale.toString()).isEqualTo(0);
            assertThat(stale.out()).isEqualTo("The lock of " + dead.who() + " pid " + dead.pid() + " (apply, since "
                    + dead.created() + ") was stale: its process is gone; removed.\n");
            assertThat(lockObject(key)).isEmpty();
            if (withTable) {
                assertThat(lockItem()).isEmpty();
            }

            LockInfo elsewhere = holder("ci@build-7.example.com", 4242);
            putLock(key, elsewhere, withTable);
            Cli.Result needsForce = infra(stack, "state", "unlock");
            assertThat(needsForce.exit()).as(needsForce.toString()).isEqualTo(1);
            assertThat(needsForce.err()).contains("is held by ci@build-7.example.com (apply, pid 4242) since ")
                    .contains("on another host, where infra cannot tell whether it still runs; if it does not, run"
                            + " 'infra state unlock --force'");
            Cli.Result forced = infra(stack, "state", "unlock", "--force");
            assertThat(forced.exit()).as(forced.toString()).isEqualTo(0);
            assertThat(forced.out()).startsWith("Removed the lock of ci@build-7.example.com (apply, pid 4242) since ")
                    .contains("(--force: its host build-7.example.com was not checked)");
            assertThat(infra(stack, "state", "unlock").out()).isEqualTo("The state was not locked.\n");

            // Release removes only the lock it took: here someone removed it and another operation took it since.
            StateBackend.Lock first = backend.lock("apply");
            s3.deleteObject(b -> b.bucket(bucket).key(key + ".tflock"));
            dynamo.deleteItem(b -> b.tableName(table).key(Map.of("LockID", AttributeValue.fromS(bucket + "/" + key))));
            try (StateBackend.Lock second = backend.lock("destroy")) {
                first.close();
                assertThat(LockInfo.parse(lockObject(key).orElseThrow()).orElseThrow().operation()).isEqualTo("destroy");
            }
            assertThat(lockObject(key)).isEmpty();
        }
        Cli.Result apply = infra(TEAM, "apply", "--auto-approve");
        assertThat(apply.exit()).as(apply.toString()).isEqualTo(0);
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

    /** A lock as a process left it: the S3 object and, with a table, the item. */
    static void putLock(String key, LockInfo info, boolean withTable) {
        s3.putObject(b -> b.bucket(bucket).key(key + ".tflock"), RequestBody.fromString(info.toJson()));
        if (withTable) {
            dynamo.putItem(b -> b.tableName(table).item(Map.of("LockID", AttributeValue.fromS(bucket + "/" + key),
                    "Info", AttributeValue.fromS(info.toJson()))));
        }
    }

    static Optional<String> lockObject(String key) {
        String lock = key + ".tflock";
        if (s3.listObjectsV2(b -> b.bucket(bucket).prefix(lock)).contents().isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(lock)).asUtf8String());
    }

    @Test
    @Order(5)
    void aSavedPlanIsRefusedOnceTheRemoteStateMoved() throws IOException {
        Path planFile = dir.resolve("plan.json");
        topology(TEAM, "10.40.0.0/16", "team-b", true);
        Cli.Result plan = infra(TEAM, "plan", "-o", planFile.toString());
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);
        long serial = inS3(teamKey()).orElseThrow().serial();

        topology(TEAM, "10.40.0.0/16", "team-c", true);
        assertThat(infra(TEAM, "apply", "--auto-approve").exit()).isEqualTo(0);
        assertThat(inS3(teamKey()).orElseThrow().serial()).isGreaterThan(serial);

        topology(TEAM, "10.40.0.0/16", "team-b", true);
        Cli.Result stale = infra(TEAM, "apply", planFile.toString());
        assertThat(stale.exit()).as(stale.toString()).isEqualTo(1);
        assertThat(stale.err()).contains("is stale: the state changed since it was made");
        assertThat(vpcs(TEAM)).singleElement().satisfies(v -> assertThat(owner(v)).isEqualTo("team-c"));
        assertThat(lockItem()).isEmpty();
    }

    @Test
    @Order(6)
    void migrateMovesALocalStateToS3() throws IOException {
        topology(SOLO, "10.41.0.0/16", "solo", false);
        Cli.Result local = infra(SOLO, "apply", "--auto-approve");
        assertThat(local.exit()).as(local.toString()).isEqualTo(0);
        LocalBackend localBackend = LocalBackend.of(dir.resolve(".infra"), SOLO, REGION);
        State before = localBackend.read().orElseThrow();
        String[] remote = {"--backend-bucket", bucket, "--backend-lock-table", table};

        // With the bucket named but the state still local, commands refuse rather than fork the history.
        Cli.Result refused = infra(SOLO, concat("plan", remote));
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("a local state " + localBackend.file() + " exists: run 'infra state migrate'");

        Cli.Result migrate = infra(SOLO, concat("state", concat("migrate", remote)));
        assertThat(migrate.exit()).as(migrate.toString()).isEqualTo(0);
        String key = SOLO + "/" + REGION + ".json";
        assertThat(migrate.out()).contains("Copied the state of stack " + SOLO + " in " + REGION + " (lineage " + before.lineage()
                        + ", serial " + before.serial() + ", " + before.resources().size() + " resources) from " + localBackend.file()
                        + " to s3://" + bucket + "/" + key + ".")
                .contains("Renamed " + localBackend.file() + " to " + localBackend.file() + ".migrated");
        assertThat(inS3(key)).contains(before);
        assertThat(localFiles()).contains(SOLO + "." + REGION + ".json.migrated").doesNotContain(SOLO + "." + REGION + ".json");

        Cli.Result plan = infra(SOLO, concat("plan", concat("--detailed-exitcode", remote)));
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);
        assertThat(plan.out()).contains("No changes.");

        // Forgetting the backend options must not adopt everything into a new local state beside the real one.
        Cli.Result forgot = infra(SOLO, "plan");
        assertThat(forgot.exit()).as(forgot.toString()).isEqualTo(1);
        assertThat(forgot.err()).contains("was moved to s3://" + bucket + "/" + key + " by 'infra state migrate'");
        assertThat(localFiles()).doesNotContain(SOLO + "." + REGION + ".json");
    }

    @Test
    @Order(7)
    void migrateRefusesToOverwriteAnotherLineage() throws IOException {
        LocalBackend localBackend = LocalBackend.of(dir.resolve(".infra"), SOLO, REGION);
        State stray = State.empty(SOLO, REGION).without("nothing");
        localBackend.write(stray);
        String key = SOLO + "/" + REGION + ".json";
        State remote = inS3(key).orElseThrow();

        Cli.Result r = infra(SOLO, "state", "migrate", "--backend-bucket", bucket);
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("error: s3://" + bucket + "/" + key + " already holds a different state (lineage "
                + remote.lineage()).contains("nothing was changed");
        assertThat(inS3(key)).contains(remote);
        assertThat(localBackend.read()).contains(stray);
        Files.delete(localBackend.file());
    }

    @Test
    @Order(8)
    void destroyLeavesAnEmptyStateInS3() throws IOException {
        Cli.Result team = infra(TEAM, "destroy", "--auto-approve");
        assertThat(team.exit()).as(team.toString()).isEqualTo(0);
        Cli.Result solo = infra(SOLO, "destroy", "--auto-approve", "--backend-bucket", bucket, "--backend-lock-table", table);
        assertThat(solo.exit()).as(solo.toString()).isEqualTo(0);
        assertThat(vpcs(TEAM)).isEmpty();
        assertThat(vpcs(SOLO)).isEmpty();
        assertThat(inS3(teamKey()).orElseThrow().resources()).isEmpty();
        assertThat(inS3(SOLO + "/" + REGION + ".json").orElseThrow().resources()).isEmpty();
    }

    @Test
    @Order(9)
    void ofTwoConcurrentAppliesOneIsRefusedNamingTheHolderAndNothingIsDuplicated() throws Exception {
        String race = "race";
        topology(race, "10.30.0.0/16", "platform", true);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.ExecutorService two = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            List<java.util.concurrent.Future<Cli.Result>> runs = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                runs.add(two.submit(() -> {
                    start.await();
                    return infra(race, "apply", "--auto-approve");
                }));
            }
            start.countDown();
            List<Cli.Result> results = new ArrayList<>();
            for (java.util.concurrent.Future<Cli.Result> run : runs) {
                results.add(run.get());
            }
            assertThat(results).extracting(Cli.Result::exit).as(results.toString()).containsExactlyInAnyOrder(0, 1);
            Cli.Result refused = results.stream().filter(r -> r.exit() == 1).findFirst().orElseThrow();
            assertThat(refused.err()).contains("error: state s3://" + bucket + "/infra/" + race + "/" + REGION
                    + ".json is locked by ").contains("(apply, pid " + ProcessHandle.current().pid() + ") since ");
        } finally {
            two.shutdownNow();
        }
        assertThat(vpcs(race)).hasSize(1);
        Cli.Result destroy = infra(race, "destroy", "--auto-approve");
        assertThat(destroy.exit()).as(destroy.toString()).isEqualTo(0);
        assertThat(vpcs(race)).isEmpty();
    }

    /** A stack in S3 with a replica: each region's state is its own object in the bucket, locked on its own. */
    @Test
    @Order(10)
    void aReplicaKeepsItsStateBesideThePrimarysInS3() throws Exception {
        String stack = "remir";
        String replica = "us-east-2";
        topology(stack, "10.40.0.0/16", "platform", true);
        assertThat(infra(stack, "apply", "--auto-approve").exit()).isEqualTo(0);

        Cli.Result replicate = infra(stack, "replicate", "--to", replica, "--auto-approve");
        assertThat(replicate.exit()).as(replicate.toString()).isEqualTo(0);
        State primary = inS3("infra/" + stack + "/" + REGION + ".json").orElseThrow();
        State second = inS3("infra/" + stack + "/" + replica + ".json").orElseThrow();
        assertThat(primary.replicas()).extracting(State.Replica::region).containsExactly(replica);
        assertThat(primary.replicas().get(0).cidr()).isEqualTo("10.41.0.0/16");
        assertThat(second.primary()).isEqualTo(REGION);
        assertThat(second.resources()).isNotEmpty();
        assertThat(localFiles()).noneMatch(f -> f.startsWith(stack + "."));

        Cli.Result plan = infra(stack, "plan", "--detailed-exitcode");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);
        assertThat(plan.out().split("No changes.", -1)).hasSize(3);

        Cli.Result destroy = infra(stack, "destroy", "--auto-approve");
        assertThat(destroy.exit()).as(destroy.toString()).isEqualTo(0);
        assertThat(inS3("infra/" + stack + "/" + REGION + ".json").orElseThrow().replicas()).isEmpty();
        assertThat(inS3("infra/" + stack + "/" + replica + ".json").orElseThrow().resources()).isEmpty();
        assertThat(vpcs(stack)).isEmpty();
    }

    static String[] concat(String first, String... rest) {
        return Stream.concat(Stream.of(first), Stream.of(rest)).toArray(String[]::new);
    }
}
