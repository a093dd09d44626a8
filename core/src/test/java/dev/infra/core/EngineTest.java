package dev.infra.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infra.core.apply.ApplyResult;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.PlanCodec;
import dev.infra.core.stack.StackEngine;
import dev.infra.core.stack.StackRequest;
import dev.infra.core.state.StateBackend;
import dev.infra.core.state.StateLockedException;
import dev.infra.core.testing.Fixtures;
import dev.infra.core.testing.Harness;
import dev.infra.core.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Saved plans are applied only to the state and topology they were made from. */
class EngineTest {

    @TempDir
    Path dir;

    private Plan saveAndRead(Plan plan) {
        Path file = dir.resolve("plan-" + System.nanoTime() + ".json");
        PlanCodec.write(List.of(plan), file);
        return PlanCodec.readAll(file).get(0);
    }

    @Test
    void planRefusesAZoneTheRegionLacks() {
        Harness h = new Harness(dir.resolve("state"));
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> h.plan(Fixtures.load("zone-missing")));
        assertThat(e).isNotNull();
        assertThat(e.diagnostics()).singleElement().satisfies(d -> assertThat(d.render())
                .endsWith("network.zones: us-east-1g is not available in us-east-1 (it has 6 zones: a, b, c, d, e, f)"));
    }

    @Test
    void savedPlanAppliesWhenNothingChanged() {
        Harness h = new Harness(dir.resolve("state"));
        h.applyOk("network");
        Topology retagged = Fixtures.load("network-retagged");
        Plan plan = saveAndRead(h.plan(retagged));

        ApplyResult result = h.applySaved(plan, retagged).result();

        assertThat(result.ok()).isTrue();
        assertThat(result.updated()).isEqualTo(24);
        assertThat(h.plan("network-retagged").hasChanges()).isFalse();
    }

    @Test
    void firstEverSavedPlanAppliesToAnEmptyState() {
        Harness h = new Harness(dir.resolve("state"));
        Topology network = Fixtures.load("network");
        Plan plan = saveAndRead(h.plan(network));

        assertThat(h.applySaved(plan, network).result().created()).isEqualTo(24);
    }

    /**
     * A saved plan of a stack never applied is applied by another run (another engine): the state takes the plan's
     * lineage, which the derived names the plan holds come from; within one run, plan and apply agree on it too.
     */
    @Test
    void aNewStacksStateKeepsTheLineageItsPlanNamedAfter() {
        Topology network = Fixtures.load("network");
        Plan plan = saveAndRead(new Harness(dir.resolve("state")).plan(network));
        Harness other = new Harness(dir.resolve("state"));
        assertThat(other.applySaved(plan, network).result().ok()).isTrue();
        assertThat(other.state().lineage()).isEqualTo(plan.lineage());
        assertThat(other.state().nameSuffix()).isEqualTo(plan.lineage().replace("-", "").substring(0, 6));

        Harness once = new Harness(dir.resolve("once"));
        StackEngine.Outcome outcome = once.apply(network, false);
        assertThat(once.state().lineage()).isEqualTo(outcome.plan().only().lineage());
    }

    @Test
    void stalePlanIsRefusedWhenTheStateChanged() {
        Harness h = new Harness(dir.resolve("state"));
        h.applyOk("network");
        Topology retagged = Fixtures.load("network-retagged");
        Plan plan = saveAndRead(h.plan(retagged));
        long serial = h.state().serial();
        h.applyOk("network-retagged"); // someone else applied in between

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> h.applySaved(plan, retagged).result());

        assertThat(e).isNotNull();
        assertThat(e.getMessage()).startsWith("plan.json: error: is stale: the state changed since it was made (serial "
                + serial + " → " + h.state().serial() + ")");
    }

    @Test
    void planIsRefusedWhenTheTopologyChanged() {
        Harness h = new Harness(dir.resolve("state"));
        h.applyOk("network");
        Plan plan = saveAndRead(h.plan("network-retagged"));
        Topology edited = Fixtures.load("network-dns-hostnames-off");

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> h.applySaved(plan, edited).result());

        assertThat(e.getMessage()).isEqualTo("plan.json: error: is stale: " + edited.file()
                + " changed since it was made; make a new plan");
        assertThat(h.cloud.log()).noneMatch(l -> l.startsWith("update "));
    }

    @Test
    void planOfAnotherStateLineageIsRefused() {
        Harness first = new Harness(dir.resolve("a"));
        first.applyOk("network");
        Plan plan = saveAndRead(first.plan("network-retagged"));
        Harness second = new Harness(dir.resolve("b"));
        second.applyOk("network");

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> second.applySaved(plan, Fixtures.load("network-retagged")).result());

        assertThat(e.getMessage()).contains("different lineage");
    }

    @Test
    void planForAnotherRegionIsRefused() {
        Harness h = new Harness(dir.resolve("state"));
        Topology network = Fixtures.load("network");
        Plan plan = h.plan(network);

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> h.engine.run(new StackRequest.ApplySaved(network, List.of(plan), new StackRequest.OneRegion("eu-west-1"),
                        "plan.json"), h.options()).result());

        assertThat(e.getMessage()).contains("was made for stack shop in us-east-1, not shop in eu-west-1");
    }

    @Test
    void applyRefusesWhileTheStackIsLocked() {
        Harness h = new Harness(dir.resolve("state"));
        try (StateBackend.Lock held = h.backend.lock("destroy")) {
            StateLockedException e = catchThrowableOfType(StateLockedException.class, () -> h.apply("network"));
            assertThat(e.holder().operation()).isEqualTo("destroy");
        }
        assertThat(h.cloud.size()).isZero();
        h.applyOk("network");
    }

    @Test
    void declinedPlanIsNotApplied() {
        Harness h = new Harness(dir.resolve("state"));

        StackEngine.Outcome o = h.engine.run(new StackRequest.Apply(Fixtures.load("network"), Harness.WHOLE), p -> false,
                h.options());

        assertThat(o.applied()).isFalse();
        assertThat(o.plan().hasChanges()).isTrue();
        assertThat(h.cloud.size()).isZero();
    }
}
