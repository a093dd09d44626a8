package dev.infra.core.topology;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.infra.core.state.Json;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The topology's {@link Shape} as JSON Schema (draft 2020-12), for editors. */
public final class JsonSchema {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private JsonSchema() {}

    public static String topology() {
        ObjectNode root = of(TopologyShape.TOPOLOGY);
        ObjectNode out = F.objectNode();
        out.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        out.put("$id", "https://infra.dev/schema/topology.json");
        out.put("title", "infra topology");
        out.setAll(root);
        try {
            return Json.MAPPER.writeValueAsString(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode of(Shape shape) {
        ObjectNode n = F.objectNode();
        n.put("description", shape.description());
        if (shape instanceof Shape.Obj obj) {
            n.put("type", "object");
            ObjectNode props = n.putObject("properties");
            ArrayNode required = F.arrayNode();
            obj.fields().values().forEach(f -> {
                props.set(f.name(), of(f.shape()));
                if (f.required()) {
                    required.add(f.name());
                }
            });
            if (!required.isEmpty()) {
                n.set("required", required);
            }
            n.put("additionalProperties", false);
        } else if (shape instanceof Shape.MapOf map) {
            n.put("type", "object");
            if (!map.namePattern().isEmpty()) {
                n.putObject("propertyNames").put("pattern", map.namePattern());
            }
            n.set("additionalProperties", of(map.values()));
        } else if (shape instanceof Shape.ListOf list) {
            n.put("type", "array");
            n.set("items", of(list.items()));
        } else if (shape instanceof Shape.Str str) {
            n.put("type", "string");
            if (!str.allowed().isEmpty()) {
                ArrayNode e = n.putArray("enum");
                str.allowed().forEach(e::add);
            }
            if (!str.pattern().isEmpty()) {
                n.put("pattern", str.pattern());
            }
        } else if (shape instanceof Shape.Int in) {
            n.put("type", "integer");
            n.put("minimum", in.min());
            n.put("maximum", in.max());
        } else if (shape instanceof Shape.Bool) {
            n.put("type", "boolean");
        } else if (shape instanceof Shape.OneOf one) {
            ArrayNode any = n.putArray("oneOf");
            one.alternatives().forEach(a -> any.add(of(a)));
        }
        return n;
    }
}
