package dev.infra.core.topology;

import dev.infra.core.diag.Diagnostics;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.yaml.YNode;
import dev.infra.core.yaml.YNode.ScalarType;
import dev.infra.core.yaml.YNode.YMap;
import dev.infra.core.yaml.YNode.YScalar;
import dev.infra.core.yaml.YNode.YSeq;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a YAML tree against a {@link Shape}, collecting every mismatch, and returns the part of the tree the
 * shape accepts, so that the semantic checks can run on it in the same pass (all problems in one run) and never
 * see a value of the wrong kind:
 * <ul>
 *   <li>a refused value and an unknown key are left out (the binders then use the default, or skip the checks that
 *       need the value: a required key may be missing);</li>
 *   <li>a list with a refused item is left out whole, since its items mean something together (one per zone);</li>
 *   <li>where a mapping was wanted and something else is written, an empty mapping stands in, so the component is
 *       still there: a reference to it resolves and "add 'network:'" is not said of a network that is malformed.</li>
 * </ul>
 */
public final class ShapeChecker {

    /** The accepted tree and the YAML paths of the values left out of it. */
    public record Result(YNode accepted, Set<String> refused) {

        /**
         * Whether a semantic problem at {@code path} may only follow from a refused value: one at that path or under
         * it, which the binder took as missing (a rule whose refused {@code ports} look missing) or as its default.
         * Not for a top-level key, whose semantic checks are about the component's presence alone ("add
         * 'encryption:'"), which no refused value inside it changes. A check at one path that reads a value at another
         * asks {@link #refused(String)} itself.
         */
        public boolean explains(String path) {
            if (!path.contains(".") && !path.contains("[")) {
                return false;
            }
            return refused.stream().anyMatch(r -> r.equals(path) || r.startsWith(path + ".") || r.startsWith(path + "["));
        }

        /** Whether the value at {@code path} was written but refused, so the binder sees it missing. */
        public boolean refused(String path) {
            return refused.contains(path);
        }
    }

    private final Diagnostics diags;
    private final Set<String> refused = new HashSet<>();

    private ShapeChecker(Diagnostics diags) {
        this.diags = diags;
    }

    public static Result check(YNode node, Shape shape, Diagnostics diags) {
        ShapeChecker checker = new ShapeChecker(diags);
        YNode accepted = checker.check(node, shape, "");
        return new Result(accepted, Set.copyOf(checker.refused));
    }

    /** The accepted part of {@code node}, or {@code null} when it is refused. */
    private YNode check(YNode node, Shape shape, String path) {
        // Java 17: no pattern matching for switch yet, hence the instanceof chain.
        if (shape instanceof Shape.Obj obj) {
            return checkObj(node, obj, path);
        } else if (shape instanceof Shape.MapOf map) {
            return checkMapOf(node, map, path);
        } else if (shape instanceof Shape.ListOf list) {
            return checkList(node, list, path);
        } else if (shape instanceof Shape.Str str) {
            return checkStr(node, str, path);
        } else if (shape instanceof Shape.Int in) {
            if (!(node instanceof YScalar s && s.type() == ScalarType.INTEGER)) {
                return mismatch(node, "an integer", path);
            }
            long v = parseLong(s.text());
            return v < in.min() || v > in.max()
                    ? refuse(node, path, "must be between " + in.min() + " and " + in.max() + ", got " + s.text()) : node;
        } else if (shape instanceof Shape.Bool) {
            return node instanceof YScalar s && s.type() == ScalarType.BOOLEAN ? node : mismatch(node, "true or false", path);
        } else if (shape instanceof Shape.OneOf one) {
            for (Shape alt : one.alternatives()) {
                if (kindMatches(node, alt)) {
                    return check(node, alt, path);
                }
            }
            return mismatch(node, one.description(), path);
        }
        throw new IllegalStateException("unknown shape " + shape);
    }

    private YNode checkObj(YNode node, Shape.Obj obj, String path) {
        if (!(node instanceof YMap map)) {
            return stub(node, path);
        }
        Map<String, YNode.Entry> kept = new LinkedHashMap<>();
        for (YNode.Entry e : map.entries().values()) {
            Shape.Field f = obj.fields().get(e.key());
            String child = join(path, e.key());
            if (f == null) {
                diags.error(e.keyAt(), child, "unknown key '" + e.key() + "'"
                        + Names.didYouMean(e.key(), obj.fields().keySet()));
                continue;
            }
            keep(kept, e, check(e.value(), f.shape(), child));
        }
        for (Shape.Field f : obj.fields().values()) {
            if (f.required() && !map.entries().containsKey(f.name())) {
                diags.error(node.at(), path, "missing required key '" + f.name() + "'");
            }
        }
        return new YMap(kept, map.at());
    }

    private YNode checkMapOf(YNode node, Shape.MapOf map, String path) {
        if (!(node instanceof YMap m)) {
            return stub(node, path);
        }
        Pattern names = map.namePattern().isEmpty() ? null : Pattern.compile(map.namePattern());
        Map<String, YNode.Entry> kept = new LinkedHashMap<>();
        for (YNode.Entry e : m.entries().values()) {
            String child = join(path, e.key());
            // A bad name leaves the entry in: references to it still resolve, and its value is checked all the same.
            if (names != null && !names.matcher(e.key()).matches()) {
                diags.error(e.keyAt(), child, "name '" + e.key() + "' must be " + Names.RULE + lengthOf(e.key()));
            } else {
                report(map.nameCheck().check(e.key()), e.keyAt(), child);
            }
            keep(kept, e, check(e.value(), map.values(), child));
        }
        return new YMap(kept, m.at());
    }

    private static void keep(Map<String, YNode.Entry> kept, YNode.Entry e, YNode accepted) {
        if (accepted != null) {
            kept.put(e.key(), new YNode.Entry(e.key(), e.keyAt(), accepted));
        }
    }

    private YNode checkList(YNode node, Shape.ListOf list, String path) {
        if (!(node instanceof YSeq seq)) {
            return mismatch(node, "a list", path);
        }
        List<YNode> items = new java.util.ArrayList<>();
        boolean whole = true;
        for (int i = 0; i < seq.items().size(); i++) {
            YNode item = check(seq.items().get(i), list.items(), path + "[" + i + "]");
            whole &= item != null;
            items.add(item);
        }
        return whole ? new YSeq(items, seq.at()) : null;
    }

    /** A refused value's length, said when the rule it breaks may be a length (a long value). */
    private static String lengthOf(String value) {
        return value.length() > 30 ? " (it has " + value.length() + ")" : "";
    }

    private YNode checkStr(YNode node, Shape.Str str, String path) {
        // Numbers and booleans are accepted where a string is wanted (a tag value "2024", a version 1.31).
        if (!(node instanceof YScalar s) || s.type() == ScalarType.NULL) {
            return mismatch(node, "a string", path);
        }
        if (!str.allowed().isEmpty() && !str.allowed().contains(s.text())) {
            return refuse(node, path, "'" + s.text() + "' is not one of " + String.join(", ", str.allowed())
                    + Names.didYouMean(s.text(), str.allowed()));
        }
        if (!str.pattern().isEmpty() && !Pattern.compile(str.pattern()).matcher(s.text()).matches()) {
            return refuse(node, path, "'" + s.text() + "' is not " + str.description() + lengthOf(s.text()));
        }
        if (report(str.check().check(s.text()), node.at(), path)) {
            refused.add(path);
            return null;
        }
        return node;
    }

    /** Reports what a value check found; whether it is an error. */
    private boolean report(Optional<Shape.Finding> finding, SourceLocation at, String path) {
        finding.ifPresent(f -> {
            if (f.error()) {
                diags.error(at, path, f.message());
            } else {
                diags.warning(at, path, f.message());
            }
        });
        return finding.isPresent() && finding.get().error();
    }

    /** Where a mapping was wanted: the error, and an empty mapping in the value's place. */
    private YNode stub(YNode node, String path) {
        mismatch(node, "a mapping", path);
        return new YMap(Map.of(), node.at());
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

    private YNode mismatch(YNode node, String expected, String path) {
        return refuse(node, path, "expected " + expected + ", got " + node.kind());
    }

    /** Reports why the value at {@code path} is left out; {@code null}, for the caller to return. */
    private YNode refuse(YNode node, String path, String message) {
        diags.error(node.at(), path, message);
        refused.add(path);
        return null;
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
