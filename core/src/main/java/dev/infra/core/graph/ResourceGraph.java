package dev.infra.core.graph;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.model.ResourceSpec;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The resources of a topology and their dependencies, built in ordered steps: add resources, add
 * reference and explicit edges, then check for cycles (reported as a path) and dangling references.
 */
public final class ResourceGraph {

    private final Map<String, ResourceSpec> specs;
    private final Graph<String> graph;

    private ResourceGraph(Map<String, ResourceSpec> specs, Graph<String> graph) {
        this.specs = specs;
        this.graph = graph;
    }

    public static ResourceGraph build(Collection<ResourceSpec> resources) {
        Map<String, ResourceSpec> specs = new LinkedHashMap<>();
        Graph<String> g = Graph.create();
        resources.forEach(r -> {
            specs.put(r.address(), r);
            g.addNode(r.address());
        });
        for (ResourceSpec r : resources) {
            for (String dep : r.dependencies()) {
                if (!specs.containsKey(dep)) {
                    throw InvalidInputException.of(Diagnostic.error(r.origin(), r.address(),
                            "depends on " + dep + ", which the topology does not define"));
                }
                g.putEdge(dep, r.address());
            }
        }
        g.findCycle().ifPresent(cycle -> {
            ResourceSpec first = specs.get(cycle.get(0));
            throw InvalidInputException.of(Diagnostic.error(first.origin(), "",
                    "dependency cycle: " + String.join(" -> ", cycle)));
        });
        return new ResourceGraph(specs, g);
    }

    public Graph<String> graph() {
        return graph;
    }

    public ResourceSpec spec(String address) {
        return specs.get(address);
    }

    public Map<String, ResourceSpec> specs() {
        return java.util.Collections.unmodifiableMap(specs);
    }

    /** Addresses in dependency order, ties by address. */
    public List<String> order() {
        return graph.topologicalOrder();
    }

    public String toDot() {
        StringBuilder sb = new StringBuilder("digraph infra {\n  rankdir=LR;\n  node [shape=box];\n");
        for (String n : graph.nodes()) {
            sb.append("  \"").append(n).append("\" [label=\"").append(n).append("\\n")
                    .append(specs.get(n).type()).append("\"];\n");
        }
        for (String n : graph.nodes()) {
            for (String s : graph.successors(n)) {
                sb.append("  \"").append(n).append("\" -> \"").append(s).append("\";\n");
            }
        }
        return sb.append("}\n").toString();
    }

    public String toMermaid() {
        Map<String, String> ids = new LinkedHashMap<>();
        graph.nodes().forEach(n -> ids.put(n, "n" + ids.size()));
        StringBuilder sb = new StringBuilder("flowchart LR\n");
        graph.nodes().forEach(n -> sb.append("  ").append(ids.get(n)).append("[\"").append(n).append("<br/>")
                .append(specs.get(n).type()).append("\"]\n"));
        graph.nodes().forEach(n -> graph.successors(n).forEach(s ->
                sb.append("  ").append(ids.get(n)).append(" --> ").append(ids.get(s)).append('\n')));
        return sb.toString();
    }

    /** One line per resource in dependency order, with what it depends on. */
    public String toText() {
        return order().stream().map(n -> {
            String deps = String.join(", ", graph.predecessors(n));
            return n + " (" + specs.get(n).type() + ")" + (deps.isEmpty() ? "" : " <- " + deps);
        }).collect(Collectors.joining("\n", "", "\n"));
    }
}
