package dev.infra.core.topology;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.Diagnostics;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.yaml.YNode;
import dev.infra.core.yaml.YNode.YMap;
import dev.infra.core.yaml.YNode.YScalar;
import dev.infra.core.yaml.YNode.YSeq;
import dev.infra.core.yaml.YamlLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * YAML file → validated {@link Topology}. Every problem is collected; if any is an error the load
 * fails once with all of them. Makes no AWS call.
 */
public final class TopologyLoader {

    private TopologyLoader() {}

    /** The topology and its warnings. */
    public record Loaded(Topology topology, List<Diagnostic> warnings) {}

    public static Loaded load(Path file) {
        Diagnostics diags = new Diagnostics();
        YNode root = YamlLoader.load(file, diags);
        String name = file.toString();
        if (!(root instanceof YMap)) {
            throw InvalidInputException.of(Diagnostic.error(root.at(), "", "a topology is a mapping with 'stack:' and 'region:' at the top, not " + root.kind()));
        }
        ShapeChecker.Result shape = ShapeChecker.check(root, TopologyShape.TOPOLOGY, diags);
        // The semantic checks run on what the shape accepted, in the same run: every problem is reported at once.
        Diagnostics semantic = new Diagnostics();
        Topology topology = bind(name, digest(file), (YMap) shape.accepted(), shape, semantic);
        semantic.all().stream().filter(d -> !shape.explains(d.path())).forEach(diags::add);
        if (diags.hasErrors()) {
            throw new InvalidInputException(diags.all());
        }
        return new Loaded(topology, diags.all());
    }

    /** Binds the accepted tree: every value in it has its shape, but a required key may be missing. */
    private static Topology bind(String file, String digest, YMap root, ShapeChecker.Result shape, Diagnostics diags) {
        String stack = text(root.get("stack"));
        String region = text(root.get("region"));
        Map<String, String> tags = new LinkedHashMap<>();
        if (root.get("tags") instanceof YMap t) {
            t.entries().forEach((k, e) -> {
                if (k.startsWith("infra:") || k.startsWith("aws:")) {
                    diags.error(e.keyAt(), "tags." + k, "tag keys starting with 'infra:' or 'aws:' are reserved");
                }
                tags.put(k, text(e.value()));
            });
        }
        Network network = root.get("network") instanceof YMap n
                ? NetworkBinder.bind(n, region, shape, diags) : null;
        EdgeBinder.Bound edge = EdgeBinder.bind(root, network, shape, diags);
        DataBinder.Bound data = DataBinder.bind(root, network, edge, shape, diags);
        Map<String, Regions.Settings> regions = root.get("regions") instanceof YMap r
                ? RegionsBinder.bind(r, region, network, edge.loadBalancers(), shape, diags) : Map.of();
        Backend backend = root.get("backend") instanceof YMap b ? BackendBinder.bind(b, region) : null;
        Topology topology = new Topology(file, digest, stack, region, region, tags, backend, network, edge.encryption(),
                edge.egressProxy(), edge.accessProxy(), edge.loadBalancers(), edge.firewall(), edge.dns(), edge.clusters(),
                data.tables(), data.caches(), data.buckets(), data.services(), data.monitoring(), regions,
                Regions.Placement.single(region), root.at());
        if (stack != null && region != null) {
            StackBuckets.check(root, topology, diags);
        }
        return topology;
    }

    static String text(YNode node) {
        return node instanceof YScalar s ? s.text() : null;
    }

    static String text(YNode node, String fallback) {
        String t = text(node);
        return t == null ? fallback : t;
    }

    /** An integer the shape check has accepted (decimal, hex or with underscores), or {@code fallback} when absent. */
    static int intOr(YNode node, int fallback) {
        String t = text(node);
        return t == null ? fallback : (int) ShapeChecker.parseLong(t);
    }

    /** A required mapping, or an empty one where it is missing (the shape check has said so). */
    static YMap mapOr(YNode node, SourceLocation at) {
        return node instanceof YMap m ? m : new YMap(Map.of(), at);
    }

    static List<YNode> items(YNode node) {
        return node instanceof YSeq s ? s.items() : List.of();
    }

    static List<String> texts(YNode node) {
        List<String> out = new ArrayList<>();
        items(node).forEach(i -> out.add(text(i)));
        return out;
    }

    static SourceLocation at(YNode node, SourceLocation fallback) {
        return node == null ? fallback : node.at();
    }

    private static String digest(Path file) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(Files.readAllBytes(file)));
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
