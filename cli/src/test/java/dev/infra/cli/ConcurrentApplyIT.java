package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.state.Json;
import dev.infra.core.state.State;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/**
 * Two real processes (the shaded jar, each its own JVM) apply samples/network.yaml at the same time from two
 * directories sharing one S3 backend: one proceeds, the other is refused naming the holder; every state write is kept
 * (the object's versions are one lineage with serials from 1 up without a repeat: the uploads are throttled, so not
 * every serial has its own version) and the loser's directory
 * then sees the winner's state as its own.
 */
class ConcurrentApplyIT {

    static final String REGION = "eu-central-2";
    static final String STACK = "shop";

    @TempDir
    Path dir;

    @Test
    void oneApplyProceedsTheOtherIsRefusedAndNoStateWriteIsLost() throws Exception {
        Emulator.useDummyCredentials();
        String bucket = "team-state-concurrent";
        try (AwsClients aws = Emulator.clients(REGION)) {
            S3Client s3 = aws.s3();
            String key = aws.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description("state"))
                    .keyMetadata().arn();
            s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(REGION)));
            s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
            s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                    .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AWS_KMS).kmsMasterKeyID(key)))));

            String topology = Files.readString(Path.of("../samples/network.yaml")).replace("region: us-east-1",
                    "region: " + REGION) + "\nbackend:\n  s3: {bucket: " + bucket + "}\n";
            List<Path> files = new ArrayList<>();
            for (String who : List.of("alice", "bob")) {
                Path file = dir.resolve(who).resolve("infra.yaml");
                Files.createDirectories(file.getParent());
                Files.writeString(file, topology);
                files.add(file);
            }

            Path jar = Path.of("target", "infra.jar");
            assertThat(jar).as("the shaded jar, built in package (failsafe runs after it)").exists();
            List<Process> applies = new ArrayList<>();
            for (Path file : files) {
                applies.add(new ProcessBuilder(javaBin(), "-Daws.accessKeyId=testing", "-Daws.secretAccessKey=testing",
                        "-jar", jar.toAbsolutePath().toString(), "apply", "--auto-approve", "--parallelism", "1", "-f", file.toString(),
                        "--endpoint-url", Emulator.endpoint().toString(), "--max-attempts", "2")
                        .directory(file.getParent().toFile()).redirectErrorStream(true)
                        .redirectOutput(file.resolveSibling("apply.log").toFile()).start());
            }
            List<Integer> exits = new ArrayList<>();
            for (Process p : applies) {
                assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
                exits.add(p.exitValue());
            }
            List<String> logs = new ArrayList<>();
            for (Path file : files) {
                logs.add(Files.readString(file.resolveSibling("apply.log")));
            }
            assertThat(exits).as(String.join("\n---\n", logs)).containsExactlyInAnyOrder(0, 1);
            int winner = exits.indexOf(0);
            int loser = 1 - winner;
            assertThat(logs.get(winner)).contains("Apply complete! Resources: 24 added");
            assertThat(logs.get(loser)).contains("is locked by ", "(apply, pid " + applies.get(winner).pid() + ")")
                    .doesNotContain("creating...");

            // Every write kept: one lineage, serials from 1 up, none twice (uploads are throttled: the first change at
            // once, then at most every 5 s, then the end, so serials between two uploads have no version of their own).
            String stateKey = STACK + "/" + REGION + ".json";
            List<ObjectVersion> versions = new ArrayList<>(s3.listObjectVersions(b -> b.bucket(bucket).prefix(stateKey))
                    .versions().stream().filter(v -> v.key().equals(stateKey)).toList());
            versions.sort(Comparator.comparing(ObjectVersion::lastModified));
            List<State> states = new ArrayList<>();
            for (ObjectVersion v : versions) {
                states.add(Json.MAPPER.readValue(s3.getObjectAsBytes(b -> b.bucket(bucket).key(stateKey)
                        .versionId(v.versionId())).asUtf8String(), State.class));
            }
            assertThat(states).extracting(State::lineage).containsOnly(states.get(0).lineage());
            List<Long> serials = states.stream().map(State::serial).sorted().toList();
            assertThat(serials).doesNotHaveDuplicates().first().isEqualTo(1L);
            State last = states.stream().max(Comparator.comparing(State::serial)).orElseThrow();
            assertThat(last.resources()).hasSize(24);

            List<String> loserArgs = List.of("-f", files.get(loser).toString(), "--endpoint-url",
                    Emulator.endpoint().toString());
            Cli.Result plan = Cli.run(concat(List.of("plan", "--detailed-exitcode"), loserArgs));
            assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);
            Cli.Result destroy = Cli.run(concat(List.of("destroy", "--auto-approve"), loserArgs));
            assertThat(destroy.exit()).as(destroy.toString()).isEqualTo(0);
        }
    }

    private static String[] concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all.toArray(String[]::new);
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
