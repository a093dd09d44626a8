package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.state.LocalBackend;
import dev.infra.core.state.LockInfo;
import dev.infra.core.state.StateBackend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that make no AWS call, run in-process. */
class CliTest {

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void validateAcceptsTheSample() {
        Cli.Result r = Cli.run("validate", "-f", "../samples/network.yaml");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("is valid: stack shop in us-east-1, 24 resources");
    }

    @Test
    void validateReportsEveryErrorWithFileLineAndPath() throws IOException {
        Path f = write("bad.yaml", """
                stack: shop
                region: us-east-1
                netwrok: {}
                tags:
                  owner: a
                  owner: b
                """);
        Cli.Result r = Cli.run("validate", "-f", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains(f + ":3:1: error: netwrok: unknown key 'netwrok'; did you mean 'network'?")
                .contains(f + ":6:3: error: tags.owner: duplicate key 'owner' (first at line 5)")
                .contains("2 errors")
                .doesNotContain("Exception");
    }

    @Test
    void validateRefusesWhatAwsRefusesOfAnExpandedResourceAtItsLine() throws IOException {
        Path f = write("description.yaml", """
                stack: shop
                region: us-east-1
                network:
                  cidr: 10.0.0.0/16
                  securityGroups:
                    web:
                      description: "the web tier's group"
                """);
        Cli.Result r = Cli.run("validate", "-f", f.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith(f + ":7:7: error: network.securityGroups.web: the security group"
                + " description 'the web tier's group' holds '''; AWS allows only a-z, A-Z, 0-9, spaces and");
    }

    @Test
    void semanticErrorsNameTheYamlPath() throws IOException {
        Path f = write("cidr.yaml", """
                stack: shop
                region: us-east-1
                network:
                  cidr: 10.0.0.1/16
                """);
        Cli.Result r = Cli.run("validate", "-f", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo(f + ":4:9: error: network.cidr: '10.0.0.1/16' has host bits set; did you mean '10.0.0.0/16'?");
    }

    @Test
    void missingEmptyAndBinaryFilesGetOneLine() throws IOException {
        Cli.Result missing = Cli.run("validate", "-f", dir.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().strip()).isEqualTo(dir.resolve("nope.yaml") + ": error: file not found");

        Cli.Result empty = Cli.run("validate", "-f", write("empty.yaml", "").toString());
        assertThat(empty.err().lines()).hasSize(1);
        assertThat(empty.err()).contains("file is empty");

        Path bin = dir.resolve("bin.yaml");
        Files.write(bin, new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2});
        Cli.Result binary = Cli.run("validate", "-f", bin.toString());
        assertThat(binary.err().lines()).hasSize(1);
        assertThat(binary.err()).contains("binary file");
    }

    @Test
    void aliasBombIsRefusedInOneLine() throws IOException {
        StringBuilder yaml = new StringBuilder("stack: shop\nregion: us-east-1\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            char p = (char) (c - 1);
            yaml.append(c).append(": &").append(c).append(" [*").append(p).append(",*").append(p).append(",*").append(p)
                    .append(",*").append(p).append(",*").append(p).append(",*").append(p).append(",*").append(p)
                    .append(",*").append(p).append(",*").append(p).append("]\n");
        }
        Cli.Result r = Cli.run("validate", "-f", write("bomb.yaml", yaml.toString()).toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("YAML aliases (*a) are not supported");
    }

    @Test
    void cycleIsShownAsAPath() throws IOException {
        Path f = write("cycle.yaml", """
                stack: shop
                region: us-east-1
                network:
                  cidr: 10.0.0.0/16
                  securityGroups:
                    a: {dependsOn: [network.securityGroups.b]}
                    b: {dependsOn: [network.securityGroups.a]}
                """);
        Cli.Result r = Cli.run("validate", "-f", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("dependency cycle: network/security-group.a -> network/security-group.b -> network/security-group.a");
    }

    @Test
    void graphFormats() {
        assertThat(Cli.run("graph", "-f", "../samples/network.yaml").out())
                .startsWith("digraph infra {").contains("\"network/vpc\" -> \"network/subnet.private-a\";");
        assertThat(Cli.run("graph", "-f", "../samples/network.yaml", "--format", "mermaid").out()).startsWith("flowchart LR");
        assertThat(Cli.run("graph", "-f", "../samples/network.yaml", "--format", "text").out())
                .contains("network/nat-gateway.a (aws_nat_gateway) <- network/eip.nat-a, network/internet-gateway, network/subnet.public-a");
    }

    @Test
    void usageErrorsExit64() {
        Cli.Result r = Cli.run("plan", "--no-such-option");
        assertThat(r.exit()).isEqualTo(64);
        assertThat(r.err()).contains("Unknown option: '--no-such-option'");
        assertThat(Cli.run().exit()).isEqualTo(64);
        Cli.Result noAttempts = Cli.run("plan", "-f", "../samples/network.yaml", "--max-attempts", "0");
        assertThat(noAttempts.exit()).isEqualTo(64);
        assertThat(noAttempts.err()).contains("--max-attempts must be at least 1 (1: no retries), got 0");
    }

    @Test
    void maxAttemptsIsDocumentedWithItsDefault() {
        assertThat(Cli.run("plan", "--help").out()).contains("--max-attempts=N").contains("(default: 25)");
    }

    @Test
    void replicateNamesItsRegionsWithToAndFrom() {
        Cli.Result noTo = Cli.run("replicate", "-f", "../samples/network.yaml");
        assertThat(noTo.exit()).isEqualTo(64);
        assertThat(noTo.err()).contains("Missing required option: '--to=REGION'");
        Cli.Result withRegion = Cli.run("replicate", "-f", "../samples/network.yaml", "--to", "eu-west-1", "--region", "us-west-2");
        assertThat(withRegion.exit()).isEqualTo(64);
        assertThat(withRegion.err()).contains("name them with --from and --to, not --region");
        Cli.Result toItself = Cli.run("replicate", "-f", "../samples/network.yaml", "--to", "us-east-1");
        assertThat(toItself.exit()).isEqualTo(1);
        assertThat(toItself.err()).contains("us-east-1 is the primary region itself: replicate to another region");
    }

    @Test
    void helpListsExitCodes() {
        Cli.Result r = Cli.run("--help");
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.out()).contains("Exit codes:").contains("64  usage error").contains("plan").contains("destroy")
                .contains("130 interrupted (Ctrl-C, SIGTERM)");
    }

    @Test
    void stateUnlockRefusesAHeldLocalLockAndClearsAStaleOne() throws Exception {
        Path stateDir = dir.resolve(".infra");
        String[] unlock = {"state", "unlock", "-f", "../samples/network.yaml", "--state-dir", stateDir.toString()};
        assertThat(Cli.run(unlock).out()).isEqualTo("The state was not locked.\n");

        LocalBackend backend = LocalBackend.of(stateDir, "shop", "us-east-1");
        long pid = ProcessHandle.current().pid();
        try (StateBackend.Lock held = backend.lock("apply")) {
            Cli.Result refused = Cli.run(unlock);
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.err()).startsWith("error: the lock of state " + backend.file() + " is held by ")
                    .contains("(apply, pid " + pid + ")").contains("which is still running");
        }

        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        LockInfo dead = new LockInfo("id-1", LockInfo.forThisProcess("x").who(), "destroy", "2030-01-01T00:00:00Z", gone.pid());
        Files.writeString(stateDir.resolve("shop.us-east-1.lock"), dead.toJson());
        Cli.Result stale = Cli.run(unlock);
        assertThat(stale.exit()).as(stale.toString()).isEqualTo(0);
        assertThat(stale.out()).isEqualTo("The lock of " + dead.who() + " pid " + gone.pid()
                + " (destroy, since 2030-01-01T00:00:00Z) was stale: its process is gone; removed.\n");
        assertThat(Cli.run(unlock).out()).isEqualTo("The state was not locked.\n");
        assertThat(Cli.run("state", "unlock", "--help").out()).contains("--force");
    }

    @Test
    void schemaIsJsonSchema() {
        Cli.Result r = Cli.run("schema");
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.out()).contains("\"$schema\" : \"https://json-schema.org/draft/2020-12/schema\"")
                .contains("\"natGateways\"").contains("\"one-per-zone\"");
    }

    @Test
    void completionScript() {
        Cli.Result r = Cli.run("completion", "bash");
        assertThat(r.exit()).isEqualTo(0);
        assertThat(r.out()).contains("complete -F");
    }

    @Test
    void aLockTableWithoutABucketIsAUsageError() throws IOException {
        Cli.Result r = Cli.run("state", "list", "-f", "../samples/network.yaml", "--state-dir", dir.toString(),
                "--backend-lock-table", "locks");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().strip()).isEqualTo("error: --backend-lock-table locks a state in S3: pass --backend-bucket too,"
                + " or add 'backend: {s3: {bucket: …}}' to the topology");
    }

    @Test
    void migrateNeedsAnS3Backend() throws IOException {
        Cli.Result r = Cli.run("state", "migrate", "-f", "../samples/network.yaml", "--state-dir", dir.toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("error: no S3 backend to migrate to");
        assertThat(dir.resolve("shop.us-east-1.json")).doesNotExist();
    }

    @Test
    void aRegionOptionThatIsNoRegionIsAUsageErrorWithDidYouMean() {
        Cli.Result foo = Cli.run("validate", "-f", "../samples/network.yaml", "--region", "foo");
        assertThat(foo.exit()).as(foo.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(foo.err().strip()).isEqualTo("error: --region: 'foo' is not an AWS region name such as us-east-1");
        Cli.Result typo = Cli.run("plan", "-f", "../samples/network.yaml", "--region", "eu-wset-1x");
        assertThat(typo.exit()).as(typo.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(typo.err().strip()).isEqualTo("error: --region: 'eu-wset-1x' is not an AWS region name such as"
                + " us-east-1; did you mean 'eu-west-1'?");
        Cli.Result to = Cli.run("replicate", "-f", "../samples/network.yaml", "--to", "euwest1");
        assertThat(to.exit()).as(to.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(to.err().strip()).isEqualTo("error: --to: 'euwest1' is not an AWS region name such as us-east-1;"
                + " did you mean 'eu-west-1'?");
    }

    /** AWS opens regions after infra is built: a well-formed name it does not know is a warning, and the command runs. */
    @Test
    void aWellFormedRegionInfraDoesNotKnowIsOnlyAWarning() {
        Cli.Result r = Cli.run("validate", "-f", "../samples/network.yaml", "--region", "eu-west-9");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.err().strip()).isEqualTo("warning: --region: 'eu-west-9' is not a region infra knows; did you mean"
                + " 'eu-west-1'? (if it is newer than this version of infra, ignore this)");
        assertThat(r.out()).contains("is valid: stack shop in eu-west-9");
        assertThat(Cli.run("validate", "-f", "../samples/network.yaml", "--region", "us-gov-west-1").err()).isEmpty();
        assertThat(Cli.run("validate", "-f", "../samples/network.yaml", "--region", "cn-northwest-1").err()).isEmpty();
    }

    @Test
    void aBackendBucketMustBeAnS3NameAndNotOneTheStackOwns() {
        Cli.Result bad = Cli.run("state", "list", "-f", "../samples/network.yaml", "--backend-bucket", "Team_State");
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err().strip()).isEqualTo("error: --backend-bucket: 'Team_State' is not an S3 bucket name: it may"
                + " hold only lower-case letters, digits, dots and dashes");
        Cli.Result own = Cli.run("plan", "-f", "../samples/seed-architecture.yaml", "--backend-bucket", "shop-audit-us-east-1");
        assertThat(own.exit()).as(own.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(own.err().strip()).isEqualTo("error: --backend-bucket: 'shop-audit-us-east-1' is the stack's own bucket"
                + " buckets.audit: keep the state in a bucket made apart from the stack, or a destroy would delete the"
                + " state with it");
        // A replica's bucket is the stack's too, wherever the replica is.
        Cli.Result replica = Cli.run("validate", "-f", "../samples/seed-architecture.yaml", "--backend-bucket",
                "shop-lb-logs-ap-south-2");
        assertThat(replica.exit()).as(replica.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(replica.err()).contains("is the stack's own bucket monitoring.loadBalancerLogs in ap-south-2");
    }

    @Test
    void backendIsValidatedWithTheTopology() throws IOException {
        Path f = write("backend.yaml", """
                stack: shop
                region: us-east-1
                backend:
                  s3: {bucket: team-state, lockTabel: locks}
                """);
        Cli.Result r = Cli.run("validate", "-f", f.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo(f + ":4:28: error: backend.s3.lockTabel: unknown key 'lockTabel'; did you mean 'lockTable'?");
        assertThat(Cli.run("schema").out()).contains("\"backend\"").contains("\"lockTable\"");
    }
}
