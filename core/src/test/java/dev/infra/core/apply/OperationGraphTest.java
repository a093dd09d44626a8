package dev.infra.core.apply;

import static dev.infra.core.apply.OperationGraph.Rule.AFTER_DEPENDENCIES;
import static dev.infra.core.apply.OperationGraph.Rule.AFTER_DEPENDENTS_DELETED;
import static dev.infra.core.apply.OperationGraph.Rule.AFTER_RELEASED;
import static dev.infra.core.apply.OperationGraph.Rule.CREATE_BEFORE_DESTROY;
import static dev.infra.core.apply.OperationGraph.Rule.OPERATIONS;
import static dev.infra.core.apply.OperationGraph.Rule.REPLACE_DELETES_FIRST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.apply.OperationGraph.Rule;
import dev.infra.core.plan.Action;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.ResourceChange;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The order of operations the applier derives from a plan: each rule on its own, then all of them together. */
class OperationGraphTest {

    private static ResourceChange change(String address, Action action, List<String> deps, List<String> priorDeps) {
        return change(address, "aws_x", action, deps, priorDeps);
    }

    private static ResourceChange change(String address, String type, Action action, List<String> deps,
                                         List<String> priorDeps) {
        return new ResourceChange(address, type, action, action == Action.CREATE ? null : "id-" + address,
                Map.of(), Map.of(), List.of(), deps, priorDeps, "test", null, null);
    }

    private static Plan plan(ResourceChange... changes) {
        return new Plan(Plan.FORMAT_VERSION, "shop", "us-east-1", false, "d", "l", 1, List.of(changes), List.of());
    }

    /** Operations under every rule, where type {@code aws_first} replaces create-before-destroy. */
    private static OperationGraph operations(ResourceChange... changes) {
        return OperationGraph.of(plan(changes), "aws_first"::equals);
    }

    /** The operations and {@code rule} alone. */
    private static OperationGraph only(Rule rule, ResourceChange... changes) {
        return OperationGraph.of(plan(changes), "aws_first"::equals, List.of(OPERATIONS, rule));
    }

    /** Every edge as {@code from -> to}, in the graph's order. */
    private static List<String> edges(OperationGraph g) {
        List<String> edges = new ArrayList<>();
        for (OperationKey from : g.graph().nodes()) {
            g.graph().successors(from).forEach(to -> edges.add(from + " -> " + to));
        }
        return edges;
    }

    private static List<String> order(OperationGraph g) {
        return g.order().stream().map(OperationKey::toString).toList();
    }

    @Nested
    class Operations {
        @Test
        void oneOperationPerChangeAndAReplaceIsADeleteAndACreate() {
            OperationGraph g = OperationGraph.of(plan(
                    change("a", Action.CREATE, List.of(), List.of()),
                    change("b", Action.UPDATE, List.of(), List.of()),
                    change("c", Action.DELETE, List.of(), List.of()),
                    change("d", Action.REPLACE, List.of(), List.of()),
                    change("e", Action.NO_OP, List.of(), List.of())), t -> false, List.of(OPERATIONS));

            assertThat(order(g)).containsExactly("a#create", "b#update", "c#delete", "d#create", "d#delete");
            assertThat(edges(g)).isEmpty();
            assertThat(g.announced()).extracting(Operation::operation)
                    .containsExactly("creating", "updating", "deleting", "re-creating", "deleting (replace)");
        }
    }

    @Nested
    class AfterDependencies {
        @Test
        void createsAndUpdatesFollowTheCreatesAndUpdatesOfWhatTheyNeed() {
            OperationGraph g = only(AFTER_DEPENDENCIES,
                    change("vpc", Action.CREATE, List.of(), List.of()),
                    change("subnet", Action.CREATE, List.of("vpc"), List.of()),
                    change("rt", Action.UPDATE, List.of("vpc", "subnet", "kept"), List.of("vpc")),
                    change("kept", Action.NO_OP, List.of(), List.of()),
                    change("old", Action.DELETE, List.of(), List.of("vpc")));

            assertThat(edges(g)).containsExactly("subnet#create -> rt#update", "vpc#create -> rt#update",
                    "vpc#create -> subnet#create");
        }

        @Test
        void aDependencyReplacedIsFollowedByItsCreate() {
            OperationGraph g = only(AFTER_DEPENDENCIES,
                    change("subnet", Action.REPLACE, List.of(), List.of()),
                    change("nat", Action.UPDATE, List.of("subnet"), List.of("subnet")));

            assertThat(edges(g)).containsExactly("subnet#create -> nat#update");
        }
    }

    @Nested
    class AfterDependentsDeleted {
        @Test
        void aDeleteFollowsTheDeletesOfWhatDependedOnIt() {
            OperationGraph g = only(AFTER_DEPENDENTS_DELETED,
                    change("vpc", Action.DELETE, List.of(), List.of()),
                    change("subnet", Action.DELETE, List.of(), List.of("vpc")),
                    change("nat", Action.REPLACE, List.of("subnet-2"), List.of("subnet")),
                    change("rt", Action.UPDATE, List.of(), List.of("subnet")));

            assertThat(edges(g)).containsExactly("nat#delete -> subnet#delete", "subnet#delete -> vpc#delete");
        }
    }

    @Nested
    class AfterReleased {
        @Test
        void aDeleteFollowsTheUpdatesThatStopUsingItNotThoseThatKeepIt() {
            // one NAT gateway per zone -> single: route table b now routes to nat a, nat b goes away.
            OperationGraph g = only(AFTER_RELEASED,
                    change("nat-a", Action.NO_OP, List.of(), List.of()),
                    change("rt-b", Action.UPDATE, List.of("nat-a"), List.of("nat-b")),
                    change("rt-c", Action.UPDATE, List.of("nat-b"), List.of("nat-b")),
                    change("nat-b", Action.REPLACE, List.of(), List.of()));

            assertThat(edges(g)).containsExactly("rt-b#update -> nat-b#delete");
        }
    }

    @Nested
    class ReplaceDeletesFirst {
        @Test
        void aReplaceDeletesThenCreatesUnlessCreatedFirst() {
            OperationGraph g = only(REPLACE_DELETES_FIRST,
                    change("subnet", Action.REPLACE, List.of(), List.of()),
                    change("tg", "aws_first", Action.REPLACE, List.of(), List.of()),
                    change("gone", Action.DELETE, List.of(), List.of()));

            assertThat(edges(g)).containsExactly("subnet#delete -> subnet#create");
        }
    }

    @Nested
    class CreateBeforeDestroy {
        @Test
        void createsFirstAndDeletesAfterTheDependentsUpdatesWhichNowUseTheReplacement() {
            OperationGraph g = only(CREATE_BEFORE_DESTROY,
                    change("tg", "aws_first", Action.REPLACE, List.of("vpc"), List.of("vpc")),
                    change("vpc", Action.NO_OP, List.of(), List.of()),
                    change("listener", Action.UPDATE, List.of("tg"), List.of("tg")),
                    change("other", Action.REPLACE, List.of(), List.of()));

            assertThat(edges(g)).containsExactly("listener#update -> tg#delete", "tg#create -> tg#delete");
        }

        @Test
        void deletesFirstWhenWhatItNeedsIsReplacedToo() {
            OperationGraph g = only(CREATE_BEFORE_DESTROY,
                    change("vpc", Action.REPLACE, List.of(), List.of()),
                    change("tg", "aws_first", Action.REPLACE, List.of("vpc"), List.of("vpc")));

            assertThat(edges(g)).isEmpty();
            assertThat(edges(only(REPLACE_DELETES_FIRST,
                    change("vpc", Action.REPLACE, List.of(), List.of()),
                    change("tg", "aws_first", Action.REPLACE, List.of("vpc"), List.of("vpc")))))
                    .containsExactly("tg#delete -> tg#create", "vpc#delete -> vpc#create");
        }
    }

    @Nested
    class AllRules {
        @Test
        void createsFollowTheCreatesAndUpdatesTheyDependOn() {
            OperationGraph g = operations(
                    change("vpc", Action.CREATE, List.of(), List.of()),
                    change("subnet", Action.CREATE, List.of("vpc"), List.of()),
                    change("rt", Action.UPDATE, List.of("vpc", "subnet"), List.of("vpc")),
                    change("nat", Action.CREATE, List.of("subnet", "rt"), List.of()));

            assertThat(order(g)).containsExactly("vpc#create", "subnet#create", "rt#update", "nat#create");
            assertThat(g.graph().hasEdge(OperationKey.update("rt"), OperationKey.create("nat"))).isTrue();
        }

        @Test
        void anUpdateThatStopsUsingAResourceGoesBeforeItsDelete() {
            OperationGraph g = operations(
                    change("nat-a", Action.NO_OP, List.of(), List.of()),
                    change("rt-b", Action.UPDATE, List.of("nat-a"), List.of("nat-b")),
                    change("nat-b", Action.DELETE, List.of(), List.of("subnet-b")),
                    change("subnet-b", Action.DELETE, List.of(), List.of()));

            assertThat(order(g)).containsExactly("rt-b#update", "nat-b#delete", "subnet-b#delete");
        }

        @Test
        void replaceDeletesThenCreatesAndUpdatesThatKeepUsingItFollowTheCreate() {
            OperationGraph g = operations(
                    change("subnet", Action.REPLACE, List.of(), List.of()),
                    change("nat", Action.REPLACE, List.of("subnet"), List.of("subnet")),
                    change("rt", Action.UPDATE, List.of("nat", "subnet"), List.of("nat", "subnet")));

            assertThat(order(g)).containsExactly(
                    "nat#delete", "subnet#delete", "subnet#create", "nat#create", "rt#update");
            assertThat(g.graph().hasEdge(OperationKey.update("rt"), OperationKey.delete("nat"))).isFalse();
        }

        @Test
        void createBeforeDestroyCreatesFirstAndDeletesOnceDependentsUseTheReplacement() {
            // A target group behind a listener gets a new port: the listener moves to the new group, then the old goes.
            OperationGraph g = operations(
                    change("tg", "aws_first", Action.REPLACE, List.of("vpc"), List.of("vpc")),
                    change("vpc", Action.NO_OP, List.of(), List.of()),
                    change("listener", Action.UPDATE, List.of("tg"), List.of("tg")),
                    change("attachment", Action.REPLACE, List.of("tg"), List.of("tg")));

            assertThat(edges(g)).contains("tg#create -> tg#delete", "listener#update -> tg#delete",
                    "attachment#delete -> tg#delete");
            List<String> order = order(g);
            assertThat(order.indexOf("tg#create")).isLessThan(order.indexOf("listener#update"));
            assertThat(order.indexOf("listener#update")).isLessThan(order.indexOf("tg#delete"));
            assertThat(order.indexOf("tg#create")).isLessThan(order.indexOf("attachment#create"));
        }

        @Test
        void createBeforeDestroyFallsBackToDeleteFirstWhenWhatItNeedsIsReplacedToo() {
            OperationGraph g = operations(
                    change("vpc", Action.REPLACE, List.of(), List.of()),
                    change("tg", "aws_first", Action.REPLACE, List.of("vpc"), List.of("vpc")));

            assertThat(order(g)).containsExactly("tg#delete", "vpc#delete", "vpc#create", "tg#create");
        }

        @Test
        void aCycleFailsTheBuildAsAPath() {
            assertThatThrownBy(() -> operations(
                    change("a", Action.CREATE, List.of("b"), List.of()),
                    change("b", Action.CREATE, List.of("a"), List.of())))
                    .hasMessage("operation cycle: a#create -> b#create -> a#create");
        }

        @Test
        void noOpsHaveNoOperations() {
            assertThat(operations(change("vpc", Action.NO_OP, List.of(), List.of())).order()).isEmpty();
        }

        @Test
        void nodesSortAsTheirTextsDo() {
            // The space of a duplicate's address sorts before '#': as when the nodes were the strings themselves.
            List<OperationKey> keys = Stream.of(OperationKey.delete("vpc"), OperationKey.delete("vpc (duplicate v-2)"),
                    OperationKey.update("vpc-b"), OperationKey.create("vpc")).sorted().toList();
            assertThat(keys.stream().map(OperationKey::toString).toList())
                    .isEqualTo(keys.stream().map(OperationKey::toString).sorted().toList())
                    .containsExactly("vpc (duplicate v-2)#delete", "vpc#create", "vpc#delete", "vpc-b#update");
            Random random = new Random(1);
            for (int i = 0; i < 10_000; i++) {
                OperationKey a = randomKey(random);
                OperationKey b = randomKey(random);
                assertThat(Integer.signum(a.compareTo(b))).as("%s vs %s", a, b)
                        .isEqualTo(Integer.signum(a.toString().compareTo(b.toString())));
            }
        }

        private static OperationKey randomKey(Random random) {
            StringBuilder address = new StringBuilder();
            for (int n = random.nextInt(5); n >= 0; n--) {
                address.append("ab-/ .#".charAt(random.nextInt(7)));
            }
            return new OperationKey(address.toString(), TypicalDurations.Kind.values()[random.nextInt(3)]);
        }
    }
}
