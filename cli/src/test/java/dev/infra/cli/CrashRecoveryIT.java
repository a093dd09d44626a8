package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.state.LocalBackend;
import dev.infra.core.state.State;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NatGatewayState;

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

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
