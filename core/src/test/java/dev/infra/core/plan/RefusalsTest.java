package dev.infra.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.state.State;
import dev.infra.core.testing.Fixtures;
import dev.infra.core.testing.Harness;
import dev.infra.core.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Providers' refusals (what AWS would refuse of a change, given what the resource is now) fail the plan before
 * anything changes, all of them at once, each at its resource's place in the topology.
 */
class RefusalsTest {

    @TempDir
    Path dir;

    /** Refuses a change of a subnet's tags, naming the value it has and the one asked for. */
    private static List<String> retagging(LiveResource current, Map<String, Object> desired) {
        Object now = ((Map<?, ?>) current.attributes().get("tags")).get("environment");
        Object wanted = ((Map<?, ?>) desired.get("tags")).get("environment");
        return Objects.equals(now, wanted) ? List.of() : List.of("environment " + now + " → " + wanted + " is refused");
    }

    @Test
    void everyRefusedUpdateIsReportedAtItsOriginAndNothingChanges() {
        Harness h = new Harness(dir);
        h.applyOk("network");
        State before = h.state();
        h.cloud.clearLog();
        h.cloud.refuse("aws_subnet", RefusalsTest::retagging);
        Topology retagged = Fixtures.load("network-retagged");

        InvalidInputException e = catchThrowableOfType(() -> h.apply(retagged, false), InvalidInputException.class);

        List<String> subnets = before.resources().values().stream().filter(r -> r.type().equals("aws_subnet"))
                .map(r -> r.address()).sorted().toList();
        assertThat(subnets).hasSize(6);
        assertThat(e.diagnostics()).hasSize(subnets.size()).allSatisfy(d -> {
            assertThat(d.isError()).isTrue();
            assertThat(d.message()).isEqualTo("environment production → staging is refused");
            assertThat(d.location().file()).endsWith("network-retagged/infra.yaml");
            assertThat(d.location().line()).isPositive();
        });
        assertThat(e.diagnostics()).extracting(Diagnostic::path).containsExactlyInAnyOrderElementsOf(subnets);
        assertThat(h.cloud.log()).isEmpty();
        assertThat(h.state().serial()).isEqualTo(before.serial());
    }

    @Test
    void aProviderIsAskedOnlyAboutUpdatesAndReplacements() {
        Harness h = new Harness(dir);
        h.cloud.refuse("aws_subnet", (current, desired) -> List.of("never"));
        // Creates are not refusals' business: the first apply goes through.
        h.applyOk("network");
        // Nor are resources left as they are.
        assertThat(Harness.changed(h.plan("network"))).isEmpty();
    }

    @Test
    void aMissingProgramFailsThePlanBeforeAnyReadOnceForItsType() {
        Harness h = new Harness(dir);
        h.applyOk("network");
        State before = h.state();
        h.cloud.clearLog();
        Map<String, Integer> reads = h.cloud.reads();
        h.cloud.lack("aws_subnet", "Tool is not on PATH: install it");

        InvalidInputException e = catchThrowableOfType(() -> h.apply(Fixtures.load("network"), false),
                InvalidInputException.class);

        assertThat(e.diagnostics()).singleElement().satisfies(d -> {
            assertThat(d.message()).isEqualTo("Tool is not on PATH: install it");
            assertThat(d.path()).startsWith("network/subnet.");
            assertThat(d.location().line()).isPositive();
        });
        assertThat(h.cloud.reads()).isEqualTo(reads);
        assertThat(h.cloud.log()).isEmpty();
        assertThat(h.state().serial()).isEqualTo(before.serial());
        // A destroy needs it too while the state holds such resources.
        assertThat(catchThrowableOfType(() -> h.destroy("network"), InvalidInputException.class).diagnostics())
                .singleElement().satisfies(d -> assertThat(d.message()).isEqualTo("Tool is not on PATH: install it"));
    }
}
