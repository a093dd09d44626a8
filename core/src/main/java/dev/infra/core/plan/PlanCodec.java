package dev.infra.core.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.model.Ref;
import dev.infra.core.model.Unknown;
import dev.infra.core.model.Values;
import dev.infra.core.state.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plans as JSON: saved by {@code plan -o}, printed by {@code plan --json}. A ref is written as
 * {@code {"$ref": "network/vpc", "attribute": "id"}} and read back as a {@link Ref}.
 */
public final class PlanCodec {

    private static final String REF = "$ref";
    /** {@link Unknown#VALUE} in attribute changes is written as {@code {"$unknown": true}}. */
    private static final String UNKNOWN = "$unknown";

    private PlanCodec() {}

    public static String toJson(Plan plan) {
        return toJson(List.of(plan));
    }

    /** One region's plan as an object; the plans of several regions (primary first) as an array of them. */
    public static String toJson(List<Plan> plans) {
        try {
            List<Plan> encoded = plans.stream().map(PlanCodec::encode).toList();
            return Json.MAPPER.writeValueAsString(encoded.size() == 1 ? encoded.get(0) : encoded);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void write(List<Plan> plans, Path file) {
        try {
            Files.writeString(file, toJson(plans));
        } catch (IOException e) {
            throw InvalidInputException.of(Diagnostic.error(SourceLocation.wholeFile(file.toString()), "",
                    "cannot write plan: " + e.getMessage()));
        }
    }

    /** A saved plan: one region's, or several regions' in the order they apply. */
    public static List<Plan> readAll(Path file) {
        try {
            JsonNode tree = Json.MAPPER.readTree(Files.readString(file));
            List<JsonNode> nodes = new ArrayList<>();
            if (tree != null && tree.isArray() && !tree.isEmpty()) {
                tree.forEach(nodes::add);
            } else {
                nodes.add(tree);
            }
            List<Plan> plans = new ArrayList<>();
            for (JsonNode node : nodes) {
                if (!(node instanceof ObjectNode o) || o.path("formatVersion").asInt() != Plan.FORMAT_VERSION) {
                    throw fail(file, "is not an infra plan (format version " + Plan.FORMAT_VERSION + ")");
                }
                plans.add(decode(Json.MAPPER.treeToValue(node, Plan.class)));
            }
            return plans;
        } catch (NoSuchFileException e) {
            throw fail(file, "plan file not found");
        } catch (IOException e) {
            throw fail(file, "is not a readable infra plan: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    private static Plan decode(Plan raw) {
        List<ResourceChange> changes = new ArrayList<>();
        raw.changes().forEach(c -> changes.add(new ResourceChange(c.address(), c.type(), c.action(), c.id(),
                decodeRefs(c.desired()), c.prior(), unknowns(c.changes(), false), c.dependencies(),
                c.priorDependencies(), c.reason(), c.adoption(), c.dataLoss())));
        return new Plan(raw.formatVersion(), raw.stack(), raw.region(), raw.destroy(), raw.topologyDigest(),
                raw.lineage(), raw.serial(), changes, raw.drift());
    }

    private static InvalidInputException fail(Path file, String message) {
        return InvalidInputException.of(Diagnostic.error(SourceLocation.wholeFile(file.toString()), "", message));
    }

    private static Plan encode(Plan plan) {
        List<ResourceChange> changes = new ArrayList<>();
        plan.changes().forEach(c -> changes.add(new ResourceChange(c.address(), c.type(), c.action(), c.id(),
                Values.resolve(c.desired(), r -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put(REF, r.address());
                    m.put("attribute", r.attribute());
                    if (!r.local()) {
                        m.put("region", r.region());
                    }
                    return m;
                }), c.prior(), unknowns(c.changes(), true), c.dependencies(), c.priorDependencies(), c.reason(),
                c.adoption(), c.dataLoss())));
        return new Plan(plan.formatVersion(), plan.stack(), plan.region(), plan.destroy(), plan.topologyDigest(),
                plan.lineage(), plan.serial(), changes, plan.drift());
    }

    private static List<AttributeChange> unknowns(List<AttributeChange> changes, boolean encode) {
        return changes.stream().map(a -> new AttributeChange(a.name(), unknowns(a.before(), encode),
                unknowns(a.after(), encode), a.forcesReplacement())).toList();
    }

    /** Replaces {@link Unknown#VALUE} by its JSON marker (encode) or the marker by the value (decode). */
    private static Object unknowns(Object value, boolean encode) {
        if (encode && value == Unknown.VALUE) {
            return Map.of(UNKNOWN, true);
        } else if (value instanceof Map<?, ?> m) {
            if (!encode && m.size() == 1 && Boolean.TRUE.equals(m.get(UNKNOWN))) {
                return Unknown.VALUE;
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, unknowns(v, encode)));
            return out;
        } else if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(unknowns(v, encode)));
            return out;
        }
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <T> T decodeRefs(T value) {
        if (value instanceof Map<?, ?> m) {
            if (m.containsKey(REF) && (m.size() == 2 || m.size() == 3 && m.containsKey("region"))) {
                return (T) new Ref((String) m.get(REF), (String) m.get("attribute"), (String) m.get("region"));
            }
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, decodeRefs(v)));
            return (T) out;
        } else if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(decodeRefs(v)));
            return (T) out;
        }
        return value;
    }
}
