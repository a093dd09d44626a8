package dev.infra.providers.catalogue;

import dev.infra.core.topology.Topology;
import dev.infra.core.topology.TopologyLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The seed and small topologies, and variants of the seed written to a temporary file, for the catalogue tests. */
final class Topologies {

    static final Path SEED = Path.of("../samples/seed-architecture.yaml");
    static final String LONG_STACK = "payments-platform-production-eu";
    /** 31 characters each, the most a component name may have. */
    static final Map<String, String> LONG_NAMES = Map.of(
            "apps", "applications-cluster-for-payers",
            "general", "general-purpose-nodes-for-payer",
            "public", "public-entrance-for-the-payment",
            "internal", "internal-entrance-for-the-payer",
            "orders", "orders-of-the-payment-customers",
            "sessions", "sessions-of-the-payment-clients",
            "static", "static-assets-of-the-payment-ui",
            "elk-logs", "archived-logs-of-the-log-search",
            "audit", "audit-trail-of-the-payments-app");

    private Topologies() {}

    static Topology load(Path file) {
        return TopologyLoader.load(file).topology();
    }

    static Topology seed() {
        return load(SEED);
    }

    /** The seed with {@code replacements} made in its text (each {@code from} is a regular expression). */
    static Topology seedWith(Path dir, String name, Map<String, String> replacements) {
        return load(seedFile(dir, name, replacements));
    }

    static Path seedFile(Path dir, String name, Map<String, String> replacements) {
        try {
            String text = Files.readString(SEED);
            for (Map.Entry<String, String> r : replacements.entrySet()) {
                String before = text;
                text = text.replaceAll(r.getKey(), r.getValue());
                if (text.equals(before)) {
                    throw new IllegalArgumentException("no " + r.getKey() + " in the seed");
                }
            }
            Path file = dir.resolve(name + ".yaml");
            Files.writeString(file, text);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The seed with a 31-character stack name and 31-character component names, references following. */
    static Map<String, String> longNames() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("(?m)^stack: shop$", "stack: " + LONG_STACK);
        LONG_NAMES.forEach((from, to) -> {
            r.put("(?m)^(  |    |      )" + from + ":", "$1" + to + ":");
            if (!List.of("general", "orders", "sessions", "static", "public", "internal").contains(from)) {
                r.put("(clusters|buckets)\\." + from + "\\b", "$1." + to);
            }
        });
        r.put("loadBalancers\\.public\\b", "loadBalancers." + LONG_NAMES.get("public"));
        r.put("loadBalancers\\.internal\\b", "loadBalancers." + LONG_NAMES.get("internal"));
        return r;
    }

    /** Small topologies of the core module's fixtures and the samples, each valid. */
    static List<Path> small() {
        return List.of(Path.of("../samples/network.yaml"), fixture("network"), fixture("network-no-nat"),
                fixture("network-single-nat"), fixture("network-two-zones"), fixture("no-network"),
                fixture("backend-s3"));
    }

    private static Path fixture(String name) {
        return Path.of("../core/src/test/resources/topologies/" + name + "/infra.yaml");
    }
}
