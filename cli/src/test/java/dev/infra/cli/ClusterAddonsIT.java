package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code addons: false}: the in-cluster part is the user's. No Helm is needed (none is given); the first apply makes
 * the cluster without node groups (their nodes could never become Ready) and says what to install; once the
 * topology says the CNI runs, the next apply makes them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterAddonsIT {

    static final String REGION = "ca-west-1";

    @TempDir
    static Path dir;

    static AwsClients aws;

    static final String TOPOLOGY = """
            stack: gitops
            region: %s
            network: {cidr: 10.40.0.0/16, zones: 2, natGateways: single}
            encryption: {key: {rotation: true}}
            clusters:
              apps:
                addons: false%s
                nodeGroups:
                  general: {min: 1, max: 2}
            """;

    @BeforeAll
    static void start() throws IOException {
        aws = Emulator.clients(REGION);
        write("");
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    static void write(String more) throws IOException {
        Files.writeString(dir.resolve("infra.yaml"), TOPOLOGY.formatted(REGION, more));
    }

    static Cli.Result infra(String... args) {
        return Cli.inDir(dir, args);
    }

    @Test
    @Order(1)
    void theApplyStopsAfterTheClusterAndSaysWhatToInstall() {
        Cli.Result r = infra("apply", "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.err()).contains("warning: clusters.apps: addons: false: node groups general wait until a CNI runs");
        assertThat(aws.eks().describeCluster(b -> b.name("gitops-apps")).cluster().statusAsString()).isEqualTo("ACTIVE");
        assertThat(aws.eks().listNodegroups(b -> b.clusterName("gitops-apps")).nodegroups()).isEmpty();
        String endpoint = aws.eks().describeCluster(b -> b.name("gitops-apps")).cluster().endpoint();
        assertThat(infra("output", "cluster_apps_cni").out()).startsWith("helm upgrade --install cilium cilium")
                .contains("--set k8sServiceHost=" + java.net.URI.create(endpoint).getHost());
    }

    @Test
    @Order(2)
    void onceTheCniRunsTheNextApplyMakesTheNodeGroups() throws IOException {
        write("\n    cniInstalled: true");
        Cli.Result r = infra("apply", "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.err()).doesNotContain("warning: clusters.apps");
        assertThat(aws.eks().listNodegroups(b -> b.clusterName("gitops-apps")).nodegroups())
                .containsExactly("gitops-apps-general");
        assertThat(infra("output", "cluster_apps_cni").exit()).isNotZero();
        assertThat(infra("plan", "--detailed-exitcode").exit()).isZero();
    }

    @Test
    @Order(3)
    void destroyNeedsNoHelmEither() {
        Cli.Result r = infra("destroy", "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(aws.eks().listClusters().clusters()).doesNotContain("gitops-apps");
    }
}
