package dev.infra.core.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class GraphTest {

    /** vpc -> subnet-a, vpc -> subnet-b, vpc -> igw, subnet-a -> nat, igw -> nat. */
    private static Graph<String> network() {
        Graph<String> g = Graph.create();
        g.putEdge("vpc", "subnet-b");
        g.putEdge("vpc", "subnet-a");
        g.putEdge("vpc", "igw");
        g.putEdge("subnet-a", "nat");
        g.putEdge("igw", "nat");
        g.addNode("eip");
        return g;
    }

    @Test
    void topologicalOrderBreaksTiesByName() {
        assertThat(network().topologicalOrder()).containsExactly("eip", "vpc", "igw", "subnet-a", "nat", "subnet-b");
    }

    @Test
    void orderDoesNotDependOnInsertionOrder() {
        Graph<String> g = Graph.create();
        g.addNode("eip");
        g.putEdge("igw", "nat");
        g.putEdge("subnet-a", "nat");
        g.putEdge("vpc", "igw");
        g.putEdge("vpc", "subnet-a");
        g.putEdge("vpc", "subnet-b");
        assertThat(g.topologicalOrder()).isEqualTo(network().topologicalOrder());
    }

    @Test
    void reversedTurnsEveryEdgeAroundAndKeepsLoneNodes() {
        Graph<String> r = network().reversed();

        assertThat(r.nodes()).containsExactlyInAnyOrder("vpc", "subnet-a", "subnet-b", "igw", "nat", "eip");
        assertThat(r.hasEdge("nat", "igw")).isTrue();
        assertThat(r.hasEdge("igw", "nat")).isFalse();
        assertThat(r.successors("vpc")).isEmpty();
        assertThat(r.predecessors("vpc")).containsExactlyInAnyOrder("subnet-a", "subnet-b", "igw");
        List<String> order = r.topologicalOrder();
        assertThat(order).containsExactly("eip", "nat", "igw", "subnet-a", "subnet-b", "vpc");
    }

    @Test
    void noCycleInADag() {
        assertThat(network().findCycle()).isEmpty();
    }

    @Test
    void cycleIsAPathBackToItsStart() {
        Graph<String> g = network();
        g.putEdge("nat", "vpc");

        assertThat(g.findCycle()).hasValueSatisfying(c -> {
            assertThat(c.get(0)).isEqualTo(c.get(c.size() - 1));
            for (int i = 0; i + 1 < c.size(); i++) {
                assertThat(g.hasEdge(c.get(i), c.get(i + 1))).as(c.get(i) + " -> " + c.get(i + 1)).isTrue();
            }
        });
        // Depth-first from the smallest node: igw -> nat -> vpc -> igw.
        assertThat(g.findCycle()).contains(List.of("igw", "nat", "vpc", "igw"));
        assertThatThrownBy(g::topologicalOrder).isInstanceOf(IllegalStateException.class).hasMessageContaining("cycle");
    }

    @Test
    void twoNodeCycleAndSelfLoop() {
        Graph<String> g = Graph.create();
        g.putEdge("a", "b");
        g.putEdge("b", "a");
        assertThat(g.findCycle()).contains(List.of("a", "b", "a"));

        Graph<String> self = Graph.create();
        self.putEdge("a", "a");
        assertThat(self.findCycle()).contains(List.of("a", "a"));
    }

    @Test
    void successorsAndPredecessorsOfUnknownNodesAreEmpty() {
        Graph<String> g = network();
        assertThat(g.successors("nothing")).isEmpty();
        assertThat(g.predecessors("nothing")).isEmpty();
        assertThat(g.predecessors("nat")).containsExactly("igw", "subnet-a");
    }
}
