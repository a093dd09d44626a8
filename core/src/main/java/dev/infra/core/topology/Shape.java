package dev.infra.core.topology;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The declared shape of the topology: drives structural validation (types, unknown keys with
 * did-you-mean, required keys, enums) and the published JSON Schema, so the two cannot disagree.
 */
public sealed interface Shape {

    String description();

    record Field(String name, Shape shape, boolean required) {}

    /** A mapping with known keys. */
    record Obj(String description, Map<String, Field> fields) implements Shape {
        public Obj {
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
    }

    /** A mapping from user-chosen names (matching {@code namePattern}, then passing {@code nameCheck}) to values of one shape. */
    record MapOf(String description, String namePattern, ValueCheck nameCheck, Shape values) implements Shape {}

    record ListOf(String description, Shape items) implements Shape {}

    /**
     * A string; {@code allowed} empty means any; {@code pattern} empty means any; {@code check} looks at what the
     * pattern cannot (a CIDR block's size, a range's order, a known region).
     */
    record Str(String description, List<String> allowed, String pattern, ValueCheck check) implements Shape {}

    /** A check of one value beyond its pattern. */
    @FunctionalInterface
    interface ValueCheck {
        ValueCheck NONE = value -> Optional.empty();

        Optional<Finding> check(String value);
    }

    /** What a {@link ValueCheck} found: an error refuses the value, a warning lets it through. */
    record Finding(boolean error, String message) {
        static Optional<Finding> error(String message) {
            return Optional.of(new Finding(true, message));
        }

        static Optional<Finding> warning(String message) {
            return Optional.of(new Finding(false, message));
        }
    }

    record Int(String description, long min, long max) implements Shape {}

    record Bool(String description) implements Shape {}

    /** The first alternative whose kind matches is used (e.g. a zone count or a list of zones). */
    record OneOf(String description, List<Shape> alternatives) implements Shape {}

    // Static factories read like the schema they build.

    static Obj obj(String description, Field... fields) {
        Map<String, Field> m = new LinkedHashMap<>();
        for (Field f : fields) {
            m.put(f.name(), f);
        }
        return new Obj(description, m);
    }

    static Field required(String name, Shape shape) {
        return new Field(name, shape, true);
    }

    static Field optional(String name, Shape shape) {
        return new Field(name, shape, false);
    }

    static MapOf mapOf(String description, Shape values) {
        return new MapOf(description, Names.PATTERN, ValueCheck.NONE, values);
    }

    static MapOf tagMap(String description) {
        return new MapOf(description, "", ValueCheck.NONE, str("tag value"));
    }

    static ListOf listOf(String description, Shape items) {
        return new ListOf(description, items);
    }

    static Str str(String description) {
        return new Str(description, List.of(), "", ValueCheck.NONE);
    }

    static Str pattern(String description, String regex) {
        return new Str(description, List.of(), regex, ValueCheck.NONE);
    }

    /** A string matching {@code regex} that {@code check} then accepts. */
    static Str checked(String description, String regex, ValueCheck check) {
        return new Str(description, List.of(), regex, check);
    }

    static Str oneOf(String description, String... allowed) {
        return new Str(description, List.of(allowed), "", ValueCheck.NONE);
    }

    static Int integer(String description, long min, long max) {
        return new Int(description, min, max);
    }

    static Bool bool(String description) {
        return new Bool(description);
    }

    static OneOf either(String description, Shape... alternatives) {
        return new OneOf(description, List.of(alternatives));
    }
}
