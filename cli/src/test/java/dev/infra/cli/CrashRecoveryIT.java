package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.state.Json;
import dev.infra.core.state.LocalBackend;
import dev.infra.core.state.State;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NatGatewayState;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

/** An apply killed (SIGKILL) halfway and run again converges: no duplicates, no orphans. */
class CrashRecoveryIT {

    static final String REGION = "ap-southeast-2";
    static final String STACK = "crashit";

    @TempDir
    Path dir;

    @Test
    void killedApplyConvergesOnRerun() throws Exception {
        Emulator.useDummyCredentials();
        Path topology = dir.resolve("infra.yaml");
        Files.writeString(topology, """
                stack: %s
                region: %s
                network:
                  cidr: 10.40.0.0/16
                  zones: 3
                  securityGroups:
                    web: {ingress: [{protocol: tcp, ports: 443, cidr: 0.0.0.0/0}]}
                """.formatted(STACK, REGION));
        Path stateDir = dir.resolve(".infra");
        List<String> args = List.of("apply", "--auto-approve", "--parallelism", "1", "-f", topology.toString(),
                "--state-dir", stateDir.toString(), "--endpoint-url", Emulator.endpoint().toString(), "--max-attempts", "2");

        // A real process, so the kill is a real crash: no shutdown hooks, no finally blocks.
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-cp", System.getProperty("java.class.path"),
                "-Daws.accessKeyId=testing", "-Daws.secretAccessKey=testing", Main.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("apply.log").toFile()).start();
        LocalBackend backend = LocalBackend.of(stateDir, STACK, REGION);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        int seen = 0;
        while (p.isAlive() && System.nanoTime() < deadline) {
            seen = backend.read().map(s -> s.resources().size()).orElse(0);
            if (seen >= 6) {
                break;
            }
            Thread.sleep(5);
        }
        assertThat(p.isAlive()).as("apply still running when killed (log: %s)", Files.readString(dir.resolve("apply.log"))).isTrue();
        p.destroyForcibly().waitFor();
        // What the killed apply recorded is in its journal, not yet folded into the state file: read replays it.
        assertThat(backend.file().resolveSibling(STACK + "." + REGION + ".journal")).exists();
        State partial = backend.read().orElseThrow();
        assertThat(partial.resources().size()).isBetween(6, 17);

        Cli.Result rerun = Cli.run(args.toArray(String[]::new));
        assertThat(rerun.exit()).as(rerun.toString()).isEqualTo(0);
        Cli.Result plan = Cli.run("plan", "--detailed-exitcode", "-f", topology.toString(), "--state-dir", stateDir.toString(),
                "--endpoint-url", Emulator.endpoint().toString());
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);

        try (AwsClients aws = Emulator.clients(REGION)) {
            Ec2Client ec2 = aws.ec2();
            Filter stack = Filter.builder().name("tag:infra:stack").values(STACK).build();
            assertThat(ec2.describeVpcs(b -> b.filters(stack)).vpcs()).hasSize(1);
            assertThat(ec2.describeSubnets(b -> b.filters(stack)).subnets()).hasSize(6);
            assertThat(ec2.describeAddresses(b -> b.filters(stack)).addresses()).hasSize(3);
            assertThat(ec2.describeInternetGateways(b -> b.filters(stack)).internetGateways()).hasSize(1);
            assertThat(ec2.describeSecurityGroups(b -> b.filters(stack)).securityGroups()).hasSize(1);
            assertThat(ec2.describeRouteTables(b -> b.filters(stack)).routeTables()).hasSize(4);
            assertThat(ec2.describeNatGateways().natGateways().stream()
                    .filter(n -> n.state() != NatGatewayState.DELETED)
                    .filter(n -> n.tags().stream().anyMatch(t -> t.key().equals("infra:stack") && t.value().equals(STACK))))
                    .hasSize(3);
        }
        assertThat(Cli.run("destroy", "--auto-approve", "-f", topology.toString(), "--state-dir", stateDir.toString(),
                "--endpoint-url", Emulator.endpoint().toString()).exit()).isEqualTo(0);
    }

    /**
     * With the S3 backend the state is uploaded at most every 5 s: an apply killed between two uploads leaves an
     * uploaded state that lacks resources the apply made since. The next apply finds them again (tagged ones by the
     * plan's adoption by {@code infra:address}, the rest by each create's lookup) and makes no second copy.
     */
    @Test
    void applyKilledBetweenTwoUploadsOfTheS3StateConvergesWithoutDuplicates() throws Exception {
        Emulator.useDummyCredentials();
        String stack = "crashs3";
        try (AwsClients aws = Emulator.clients(REGION)) {
            S3Client s3 = aws.s3();
            String bucket = "infra-crash-state-" + UUID.randomUUID().toString().substring(0, 8);
            s3.createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(REGION)));
            s3.putBucketVersioning(b -> b.bucket(bucket).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
            s3.putBucketEncryption(b -> b.bucket(bucket).serverSideEncryptionConfiguration(c -> c.rules(r -> r
                    .applyServerSideEncryptionByDefault(d -> d.sseAlgorithm(ServerSideEncryption.AES256)))));
            Path topology = dir.resolve("s3.yaml");
            Files.writeString(topology, """
                    stack: %s
                    region: %s
                    backend:
                      s3: {bucket: %s}
                    network:
                      cidr: 10.41.0.0/16
                      zones: 3
                      securityGroups:
                        web: {ingress: [{protocol: tcp, ports: 443, cidr: 0.0.0.0/0}]}
                    """.formatted(stack, REGION, bucket));
            Path stateDir = dir.resolve(".infra-s3");
            List<String> args = List.of("apply", "--auto-approve", "--parallelism", "1", "-f", topology.toString(),
                    "--state-dir", stateDir.toString(), "--endpoint-url", Emulator.endpoint().toString(), "--max-attempts", "2");
            List<String> cmd = new ArrayList<>(List.of(javaBin(), "-cp", System.getProperty("java.class.path"),
                    "-Daws.accessKeyId=testing", "-Daws.secretAccessKey=testing", Main.class.getName()));
            cmd.addAll(args);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("apply-s3.log").toFile()).start();
            String key = stack + "/" + REGION + ".json";
            Ec2Client ec2 = aws.ec2();
            Filter tagged = Filter.builder().name("tag:infra:stack").values(stack).build();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            // Kill once a state was uploaded and AWS holds three resources it does not list: between two uploads.
            while (p.isAlive() && System.nanoTime() < deadline) {
                Optional<Set<String>> uploaded = uploadedIds(s3, bucket, key);
                if (uploaded.isPresent() && taggedEc2Ids(ec2, tagged).stream().filter(id -> !uploaded.get().contains(id)).count() >= 3) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(p.isAlive()).as("apply still running when killed (log: %s)", Files.readString(dir.resolve("apply-s3.log"))).isTrue();
            p.destroyForcibly().waitFor();
            Set<String> afterKill = uploadedIds(s3, bucket, key).orElseThrow();
            Set<String> lost = new TreeSet<>(taggedEc2Ids(ec2, tagged));
            lost.removeAll(afterKill);
            assertThat(lost).as("made in AWS after the last upload, so not in the uploaded state").hasSizeGreaterThanOrEqualTo(3);

            // The killed process's lock stays in S3: its holder ran on this host and is gone, so unlock removes it.
            Cli.Result unlock = Cli.run("state", "unlock", "-f", topology.toString(), "--state-dir", stateDir.toString(),
                    "--endpoint-url", Emulator.endpoint().toString());
            assertThat(unlock.exit()).as(unlock.toString()).isEqualTo(0);
            Cli.Result rerun = Cli.run(args.toArray(String[]::new));
            assertThat(rerun.exit()).as(rerun.toString()).isEqualTo(0);
            Set<String> inState = uploadedIds(s3, bucket, key).orElseThrow();
            assertThat(inState).as("what the killed apply made and the state had lost is in the state again").containsAll(lost);
            Cli.Result plan = Cli.run("plan", "--detailed-exitcode", "-f", topology.toString(), "--state-dir",
                    stateDir.toString(), "--endpoint-url", Emulator.endpoint().toString());
            assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);

            assertThat(ec2.describeVpcs(b -> b.filters(tagged)).vpcs()).hasSize(1);
            assertThat(ec2.describeSubnets(b -> b.filters(tagged)).subnets()).hasSize(6);
            assertThat(ec2.describeAddresses(b -> b.filters(tagged)).addresses()).hasSize(3);
            assertThat(ec2.describeInternetGateways(b -> b.filters(tagged)).internetGateways()).hasSize(1);
            assertThat(ec2.describeSecurityGroups(b -> b.filters(tagged)).securityGroups()).hasSize(1);
            assertThat(ec2.describeRouteTables(b -> b.filters(tagged)).routeTables()).hasSize(4);
            assertThat(ec2.describeNatGateways().natGateways().stream()
                    .filter(n -> n.state() != NatGatewayState.DELETED)
                    .filter(n -> n.tags().stream().anyMatch(t -> t.key().equals("infra:stack") && t.value().equals(stack))))
                    .hasSize(3);
            assertThat(Cli.run("destroy", "--auto-approve", "-f", topology.toString(), "--state-dir", stateDir.toString(),
                    "--endpoint-url", Emulator.endpoint().toString()).exit()).isEqualTo(0);
        }
    }

    /** The AWS ids the state object in S3 records; empty before the first upload. */
    private static Optional<Set<String>> uploadedIds(S3Client s3, String bucket, String key) throws IOException {
        if (s3.listObjectsV2(b -> b.bucket(bucket).prefix(key)).contents().stream().noneMatch(o -> o.key().equals(key))) {
            return Optional.empty();
        }
        State state = Json.MAPPER.readValue(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray(), State.class);
        return Optional.of(state.resources().values().stream().map(r -> r.id()).filter(Objects::nonNull)
                .collect(Collectors.toSet()));
    }

    /** The ids of the stack's tagged VPC, subnets, addresses, gateways, groups, route tables and NAT gateways. */
    private static Set<String> taggedEc2Ids(Ec2Client ec2, Filter tagged) {
        Set<String> ids = new TreeSet<>();
        ec2.describeVpcs(b -> b.filters(tagged)).vpcs().forEach(v -> ids.add(v.vpcId()));
        ec2.describeSubnets(b -> b.filters(tagged)).subnets().forEach(v -> ids.add(v.subnetId()));
        ec2.describeAddresses(b -> b.filters(tagged)).addresses().forEach(v -> ids.add(v.allocationId()));
        ec2.describeInternetGateways(b -> b.filters(tagged)).internetGateways().forEach(v -> ids.add(v.internetGatewayId()));
        ec2.describeSecurityGroups(b -> b.filters(tagged)).securityGroups().forEach(v -> ids.add(v.groupId()));
        ec2.describeRouteTables(b -> b.filters(tagged)).routeTables().forEach(v -> ids.add(v.routeTableId()));
        ec2.describeNatGateways(b -> b.filter(tagged)).natGateways().stream()
                .filter(n -> n.state() != NatGatewayState.DELETED).forEach(v -> ids.add(v.natGatewayId()));
        return ids;
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
