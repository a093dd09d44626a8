package dev.infra.core.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/** Operations over attribute value trees (maps, lists, scalars, refs). */
public final class Values {

    private Values() {}

    private static boolean integral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n.doubleValue() == Math.rint(n.doubleValue()) && !Double.isInfinite(n.doubleValue());
    }

    /** Every {@link Ref} in the value tree, in encounter order. */
    public static List<Ref> refs(Object value) {
        List<Ref> out = new ArrayList<>();
        collectRefs(value, out);
        return out;
    }

    private static void collectRefs(Object value, List<Ref> out) {
        if (value instanceof Ref r) {
            out.add(r);
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collectRefs(v, out));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collectRefs(v, out));
        }
    }

    /** Replaces every ref by what {@code resolver} gives for it ({@link Unknown#VALUE} when not yet known). */
    @SuppressWarnings("unchecked")
    public static <T> T resolve(T value, Function<Ref, Object> resolver) {
        if (value instanceof Ref r) {
            return (T) resolver.apply(r);
        } else if (value instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(k, resolve(v, resolver)));
            return (T) out;
        } else if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(resolve(v, resolver)));
            return (T) out;
        }
        return value;
    }

    public static boolean containsUnknown(Object value) {
        if (value == Unknown.VALUE) {
            return true;
        } else if (value instanceof Map<?, ?> m) {
            return m.values().stream().anyMatch(Values::containsUnknown);
        } else if (value instanceof List<?> l) {
            return l.stream().anyMatch(Values::containsUnknown);
        }
        return false;
    }

    /**
     * Equality that treats all integral numbers alike (JSON gives Integer, the SDK Long), and a number
     * like its decimal string (AWS APIs disagree: a launch template version is a Long in one, a String
     * in another).
     */
    public static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return integral(x) && integral(y) ? x.longValue() == y.longValue()
                    : Double.compare(x.doubleValue(), y.doubleValue()) == 0;
        }
        if (a instanceof Number x && b instanceof String y) {
            return String.valueOf(x.longValue()).equals(y);
        }
        if (a instanceof String x && b instanceof Number y) {
            return x.equals(String.valueOf(y.longValue()));
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            return x.entrySet().stream().allMatch(e -> same(e.getValue(), y.get(e.getKey())));
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }
}
