package dev.infra.core.testing;

import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.expand.Expander;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.Topology;
import dev.infra.core.topology.TopologyLoader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Scenario fixtures: {@code src/test/resources/topologies/<scenario>/infra.yaml}. */
public final class Fixtures {

    private Fixtures() {}

    public static Path topologyFile(String scenario) {
        URL url = Fixtures.class.getResource("/topologies/" + scenario + "/infra.yaml");
        if (url == null) {
            throw new IllegalArgumentException("no fixture topologies/" + scenario + "/infra.yaml");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Topology load(String scenario) {
        return TopologyLoader.load(topologyFile(scenario)).topology();
    }

    /** A small stack to add components to: stack shop in us-east-1, a network in zones a and b, the stack key. */
    public static final String SMALL = """
            stack: shop
            region: us-east-1
            network: {cidr: 10.0.0.0/16, zones: 2}
            encryption: {}
            """;

    /** {@link #SMALL} with {@code components}, loaded. */
    public static Topology small(Path dir, String components) {
        return fromYaml(dir, SMALL + components);
    }

    /** The specs of {@code component} and those under it. */
    public static Map<String, ResourceSpec> under(Map<String, ResourceSpec> specs, String component) {
        Map<String, ResourceSpec> out = new TreeMap<>();
        specs.forEach((a, s) -> {
            if (a.equals(component) || a.startsWith(component + "/")) {
                out.put(a, s);
            }
        });
        return out;
    }

    /** A topology written inline: {@code yaml} as {@code dir/infra.yaml}, loaded. */
    public static Topology fromYaml(Path dir, String yaml) {
        Path file = dir.resolve("infra.yaml");
        try {
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return TopologyLoader.load(file).topology();
    }

    /** What {@code topology} expands to, by address. */
    public static Map<String, ResourceSpec> expanded(Topology topology) {
        Map<String, ResourceSpec> out = new TreeMap<>();
        Expander.expand(topology).forEach(s -> out.put(s.address(), s));
        return out;
    }

    /** Loads a scenario that must fail, and returns the failure. */
    public static InvalidInputException invalid(Path file) {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> TopologyLoader.load(file));
        if (e == null) {
            throw new AssertionError(file + " was expected to be invalid but loaded");
        }
        return e;
    }

    public static InvalidInputException invalid(String scenario) {
        return invalid(topologyFile(scenario));
    }

    /** Every diagnostic rendered as the one line a user sees. */
    public static List<String> rendered(InvalidInputException e) {
        return e.diagnostics().stream().map(Diagnostic::render).toList();
    }
}
