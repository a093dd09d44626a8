package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.FakeHelm;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.ClusterStatus;

/**
 * The seed applied on an emulator at realistic durations (INFRA_EMULATOR_TIME_SCALE=60: an EKS cluster takes 10 s,
 * an OpenSearch domain 20 s): waits give their slot back, so with the default parallelism the apply takes at most
 * 1.1 × its critical path; stdout holds the plan, the progress (one summary line per interval, no line per waiting
 * resource) and the closing summary with the critical path; stderr holds none of it.
 */
class RealisticTimingIT {

    /** The seed's own region: the emulator is this test's alone. */
    private static final String REGION = "us-east-1";
    private static final Pattern TIMING = Pattern.compile(
            "Wall time (\\S+); critical path (\\S+) \\(wall / critical path = (\\d+\\.\\d+)\\):");

    @TempDir
    static Path dir;

    /** The helm infra runs: CI has no real one (and the emulator no Kubernetes API for it). */
    static FakeHelm helm;

    static URI endpoint;
    static AwsClients aws;

    @BeforeAll
    static void start() throws IOException {
        helm = FakeHelm.in(dir.resolve("helm-bin"));
        endpoint = Emulator.startScaled(60);
        aws = Emulator.clients(REGION, endpoint);
        Files.writeString(dir.resolve("infra.yaml"), Files.readString(Path.of("../samples/seed-architecture.yaml"))
                .replace("deletionProtection: true", "deletionProtection: false"));
    }

    @AfterAll
    static void close() {
        aws.close();
    }

    @Test
    void theSeedTakesAboutItsCriticalPathAndSaysSoOnStdout() {
        EksClient eks = aws.client(EksClient.class, EksClient::builder);
        Cli.Result r = infra("apply", "--auto-approve", "--heartbeat", "2");
        assertThat(r.exit()).as(r.toString()).isZero();

        assertThat(r.out()).contains("+ cluster.apps/cluster (aws_eks_cluster)", "Plan: ",
                "cluster.apps/cluster: creating...", "cluster.apps/cluster: created (",
                "Apply complete! Resources: 138 added");
        assertThat(r.out()).containsPattern("\\d+/139 done, \\d+ in flight, \\d+ waiting, 0 failed \\| \\S+ elapsed \\|"
                + " slowest: \\S+ creating \\S+.* \\| about \\S+ left");
        assertThat(r.out()).doesNotContain("still creating");
        assertThat(r.err()).doesNotContain("creating", "Apply complete", "Plan: ");
        Matcher m = TIMING.matcher(r.out());
        assertThat(m.find()).as(r.out()).isTrue();
        assertThat(Double.parseDouble(m.group(3))).as(m.group()).isLessThanOrEqualTo(1.1);
        // The path ends at the slowest resource: the OpenSearch domain (20 min / 60), each step with its duration.
        assertThat(r.out().substring(m.end())).containsPattern("\\n  monitoring/log-search +creating +\\d+s\\n");
        assertThat(eks.describeCluster(b -> b.name("shop-apps")).cluster().status()).isEqualTo(ClusterStatus.ACTIVE);

        Cli.Result destroy = infra("destroy", "--auto-approve");
        assertThat(destroy.exit()).as(destroy.toString()).isZero();
        assertThat(destroy.out()).contains("Destroy complete!").containsPattern(TIMING.pattern());
    }

    private static Cli.Result infra(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve("infra.yaml").toString(), "--state-dir", dir.resolve(".infra").toString(),
                "--endpoint-url", endpoint.toString(), "--max-attempts", "2",
                "--helm", helm.binary().toString()));
        return Cli.run(all.toArray(String[]::new));
    }
}
