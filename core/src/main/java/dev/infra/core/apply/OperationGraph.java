package dev.infra.core.apply;

import dev.infra.core.apply.TypicalDurations.Kind;
import dev.infra.core.graph.Graph;
import dev.infra.core.plan.Action;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.ResourceChange;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The operations of a plan and the order between them, built from the plan's changes only (never from the topology,
 * so nothing unplanned is touched) by {@link Rule rules} in the manner of OpenTofu's graph transformers: the first
 * makes the operations, each later one adds the edges of one concern. Rules only add edges, so each is tested on its
 * own and their order is the order they read in. An edge {@code u -> v}: v runs after u. A cycle fails the build,
 * reported as a path.
 */
final class OperationGraph {

    private final Graph<OperationKey> graph;
    private final Map<OperationKey, ResourceChange> changes;
    private final List<OperationKey> order;

    private OperationGraph(Graph<OperationKey> graph, Map<OperationKey, ResourceChange> changes) {
        this.graph = graph;
        this.changes = changes;
        this.order = List.copyOf(graph.topologicalOrder());
    }

    /** The plan's operations under every rule; {@code createsFirst} says which types replace create-before-destroy. */
    static OperationGraph of(Plan plan, Predicate<String> createsFirst) {
        return of(plan, createsFirst, List.of(Rule.values()));
    }

    /** The plan's operations under {@code rules} only (a rule's test), applied in the order given. */
    static OperationGraph of(Plan plan, Predicate<String> createsFirst, List<Rule> rules) {
        Building b = new Building(plan, createsFirst);
        rules.forEach(r -> r.apply(b));
        b.graph.findCycle().ifPresent(c -> {
            throw new IllegalStateException("operation cycle: "
                    + c.stream().map(OperationKey::toString).collect(Collectors.joining(" -> ")));
        });
        return new OperationGraph(b.graph, b.changes);
    }

    Graph<OperationKey> graph() {
        return graph;
    }

    /** Every operation, each after those it waits for (ties in the nodes' order). */
    List<OperationKey> order() {
        return order;
    }

    ResourceChange change(OperationKey op) {
        return changes.get(op);
    }

    /** How events name the operation: creating, re-creating, updating, deleting, deleting (replace). */
    String verb(OperationKey op) {
        boolean replace = change(op).action() == Action.REPLACE;
        return switch (op.kind()) {
            case CREATE -> replace ? "re-creating" : "creating";
            case UPDATE -> "updating";
            case DELETE -> replace ? "deleting (replace)" : "deleting";
        };
    }

    /** The operations as the walk announces them, in {@link #order()}. */
    List<Operation> announced() {
        return order.stream().map(op -> new Operation(op.toString(), op.address(), change(op).type(), verb(op),
                graph.predecessors(op).stream().map(OperationKey::toString).toList())).toList();
    }

    /** The rules, in the order they apply. */
    enum Rule {
        /** One operation per change: a create, an update or a delete; a replace is a delete and a create. */
        OPERATIONS {
            @Override
            void apply(Building b) {
                for (ResourceChange c : b.plan.changes()) {
                    switch (c.action()) {
                        case CREATE -> b.add(OperationKey.create(c.address()), c);
                        case UPDATE -> b.add(OperationKey.update(c.address()), c);
                        case DELETE -> b.add(OperationKey.delete(c.address()), c);
                        case REPLACE -> {
                            b.add(OperationKey.delete(c.address()), c);
                            b.add(OperationKey.create(c.address()), c);
                        }
                        // A forget calls no provider: the state drops it before the walk (StateWrites.forgotten).
                        case FORGET, NO_OP -> { }
                    }
                }
            }
        },
        /** Creates and updates follow the creates and updates of what they depend on. */
        AFTER_DEPENDENCIES {
            @Override
            void apply(Building b) {
                for (OperationKey op : b.operations(Kind.CREATE, Kind.UPDATE)) {
                    for (String dep : b.changes.get(op).dependencies()) {
                        b.edge(OperationKey.create(dep), op);
                        b.edge(OperationKey.update(dep), op);
                    }
                }
            }
        },
        /** A delete follows the deletes of what depended on it. */
        AFTER_DEPENDENTS_DELETED {
            @Override
            void apply(Building b) {
                for (OperationKey op : b.operations(Kind.DELETE)) {
                    for (ResourceChange other : b.dependents(op.address())) {
                        b.edge(OperationKey.delete(other.address()), op);
                    }
                }
            }
        },
        /**
         * A delete follows the updates that stop using it. An update that keeps using it (now pointing at its
         * replacement) follows the replacement's create instead: before the delete as well would be a cycle.
         */
        AFTER_RELEASED {
            @Override
            void apply(Building b) {
                for (OperationKey op : b.operations(Kind.DELETE)) {
                    for (ResourceChange other : b.dependents(op.address())) {
                        if (!other.dependencies().contains(op.address())) {
                            b.edge(OperationKey.update(other.address()), op);
                        }
                    }
                }
            }
        },
        /** A replace deletes, then creates (AWS names and CIDRs usually cannot exist twice). */
        REPLACE_DELETES_FIRST {
            @Override
            void apply(Building b) {
                for (OperationKey op : b.operations(Kind.DELETE)) {
                    ResourceChange c = b.changes.get(op);
                    if (c.action() == Action.REPLACE && !b.createdFirst(c)) {
                        b.edge(op, OperationKey.create(c.address()));
                    }
                }
            }
        },
        /**
         * A type that replaces create-before-destroy creates first, unless what it needs is replaced too (a
         * replacement needing a replaced VPC could not exist before the old one, which holds the old VPC, is gone).
         * Created first, the replacement is what the dependents' updates point at: the old one goes after them.
         */
        CREATE_BEFORE_DESTROY {
            @Override
            void apply(Building b) {
                for (OperationKey op : b.operations(Kind.DELETE)) {
                    ResourceChange c = b.changes.get(op);
                    if (b.createdFirst(c)) {
                        b.edge(OperationKey.create(c.address()), op);
                        for (ResourceChange other : b.dependents(c.address())) {
                            b.edge(OperationKey.update(other.address()), op);
                        }
                    }
                }
            }
        };

        abstract void apply(Building b);
    }

    /** What the rules work on: the plan, the operations so far, and who depended on each address before. */
    static final class Building {
        private final Plan plan;
        private final Predicate<String> createsFirst;
        private final Graph<OperationKey> graph = Graph.create();
        private final Map<OperationKey, ResourceChange> changes = new HashMap<>();
        private final Map<String, ResourceChange> byAddress = new HashMap<>();
        /**
         * The changes whose prior dependencies name each address: the reverse index that makes the delete rules
         * linear (each delete scanned every change's prior dependencies before).
         */
        private final Map<String, List<ResourceChange>> dependents = new HashMap<>();

        private Building(Plan plan, Predicate<String> createsFirst) {
            this.plan = plan;
            this.createsFirst = createsFirst;
            for (ResourceChange c : plan.changes()) {
                byAddress.put(c.address(), c);
                for (String d : c.priorDependencies()) {
                    dependents.computeIfAbsent(d, k -> new ArrayList<>()).add(c);
                }
            }
        }

        private void add(OperationKey op, ResourceChange c) {
            changes.put(op, c);
            graph.addNode(op);
        }

        private List<OperationKey> operations(Kind first, Kind... rest) {
            Set<Kind> kinds = EnumSet.of(first, rest);
            List<OperationKey> found = new ArrayList<>();
            for (OperationKey op : changes.keySet()) {
                if (kinds.contains(op.kind())) {
                    found.add(op);
                }
            }
            return found;
        }

        private List<ResourceChange> dependents(String address) {
            return dependents.getOrDefault(address, List.of());
        }

        /** {@code from -> to}, when {@code from} is an operation of this plan and not {@code to} itself. */
        private void edge(OperationKey from, OperationKey to) {
            if (changes.containsKey(from) && !from.equals(to)) {
                graph.putEdge(from, to);
            }
        }

        private boolean createdFirst(ResourceChange c) {
            return c.action() == Action.REPLACE && createsFirst.test(c.type())
                    && c.dependencies().stream().noneMatch(d -> byAddress.containsKey(d)
                    && byAddress.get(d).action() == Action.REPLACE);
        }
    }
}
