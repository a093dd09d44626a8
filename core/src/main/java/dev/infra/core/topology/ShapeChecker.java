package dev.infra.core.topology;

import dev.infra.core.diag.Diagnostics;
import dev.infra.core.yaml.YNode;
import dev.infra.core.yaml.YNode.ScalarType;
import dev.infra.core.yaml.YNode.YMap;
import dev.infra.core.yaml.YNode.YScalar;
import dev.infra.core.yaml.YNode.YSeq;
import java.util.regex.Pattern;

/** Checks a YAML tree against a {@link Shape}, collecting every mismatch. */
public final class ShapeChecker {

    private ShapeChecker() {}

    public static void check(YNode node, Shape shape, String path, Diagnostics diags) {
        // Java 17: no pattern matching for switch yet, hence the instanceof chain.
        if (shape instanceof Shape.Obj obj) {
            checkObj(node, obj, path, diags);
        } else if (shape instanceof Shape.MapOf map) {
            checkMapOf(node, map, path, diags);
        } else if (shape instanceof Shape.ListOf list) {
            if (node instanceof YSeq seq) {
                for (int i = 0; i < seq.items().size(); i++) {
                    check(seq.items().get(i), list.items(), path + "[" + i + "]", diags);
                }
            } else {
                mismatch(node, "a list", path, diags);
            }
        } else if (shape instanceof Shape.Str str) {
            checkStr(node, str, path, diags);
        } else if (shape instanceof Shape.Int in) {
            if (node instanceof YScalar s && s.type() == ScalarType.INTEGER) {
                long v = parseLong(s.text());
                if (v < in.min() || v > in.max()) {
                    diags.error(node.at(), path, "must be between " + in.min() + " and " + in.max() + ", got " + s.text());
                }
            } else {
                mismatch(node, "an integer", path, diags);
            }
        } else if (shape instanceof Shape.Bool) {
            if (!(node instanceof YScalar s && s.type() == ScalarType.BOOLEAN)) {
                mismatch(node, "true or false", path, diags);
            }
        } else if (shape instanceof Shape.OneOf one) {
            for (Shape alt : one.alternatives()) {
                if (kindMatches(node, alt)) {
                    check(node, alt, path, diags);
                    return;
                }
            }
            mismatch(node, one.description(), path, diags);
        }
    }

    private static void checkObj(YNode node, Shape.Obj obj, String path, Diagnostics diags) {
        if (!(node instanceof YMap map)) {
            mismatch(node, "a mapping", path, diags);
            return;
        }
        for (YNode.Entry e : map.entries().values()) {
            Shape.Field f = obj.fields().get(e.key());
            String child = join(path, e.key());
            if (f == null) {
                diags.error(e.keyAt(), child, "unknown key '" + e.key() + "'"
                        + Names.didYouMean(e.key(), obj.fields().keySet()));
            } else {
                check(e.value(), f.shape(), child, diags);
            }
        }
        for (Shape.Field f : obj.fields().values()) {
            if (f.required() && !map.entries().containsKey(f.name())) {
                diags.error(node.at(), path, "missing required key '" + f.name() + "'");
            }
        }
    }

    private static void checkMapOf(YNode node, Shape.MapOf map, String path, Diagnostics diags) {
        if (!(node instanceof YMap m)) {
            mismatch(node, "a mapping", path, diags);
            return;
        }
        Pattern names = map.namePattern().isEmpty() ? null : Pattern.compile(map.namePattern());
        for (YNode.Entry e : m.entries().values()) {
            String child = join(path, e.key());
            if (names != null && !names.matcher(e.key()).matches()) {
                diags.error(e.keyAt(), child, "name '" + e.key()
                        + "' must be lower-case letters, digits and dashes, starting with a letter (at most 31)");
            }
            check(e.value(), map.values(), child, diags);
        }
    }

    private static void checkStr(YNode node, Shape.Str str, String path, Diagnostics diags) {
        // Numbers and booleans are accepted where a string is wanted (a tag value "2024", a version 1.31).
        if (!(node instanceof YScalar s) || s.type() == ScalarType.NULL) {
            mismatch(node, "a string", path, diags);
            return;
        }
        if (!str.allowed().isEmpty() && !str.allowed().contains(s.text())) {
            diags.error(node.at(), path, "'" + s.text() + "' is not one of " + String.join(", ", str.allowed())
                    + Names.didYouMean(s.text(), str.allowed()));
        } else if (!str.pattern().isEmpty() && !Pattern.compile(str.pattern()).matcher(s.text()).matches()) {
            diags.error(node.at(), path, "'" + s.text() + "' is not " + str.description());
        }
    }

    private static boolean kindMatches(YNode node, Shape shape) {
        if (shape instanceof Shape.Obj || shape instanceof Shape.MapOf) {
            return node instanceof YMap;
        } else if (shape instanceof Shape.ListOf) {
            return node instanceof YSeq;
        } else if (shape instanceof Shape.Int) {
            return node instanceof YScalar s && s.type() == ScalarType.INTEGER;
        } else if (shape instanceof Shape.Bool) {
            return node instanceof YScalar s && s.type() == ScalarType.BOOLEAN;
        } else if (shape instanceof Shape.Str) {
            return node instanceof YScalar s && s.type() != ScalarType.NULL;
        } else if (shape instanceof Shape.OneOf o) {
            return o.alternatives().stream().anyMatch(alt -> kindMatches(node, alt));
        }
        return false;
    }

    private static void mismatch(YNode node, String expected, String path, Diagnostics diags) {
        diags.error(node.at(), path, "expected " + expected + ", got " + node.kind());
    }

    static long parseLong(String text) {
        try {
            return Long.decode(text.replace("_", ""));
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    public static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}
