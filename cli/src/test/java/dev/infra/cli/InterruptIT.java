package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.state.LocalBackend;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NatGatewayState;

/**
 * Ctrl-C during an apply of samples/network.yaml, sent to the real command (the shaded jar, its own JVM): no new
 * operation starts, those in flight finish, the state is saved, the lock released, exit 130; the next apply
 * continues and converges. AWS is read back through the SDK.
 */
class InterruptIT {

    static final String REGION = "eu-south-1";
    /** The sample's stack. */
    static final String STACK = "shop";
    static final Pattern INTERRUPTED = Pattern.compile("Interrupted: (\\d+) operations? finished, (\\d+) not started;"
            + " the state is saved; the lock is released; run 'infra apply' again to continue\\.");

    @TempDir
    Path dir;

    @Test
    void ctrlCStopsTheApplySavesTheStateReleasesTheLockAndTheNextApplyContinues() throws Exception {
        Emulator.useDummyCredentials();
        Path topology = dir.resolve("infra.yaml");
        Files.writeString(topology, Files.readString(Path.of("../samples/network.yaml"))
                .replace("region: us-east-1", "region: " + REGION));
        Path stateDir = dir.resolve(".infra");
        List<String> args = List.of("apply", "--auto-approve", "--parallelism", "1", "-f", topology.toString(),
                "--state-dir", stateDir.toString(), "--endpoint-url", Emulator.endpoint().toString(), "--max-attempts", "2");

        Path jar = Path.of("target", "infra.jar");
        assertThat(jar).as("the shaded jar, built in package (failsafe runs after it)").exists();
        List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Daws.accessKeyId=testing", "-Daws.secretAccessKey=testing",
                "-jar", jar.toString()));
        cmd.addAll(args);
        Cli.Result warm = Cli.run("validate", "-f", topology.toString()); // loads the classes the checks below need
        assertThat(warm.exit()).as(warm.toString()).isZero();
        Process apply = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Path lockFile = stateDir.resolve(STACK + "." + REGION + ".lock");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.exists(lockFile) && Files.size(lockFile) > 0) && apply.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        // While it plans and applies, its lock cannot be taken, nor removed by 'state unlock' (forced or not).
        Cli.Result unlock = Cli.run("state", "unlock", "--force", "-f", topology.toString(), "--state-dir", stateDir.toString());
        assertThat(unlock.exit()).as(unlock.toString()).isEqualTo(1);
        assertThat(unlock.err()).contains("(apply, pid " + apply.pid() + ")").contains("which is still running");
        Cli.Result second = Cli.run(args.toArray(String[]::new));
        assertThat(second.exit()).as(second.toString()).isEqualTo(1);
        assertThat(second.err()).contains("is locked by ").contains("(apply, pid " + apply.pid() + ")")
                .contains("which is still running: wait for it to finish");

        StringBuilder log = new StringBuilder();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(apply.getInputStream(), StandardCharsets.UTF_8))) {
            boolean signalled = false;
            for (String line; (line = out.readLine()) != null; ) {
                log.append(line).append('\n');
                if (!signalled && line.endsWith(": creating...")) {
                    signalled = true;
                    new ProcessBuilder("kill", "-INT", Long.toString(apply.pid())).inheritIO().start().waitFor();
                }
            }
        }
        assertThat(apply.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(apply.exitValue()).as(log.toString()).isEqualTo(130);
        assertThat(log).contains("Interrupt received: no new operation starts; those in flight finish");
        Matcher m = INTERRUPTED.matcher(log);
        assertThat(m.find()).as(log.toString()).isTrue();
        int finished = Integer.parseInt(m.group(1));
        int notStarted = Integer.parseInt(m.group(2));
        assertThat(finished).isPositive();
        assertThat(notStarted).isPositive();

        LocalBackend backend = LocalBackend.of(stateDir, STACK, REGION);
        assertThat(lockFile).as("released: its record emptied").isEmptyFile();
        backend.lock("check").close();
        State saved = backend.read().orElseThrow();
        assertThat(saved.resources()).hasSize(finished);
        assertThat(saved.resources().values()).allMatch(r -> r.status() == ResourceState.Status.CREATED && r.id() != null);
        Cli.Result list = Cli.run("state", "list", "-f", topology.toString(), "--state-dir", stateDir.toString());
        assertThat(list.out().lines()).hasSize(finished);

        Cli.Result rest = Cli.run(args.toArray(String[]::new));
        assertThat(rest.exit()).as(rest.toString()).isEqualTo(0);
        assertThat(rest.out()).contains("Apply complete! Resources: " + notStarted + " added, 0 changed, 0 replaced, 0 destroyed.");
        Cli.Result plan = Cli.run("plan", "--detailed-exitcode", "-f", topology.toString(), "--state-dir", stateDir.toString(),
                "--endpoint-url", Emulator.endpoint().toString());
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);

        try (AwsClients aws = Emulator.clients(REGION)) {
            Ec2Client ec2 = aws.ec2();
            Filter stack = Filter.builder().name("tag:infra:stack").values(STACK).build();
            assertThat(ec2.describeVpcs(b -> b.filters(stack)).vpcs()).hasSize(1);
            assertThat(ec2.describeSubnets(b -> b.filters(stack)).subnets()).hasSize(6);
            assertThat(ec2.describeNatGateways(b -> b.filter(stack)).natGateways().stream()
                    .filter(n -> n.state() != NatGatewayState.DELETED)).hasSize(3);
        }
        Cli.Result destroy = Cli.run("destroy", "--auto-approve", "-f", topology.toString(), "--state-dir", stateDir.toString(),
                "--endpoint-url", Emulator.endpoint().toString());
        assertThat(destroy.exit()).as(destroy.toString()).isEqualTo(0);
    }

    private static String javaBin() {
        return System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
    }
}
