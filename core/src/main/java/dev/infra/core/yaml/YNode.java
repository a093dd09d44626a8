package dev.infra.core.yaml;

import dev.infra.core.diag.SourceLocation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A YAML value that knows where it was written. */
public sealed interface YNode permits YNode.YMap, YNode.YSeq, YNode.YScalar {

    SourceLocation at();

    /** Human name of the node's kind for type errors. */
    String kind();

    /** A mapping; keys keep their order and their own locations. */
    record YMap(Map<String, Entry> entries, SourceLocation at) implements YNode {
        public YMap {
            entries = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(entries));
        }

        public YNode get(String key) {
            Entry e = entries.get(key);
            return e == null ? null : e.value();
        }

        @Override
        public String kind() {
            return "a mapping";
        }
    }

    record Entry(String key, SourceLocation keyAt, YNode value) {}

    record YSeq(List<YNode> items, SourceLocation at) implements YNode {
        public YSeq {
            items = List.copyOf(items);
        }

        @Override
        public String kind() {
            return "a list";
        }
    }

    /** A scalar; {@code type} is what YAML's core schema makes of it. */
    record YScalar(String text, ScalarType type, SourceLocation at) implements YNode {
        @Override
        public String kind() {
            return switch (type) {
                case STRING -> "a string";
                case INTEGER -> "an integer";
                case FLOAT -> "a number";
                case BOOLEAN -> "a boolean";
                case NULL -> "nothing (null)";
            };
        }
    }

    enum ScalarType { STRING, INTEGER, FLOAT, BOOLEAN, NULL }
}
