package dev.infra.core.apply;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.graph.Graph;
import dev.infra.core.plan.Action;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.ResourceChange;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The order of operations the applier derives from a plan. */
class OperationGraphTest {

    private static ResourceChange change(String address, Action action, List<String> deps, List<String> priorDeps) {
        return change(address, "aws_x", action, deps, priorDeps);
    }

    private static ResourceChange change(String address, String type, Action action, List<String> deps,
                                         List<String> priorDeps) {
        return new ResourceChange(address, type, action, action == Action.CREATE ? null : "id-" + address,
                Map.of(), Map.of(), List.of(), deps, priorDeps, "test", null, null);
    }

    /** Operations where type {@code aws_first} replaces create-before-destroy. */
    private static Graph<String> operations(ResourceChange... changes) {
        Plan plan = new Plan(Plan.FORMAT_VERSION, "shop", "us-east-1", false, "d", "l", 1, List.of(changes), List.of());
        return Applier.operations(plan, new HashMap<>(), "aws_first"::equals);
    }

    @Test
    void createsFollowTheCreatesAndUpdatesTheyDependOn() {
        Graph<String> g = operations(
                change("vpc", Action.CREATE, List.of(), List.of()),
                change("subnet", Action.CREATE, List.of("vpc"), List.of()),
                change("rt", Action.UPDATE, List.of("vpc", "subnet"), List.of("vpc")),
                change("nat", Action.CREATE, List.of("subnet", "rt"), List.of()));

        assertThat(g.topologicalOrder()).containsExactly("vpc#create", "subnet#create", "rt#update", "nat#create");
        assertThat(g.hasEdge("rt#update", "nat#create")).isTrue();
    }

    @Test
    void anUpdateThatStopsUsingAResourceGoesBeforeItsDelete() {
        // one NAT gateway per zone -> single: route table b now routes to nat a, nat b goes away.
        Graph<String> g = operations(
                change("nat-a", Action.NO_OP, List.of(), List.of()),
                change("rt-b", Action.UPDATE, List.of("nat-a"), List.of("nat-b")),
                change("nat-b", Action.DELETE, List.of(), List.of("subnet-b")),
                change("subnet-b", Action.DELETE, List.of(), List.of()));

        assertThat(g.hasEdge("rt-b#update", "nat-b#delete")).isTrue();
        assertThat(g.hasEdge("nat-b#delete", "subnet-b#delete")).isTrue();
        assertThat(g.topologicalOrder()).containsExactly("rt-b#update", "nat-b#delete", "subnet-b#delete");
    }

    @Test
    void replaceDeletesThenCreatesAndUpdatesThatKeepUsingItFollowTheCreate() {
        Graph<String> g = operations(
                change("subnet", Action.REPLACE, List.of(), List.of()),
                change("nat", Action.REPLACE, List.of("subnet"), List.of("subnet")),
                change("rt", Action.UPDATE, List.of("nat", "subnet"), List.of("nat", "subnet")));

        assertThat(g.findCycle()).isEmpty();
        assertThat(g.topologicalOrder()).containsExactly(
                "nat#delete", "subnet#delete", "subnet#create", "nat#create", "rt#update");
        assertThat(g.hasEdge("rt#update", "nat#delete")).isFalse();
    }

    @Test
    void createBeforeDestroyCreatesFirstAndDeletesOnceDependentsUseTheReplacement() {
        // A target group behind a listener gets a new port: the listener moves to the new group, then the old goes.
        Graph<String> g = operations(
                change("tg", "aws_first", Action.REPLACE, List.of("vpc"), List.of("vpc")),
                change("vpc", Action.NO_OP, List.of(), List.of()),
                change("listener", Action.UPDATE, List.of("tg"), List.of("tg")),
                change("attachment", Action.REPLACE, List.of("tg"), List.of("tg")));

        assertThat(g.findCycle()).isEmpty();
        assertThat(g.hasEdge("tg#create", "tg#delete")).isTrue();
        assertThat(g.hasEdge("listener#update", "tg#delete")).isTrue();
        assertThat(g.hasEdge("attachment#delete", "tg#delete")).isTrue();
        List<String> order = g.topologicalOrder();
        assertThat(order.indexOf("tg#create")).isLessThan(order.indexOf("listener#update"));
        assertThat(order.indexOf("listener#update")).isLessThan(order.indexOf("tg#delete"));
        assertThat(order.indexOf("tg#create")).isLessThan(order.indexOf("attachment#create"));
    }

    @Test
    void createBeforeDestroyFallsBackToDeleteFirstWhenWhatItNeedsIsReplacedToo() {
        Graph<String> g = operations(
                change("vpc", Action.REPLACE, List.of(), List.of()),
                change("tg", "aws_first", Action.REPLACE, List.of("vpc"), List.of("vpc")));

        assertThat(g.findCycle()).isEmpty();
        assertThat(g.topologicalOrder()).containsExactly("tg#delete", "vpc#delete", "vpc#create", "tg#create");
    }

    @Test
    void noOpsHaveNoOperations() {
        assertThat(operations(change("vpc", Action.NO_OP, List.of(), List.of())).nodes()).isEmpty();
    }
}
