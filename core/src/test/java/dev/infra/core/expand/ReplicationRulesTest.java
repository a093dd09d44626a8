package dev.infra.core.expand;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.provider.ProviderRegistry;
import dev.infra.core.stack.Engine;
import dev.infra.core.stack.StackEngine;
import dev.infra.core.stack.StackRequest;
import dev.infra.core.state.LocalBackend;
import dev.infra.core.testing.FakeCloud;
import dev.infra.core.topology.Topology;
import dev.infra.core.topology.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What AWS refuses of a stack across regions is refused when the topology is placed across them, at the YAML line
 * that causes it, all at once: a global cache's Global Datastore prerequisites (node family and size, at most two
 * secondaries, supported regions, China with China) and replicas of provisioned tables.
 */
class ReplicationRulesTest {

    private static final Path SEED = Path.of("../samples/seed-architecture.yaml");

    @TempDir
    Path dir;

    /** The seed with {@code from} replaced by {@code to}. */
    private Path seedWith(String from, String to) throws IOException {
        String text = Files.readString(SEED);
        assertThat(text).contains(from);
        Path file = dir.resolve("infra.yaml");
        Files.writeString(file, text.replace(from, to));
        return file;
    }

    private static int lineOf(Path file, String text) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i + 1;
            }
        }
        throw new AssertionError(text + " is not in " + file);
    }

    private static List<Diagnostic> refused(Topology t) {
        return catchThrowableOfType(() -> Expander.expand(t), InvalidInputException.class).diagnostics();
    }

    @Test
    void theSeedReplicates() {
        Topology seed = TopologyLoader.load(SEED).topology();
        assertThat(seed.caches().get("sessions").nodeType()).isEqualTo("cache.r7g.large");
        assertThatCode(() -> Expander.expand(seed.withReplicas(List.of("eu-west-1", "ap-southeast-1"))))
                .doesNotThrowAnyException();
    }

    @Test
    void aGlobalCacheOnSmallNodesIsRefusedAtItsNodeType() throws IOException {
        Path file = seedWith("nodeType: cache.r7g.large", "nodeType: cache.t4g.small");
        Topology t = TopologyLoader.load(file).topology();
        // One region: no Global Datastore, nothing to refuse.
        assertThatCode(() -> Expander.expand(t)).doesNotThrowAnyException();

        assertThat(refused(t.withReplicas(List.of("eu-west-1")))).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo("caches.sessions.nodeType");
            assertThat(d.location().line()).isEqualTo(lineOf(file, "nodeType: cache.t4g.small"));
            assertThat(d.message()).contains("not cache.t4g.small").contains("large and above");
        });
        // The replica's own expansion refuses it as well (a plan of the replica alone).
        assertThat(refused(t.asReplica("eu-west-1", "10.1.0.0/16", List.of("a", "b", "c"), List.of("eu-west-1"))))
                .extracting(Diagnostic::path).containsExactly("caches.sessions.nodeType");
    }

    @Test
    void aGlobalCacheWithoutNodeTypeGetsOneThatWorks() throws IOException {
        Topology t = TopologyLoader.load(seedWith("    nodeType: cache.r7g.large  #", "    #")).topology();
        assertThat(t.caches().get("sessions").nodeType()).isEqualTo("cache.r7g.large");
        assertThatCode(() -> Expander.expand(t.withReplicas(List.of("eu-west-1")))).doesNotThrowAnyException();
    }

    @Test
    void aGlobalDatastoreReachesTwoSupportedRegionsInItsPartition() {
        Topology seed = TopologyLoader.load(SEED).topology();
        assertThat(refused(seed.withReplicas(List.of("eu-west-1", "eu-west-2", "eu-central-1"))))
                .singleElement().satisfies(d -> assertThat(d.message()).contains("at most 2 other regions")
                        .contains("3 replicas (eu-west-1, eu-west-2, eu-central-1)"));
        assertThat(refused(seed.withReplicas(List.of("ap-east-2")))).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("none of ap-east-2"));
        assertThat(refused(seed.withReplicas(List.of("cn-north-1")))).singleElement()
                .satisfies(d -> assertThat(d.message()).contains("China regions replicate only with each other"));
        assertThatCode(() -> Expander.expand(seed.inRegion("cn-north-1").withReplicas(List.of("cn-northwest-1"))))
                .doesNotThrowAnyException();
    }

    @Test
    void aReplicatedProvisionedTableIsRefusedAtItsBilling() throws IOException {
        Path file = seedWith("billing: on-demand", "billing: provisioned\n    capacity: {read: 5, write: 5}");
        Topology t = TopologyLoader.load(file).topology();
        assertThatCode(() -> Expander.expand(t)).doesNotThrowAnyException();
        assertThat(refused(t.withReplicas(List.of("eu-west-1")))).singleElement().satisfies(d -> {
            assertThat(d.path()).isEqualTo("tables.orders.billing");
            assertThat(d.location().line()).isEqualTo(lineOf(file, "billing: provisioned"));
            assertThat(d.message()).contains("Table write capacity should either be Pay-Per-Request or AutoScaled")
                    .contains("use billing: on-demand");
        });
    }

    @Test
    void replicateRefusesEveryProblemBeforeAnythingChanges() throws IOException {
        Path small = seedWith("nodeType: cache.r7g.large", "nodeType: cache.m6g.medium");
        String text = Files.readString(small).replace("billing: on-demand", "billing: provisioned\n    capacity: {read: 5, write: 5}");
        Files.writeString(small, text);
        Topology t = TopologyLoader.load(small).topology();
        FakeCloud cloud = new FakeCloud();
        ProviderRegistry registry = cloud.registry();
        Path states = dir.resolve("state");
        StackEngine engine = StackEngine.create(region -> Engine.create(registry, LocalBackend.of(states, "shop", region),
                () -> List.of(region + "a", region + "b", region + "c")));

        InvalidInputException e = catchThrowableOfType(() -> engine.run(new StackRequest.Replicate(t, "eu-west-1", t.fileRegion()), plan -> true,
                new Engine.ApplyOptions(1, Duration.ofMinutes(1), event -> { })), InvalidInputException.class);

        assertThat(e.diagnostics()).extracting(Diagnostic::path)
                .containsExactlyInAnyOrder("caches.sessions.nodeType", "tables.orders.billing");
        assertThat(cloud.log()).isEmpty();
        for (String region : List.of("us-east-1", "eu-west-1")) {
            assertThat(LocalBackend.of(states, "shop", region).read()).isEmpty();
        }
    }
}
