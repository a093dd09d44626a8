package dev.infra.core.topology;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.Diagnostics;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.stack.Engine;
import dev.infra.core.yaml.YNode;
import dev.infra.core.yaml.YamlLoader;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Property: whatever a sample's values are replaced with, validation fails cleanly or the topology expands.
 * Every key path of the sample (mapping entries and list items, at every depth) is set in turn to each
 * {@link #REPLACEMENTS replacement}, and deleted; and every two top-level components are left out together. For each
 * variant:
 * <ul>
 *   <li>loading throws nothing but {@link InvalidInputException};</li>
 *   <li>every diagnostic (errors and warnings) is one line at a real {@code file:line:col} inside the file. A
 *       whole-file location is only right for a file-level refusal (missing, empty, binary, not UTF-8), which a
 *       variant, always a well-formed YAML mapping, cannot trigger; so none is accepted here;</li>
 *   <li>a variant that loads expands ({@link Engine#graph}) without any exception.</li>
 * </ul>
 * Problems are collected over all variants and reported together, grouped by what went wrong.
 */
class MalformedVariantsTest {

    /**
     * What each value is replaced with: nothing, the wrong kinds, numbers around and beyond every range, and strings
     * that pass a pattern but not the checks behind it (a name, a CIDR block too small, a backwards range, dangling
     * references, a name too long for AWS).
     */
    static final List<Object> REPLACEMENTS = List.of(
            NullValue.NULL, List.of(), Map.of(), "not a value", -1L, 0L, 99_999_999_999L, true,
            "a", "10.0.0.1/99", "9-1", "clusters.x", "buckets.x", "loadBalancers.x", "x".repeat(70));

    /** Marks YAML null in a replacement list (List.of refuses a Java null). */
    enum NullValue { NULL }

    private static final YAMLMapper YAML = new YAMLMapper();

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    @ParameterizedTest
    @ValueSource(strings = {"../samples/network.yaml", "../samples/seed-architecture.yaml"})
    void everyVariantFailsCleanlyOrExpands(String sample) throws IOException {
        Object tree = plain(YamlLoader.parse(sample, Files.readAllBytes(Path.of(sample)), new Diagnostics()));
        List<List<Object>> paths = new ArrayList<>();
        collectPaths(tree, new ArrayList<>(), paths);
        assertThat(paths).as("key paths of " + sample).hasSizeGreaterThan(20);

        Map<String, List<String>> problems = new TreeMap<>();
        int variants = 0;
        int accepted = 0;
        for (List<Object> path : paths) {
            for (Object replacement : REPLACEMENTS) {
                accepted += check(variant(tree, path, replacement), render(path) + " = " + describe(replacement), problems);
                variants++;
            }
            accepted += check(variant(tree, path, DELETE), "delete " + render(path), problems);
            variants++;
        }
        // Components depend on each other (athena on the firewall's logs, records on load balancers): any two left out.
        List<String> components = List.copyOf(((Map<String, Object>) tree).keySet());
        for (int i = 0; i < components.size(); i++) {
            for (int j = i + 1; j < components.size(); j++) {
                Object without = variant(variant(tree, List.of(components.get(i)), DELETE), List.of(components.get(j)), DELETE);
                accepted += check(without, "delete " + components.get(i) + " and " + components.get(j), problems);
                variants++;
            }
        }
        // Enough variants load that the expansion side of the property is exercised, not only the errors.
        assertThat(accepted).as("variants of " + sample + " that load").isGreaterThan(variants / 20);

        StringBuilder report = new StringBuilder();
        problems.forEach((problem, where) -> report.append("\n").append(problem).append("\n    in ").append(where.size())
                .append(" variant(s), e.g. ").append(String.join("; ", where.subList(0, Math.min(3, where.size())))));
        assertThat(problems).as(variants + " variants of " + sample + ":" + report).isEmpty();
    }

    /** Loads one variant and records what is wrong with how it was handled, keyed by the kind of problem; 1 if it loads. */
    private int check(Object tree, String variant, Map<String, List<String>> problems) throws IOException {
        Path file = dir.resolve("infra.yaml");
        String text = YAML.writeValueAsString(tree);
        Files.writeString(file, text);
        long lines = text.lines().count();
        Consumer<String> problem = p -> problems.computeIfAbsent(p, k -> new ArrayList<>()).add(variant);
        List<Diagnostic> diagnostics;
        Topology topology = null;
        try {
            TopologyLoader.Loaded loaded = TopologyLoader.load(file);
            diagnostics = loaded.warnings();
            topology = loaded.topology();
        } catch (InvalidInputException e) {
            diagnostics = e.diagnostics();
        } catch (RuntimeException | StackOverflowError e) {
            problem.accept("load throws " + e.getClass().getName() + ": " + e.getMessage() + " at " + origin(e));
            return 0;
        }
        for (Diagnostic d : diagnostics) {
            String line = d.render();
            if (d.location().line() < 1 || d.location().line() > lines || d.location().column() < 1) {
                problem.accept("diagnostic without a real location: " + line.replace(file.toString(), "FILE"));
            }
            if (!d.location().file().equals(file.toString()) || line.contains("\n")) {
                problem.accept("diagnostic not one line in the file: " + line);
            }
        }
        if (topology != null) {
            for (Map.Entry<String, Topology> placed : placements(topology).entrySet()) {
                try {
                    Engine.graph(placed.getValue());
                } catch (RuntimeException | StackOverflowError e) {
                    problem.accept("accepted but expansion " + placed.getKey() + " throws " + e.getClass().getName()
                            + ": " + e.getMessage() + " at " + origin(e));
                }
            }
        }
        return topology == null ? 0 : 1;
    }

    /**
     * Where an accepted topology is expanded: in its region, with its {@code regions:} as replicas, and in each of
     * those as a copy and as a replica (the block and zones a replicate would give it, as Placement chooses them).
     */
    private static Map<String, Topology> placements(Topology t) {
        Map<String, Topology> out = new LinkedHashMap<>();
        out.put("in its region", t);
        List<String> others = List.copyOf(t.regions().keySet());
        if (others.isEmpty()) {
            return out;
        }
        out.put("as the primary of " + others, t.withReplicas(others));
        for (Regions.Settings s : t.regions().values()) {
            out.put("as a copy in " + s.region(), t.inRegion(s.region()));
            String cidr = s.cidr() != null || t.network() == null ? s.cidr()
                    : Cidrs.firstFree(t.network().cidr(), List.of(t.network().cidr())).orElseThrow();
            List<String> zones = s.zones() != null || t.network() == null ? s.zones() : t.network().zones();
            out.put("as a replica in " + s.region(), t.asReplica(s.region(), cidr, zones, others));
        }
        return out;
    }

    private static String origin(Throwable e) {
        for (StackTraceElement s : e.getStackTrace()) {
            if (s.getClassName().startsWith("dev.infra")) {
                return s.getClassName().substring(s.getClassName().lastIndexOf('.') + 1) + "." + s.getMethodName()
                        + ":" + s.getLineNumber();
            }
        }
        return "?";
    }

    private static final Object DELETE = new Object();

    /** A deep copy of {@code tree} with the value at {@code path} replaced (or deleted). */
    @SuppressWarnings("unchecked")
    private static Object variant(Object tree, List<Object> path, Object replacement) {
        Object copy = copy(tree);
        Object parent = copy;
        for (Object step : path.subList(0, path.size() - 1)) {
            parent = step instanceof String k ? ((Map<String, Object>) parent).get(k) : ((List<Object>) parent).get((Integer) step);
        }
        Object last = path.get(path.size() - 1);
        Object value = replacement == NullValue.NULL ? null : replacement;
        if (parent instanceof Map<?, ?> m) {
            Map<String, Object> map = (Map<String, Object>) m;
            if (replacement == DELETE) {
                map.remove((String) last);
            } else {
                map.put((String) last, value);
            }
        } else {
            List<Object> list = (List<Object>) parent;
            if (replacement == DELETE) {
                list.remove((int) (Integer) last);
            } else {
                list.set((Integer) last, value);
            }
        }
        return copy;
    }

    private static void collectPaths(Object node, List<Object> at, List<List<Object>> out) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> descend(v, at, k, out));
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                descend(l.get(i), at, i, out);
            }
        }
    }

    private static void descend(Object child, List<Object> at, Object step, List<List<Object>> out) {
        List<Object> path = new ArrayList<>(at);
        path.add(step);
        out.add(path);
        collectPaths(child, path, out);
    }

    /** The YAML tree as maps, lists and typed scalars, which Jackson writes back with the same types. */
    private static Object plain(YNode node) {
        if (node instanceof YNode.YMap m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.entries().forEach((k, e) -> out.put(k, plain(e.value())));
            return out;
        } else if (node instanceof YNode.YSeq s) {
            return new ArrayList<>(s.items().stream().map(MalformedVariantsTest::plain).toList());
        }
        YNode.YScalar s = (YNode.YScalar) node;
        return switch (s.type()) {
            case STRING -> s.text();
            case INTEGER -> new BigInteger(s.text().replace("_", ""));
            case FLOAT -> Double.valueOf(s.text());
            case BOOLEAN -> Boolean.valueOf(s.text());
            case NULL -> null;
        };
    }

    private static Object copy(Object node) {
        if (node instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, copy(v)));
            return out;
        } else if (node instanceof List<?> l) {
            return new ArrayList<>(l.stream().map(MalformedVariantsTest::copy).toList());
        }
        return node;
    }

    private static String render(List<Object> path) {
        StringBuilder sb = new StringBuilder();
        for (Object step : path) {
            sb.append(step instanceof Integer i ? "[" + i + "]" : (sb.length() == 0 ? "" : ".") + step);
        }
        return sb.toString();
    }

    private static String describe(Object replacement) {
        return replacement == NullValue.NULL ? "null" : replacement instanceof String s ? "'" + s + "'" : String.valueOf(replacement);
    }
}
