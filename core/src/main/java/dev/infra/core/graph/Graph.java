package dev.infra.core.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A directed graph in Guava's vocabulary: an edge {@code u -> v} means v comes after u (v depends on
 * u). Orders are deterministic: ties broken by the nodes' natural order.
 */
public final class Graph<N extends Comparable<N>> {

    private final Map<N, Set<N>> successors = new TreeMap<>();
    private final Map<N, Set<N>> predecessors = new TreeMap<>();

    public static <N extends Comparable<N>> Graph<N> create() {
        return new Graph<>();
    }

    public void addNode(N node) {
        successors.computeIfAbsent(node, k -> new TreeSet<>());
        predecessors.computeIfAbsent(node, k -> new TreeSet<>());
    }

    /** Adds {@code from -> to}: {@code to} comes after {@code from}. */
    public void putEdge(N from, N to) {
        addNode(from);
        addNode(to);
        successors.get(from).add(to);
        predecessors.get(to).add(from);
    }

    public Set<N> nodes() {
        return Collections.unmodifiableSet(successors.keySet());
    }

    public Set<N> successors(N node) {
        return Collections.unmodifiableSet(successors.getOrDefault(node, Set.of()));
    }

    public Set<N> predecessors(N node) {
        return Collections.unmodifiableSet(predecessors.getOrDefault(node, Set.of()));
    }

    public boolean hasEdge(N from, N to) {
        return successors(from).contains(to);
    }

    /** The same nodes with every edge turned around: the order of a destroy. */
    public Graph<N> reversed() {
        Graph<N> r = create();
        successors.forEach((from, tos) -> {
            r.addNode(from);
            tos.forEach(to -> r.putEdge(to, from));
        });
        return r;
    }

    /** A cycle as a path that starts and ends at the same node ({@code a -> b -> a}), if any. */
    public Optional<List<N>> findCycle() {
        Map<N, Integer> color = new HashMap<>(); // absent white, 1 on stack, 2 done
        for (N start : successors.keySet()) {
            if (color.containsKey(start)) {
                continue;
            }
            Deque<N> path = new ArrayDeque<>();
            Optional<List<N>> c = visit(start, color, path);
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    private Optional<List<N>> visit(N node, Map<N, Integer> color, Deque<N> path) {
        color.put(node, 1);
        path.addLast(node);
        for (N next : successors.get(node)) {
            Integer c = color.get(next);
            if (c == null) {
                Optional<List<N>> found = visit(next, color, path);
                if (found.isPresent()) {
                    return found;
                }
            } else if (c == 1) {
                List<N> cycle = new ArrayList<>();
                boolean in = false;
                for (N p : path) {
                    in |= p.equals(next);
                    if (in) {
                        cycle.add(p);
                    }
                }
                cycle.add(next);
                return Optional.of(cycle);
            }
        }
        path.removeLast();
        color.put(node, 2);
        return Optional.empty();
    }

    /** Kahn's algorithm, smallest ready node first. Fails on a cycle; check {@link #findCycle()} first. */
    public List<N> topologicalOrder() {
        Map<N, Integer> indegree = new HashMap<>();
        predecessors.forEach((n, ps) -> indegree.put(n, ps.size()));
        PriorityQueue<N> ready = new PriorityQueue<>();
        indegree.forEach((n, d) -> {
            if (d == 0) {
                ready.add(n);
            }
        });
        List<N> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            N n = ready.poll();
            order.add(n);
            for (N s : successors.get(n)) {
                if (indegree.merge(s, -1, Integer::sum) == 0) {
                    ready.add(s);
                }
            }
        }
        if (order.size() != successors.size()) {
            throw new IllegalStateException("graph has a cycle: " + findCycle().orElseThrow());
        }
        return order;
    }
}
