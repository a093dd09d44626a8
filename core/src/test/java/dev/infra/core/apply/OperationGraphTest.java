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
        return new ResourceChange(address, "aws_x", action, action == Action.CREATE ? null : "id-" + address,
                Map.of(), Map.of(), List.of(), deps, priorDeps, "test");
    }

    private static Graph<String> operations(ResourceChange... changes) {
        Plan plan = new Plan(Plan.FORMAT_VERSION, "shop", "us-east-1", false, "d", "l", 1, List.of(changes), List.of());
        return Applier.operations(plan, new HashMap<>());
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
    void noOpsHaveNoOperations() {
        assertThat(operations(change("vpc", Action.NO_OP, List.of(), List.of())).nodes()).isEmpty();
    }
}
