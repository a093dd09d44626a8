package dev.infra.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.plan.Action;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.ResourceChange;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The walk on its own: any operation graph, any work. */
class WalkTest {

    private static final OperationGraph GRAPH = OperationGraph.of(new Plan(Plan.FORMAT_VERSION, "shop", "us-east-1",
            false, "d", "l", 1, List.of(
                    create("vpc", List.of()),
                    create("subnet", List.of("vpc")),
                    create("nat", List.of("subnet")),
                    create("bucket", List.of())), List.of()), t -> false);

    private static ResourceChange create(String address, List<String> deps) {
        return new ResourceChange(address, "aws_x", Action.CREATE, null, Map.of(), Map.of(), List.of(), deps, List.of(),
                "test", null, null);
    }

    private final List<ApplyEvent> events = new CopyOnWriteArrayList<>();

    private Walk.Outcome walk(Cancellation cancellation, Walk.Work work) {
        return Walk.run(GRAPH, 2, Duration.ofMinutes(5), events::add, cancellation, work);
    }

    @Test
    void aFailureSkipsWhatFollowsItAndTheIndependentBranchGoesOn() {
        List<String> ran = new CopyOnWriteArrayList<>();
        Walk.Outcome o = walk(new Cancellation(), (op, ctx) -> {
            ran.add(op.toString());
            if (op.address().equals("subnet")) {
                throw new IllegalStateException("subnet: refused");
            }
            return "id-" + op.address();
        });

        assertThat(ran).containsExactlyInAnyOrder("vpc#create", "subnet#create", "bucket#create");
        assertThat(o.failures()).containsExactly("subnet: refused");
        assertThat(o.skipped()).containsExactly("nat");
        assertThat(o.notStarted()).isEmpty();
        assertThat(events.get(0)).isInstanceOfSatisfying(ApplyEvent.Began.class, b -> assertThat(b.operations())
                .extracting(Operation::key).containsExactly("bucket#create", "vpc#create", "subnet#create", "nat#create"));
        assertThat(events).contains(new ApplyEvent.Skipped("nat", "creating", "subnet"));
        assertThat(o.timing().criticalPath().steps()).extracting(CriticalPath.Step::address).isNotEmpty();
    }

    @Test
    void onceCancelledNothingStartsAndTheRestIsNotStarted() {
        Cancellation cancellation = new Cancellation();
        List<String> ran = new CopyOnWriteArrayList<>();
        Walk.Outcome o = walk(cancellation, (op, ctx) -> {
            ran.add(op.address());
            cancellation.request();
            return "id";
        });

        assertThat(o.failures()).isEmpty();
        assertThat(ran).isNotEmpty().doesNotContain("subnet", "nat");
        assertThat(o.notStarted()).contains("subnet", "nat").doesNotContainAnyElementsOf(ran);
        assertThat(ran.size() + o.notStarted().size()).isEqualTo(4);
    }

    @Test
    void aWaitGivesItsSlotBack() {
        // One slot: a vpc create that goes first waits for the bucket's, which runs only while that wait sleeps.
        AtomicBoolean bucketDone = new AtomicBoolean();
        Walk.Outcome o = Walk.run(GRAPH, 1, Duration.ofMinutes(5), events::add, new Cancellation(), (op, ctx) -> {
            if (op.address().equals("vpc")) {
                ctx.await("the bucket", Duration.ofSeconds(20), Duration.ofMillis(10),
                        () -> bucketDone.get() ? Optional.of(true) : Optional.empty());
            }
            if (op.address().equals("bucket")) {
                bucketDone.set(true);
            }
            return "id";
        });

        assertThat(o.failures()).isEmpty();
        assertThat(events).filteredOn(e -> e instanceof ApplyEvent.Completed).hasSize(4);
    }
}
