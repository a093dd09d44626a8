package dev.infra.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.stack.Engine;
import dev.infra.core.stack.StackEngine;
import dev.infra.core.stack.StackRequest;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import dev.infra.core.testing.FakeCloud;
import dev.infra.core.testing.Fixtures;
import dev.infra.core.testing.Harness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Ctrl-C during an apply: nothing new starts, what runs finishes and is recorded, the next apply continues. */
class CancellationTest {

    /** Resources of the network fixture. */
    private static final int ALL = 24;

    @TempDir
    Path dir;

    @Test
    void aCancelledApplyFinishesWhatRunsStartsNothingElseAndTheNextApplyContinues() {
        FakeCloud cloud = new FakeCloud();
        Cancellation cancel = new Cancellation();
        // The first Elastic IP's create is in flight when the cancellation comes; it must still complete.
        cloud.createWaitsFor("network/eip.nat-a", () -> {
            cancel.request();
            return true;
        });
        Harness h = new Harness(dir, cloud);

        StackEngine.Outcome o = h.engine.run(new StackRequest.Apply(Fixtures.load("network"), Harness.WHOLE), p -> true,
                options(h, cancel));

        ApplyResult result = o.result();
        assertThat(result.failures()).isEmpty();
        assertThat(result.ok()).isFalse();
        assertThat(result.notStarted()).isNotEmpty().contains("network/nat-gateway.a");
        assertThat(result.finished() + result.notStarted().size()).isEqualTo(ALL);
        assertThat(result.summary()).startsWith("Apply interrupted! Resources: " + result.created() + " added")
                .endsWith(result.notStarted().size() + " not started.");
        State state = h.state();
        assertThat(state.resources().get("network/eip.nat-a").id()).as("in flight, finished and recorded").isNotNull();
        assertThat(state.resources().values()).as("nothing left half-recorded")
                .allMatch(r -> r.status() == ResourceState.Status.CREATED);
        assertThat(state.resources()).hasSize(result.finished());
        assertThat(cloud.size()).as("everything made is in the state").isEqualTo(result.finished());

        ApplyResult rest = h.applyOk("network");

        assertThat(rest.created()).isEqualTo(result.notStarted().size());
        assertThat(cloud.size()).isEqualTo(ALL);
        assertThat(cloud.all().values()).extracting(FakeCloud.Stored::address).doesNotHaveDuplicates();
    }

    @Test
    void cancelledBeforeTheWalkNothingStartsAndNothingIsAsked() {
        Cancellation cancel = new Cancellation();
        cancel.request();
        Harness h = new Harness(dir);
        AtomicBoolean asked = new AtomicBoolean();

        StackEngine.Outcome o = h.engine.run(new StackRequest.Apply(Fixtures.load("network"), Harness.WHOLE),
                p -> asked.getAndSet(true), options(h, cancel));

        assertThat(asked).isFalse();
        assertThat(o.applied()).isFalse();
        assertThat(h.cloud.size()).isZero();
    }

    private static Engine.ApplyOptions options(Harness h, Cancellation cancel) {
        Engine.ApplyOptions base = h.options();
        return new Engine.ApplyOptions(base.parallelism(), Duration.ofMinutes(5), base.listener(), cancel, false);
    }
}
