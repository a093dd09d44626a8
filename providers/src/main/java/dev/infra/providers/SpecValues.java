package dev.infra.providers;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.ProviderException;
import java.util.List;
import java.util.Map;

/** Typed access to a resolved spec's attributes, failing with the resource's address. */
public final class SpecValues {

    private SpecValues() {}

    public static String string(ResourceSpec spec, String name) {
        String s = optionalString(spec, name);
        if (s == null) {
            throw missing(spec, name);
        }
        return s;
    }

    public static String optionalString(ResourceSpec spec, String name) {
        Object v = spec.attributes().get(name);
        if (v == null) {
            return null;
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        throw wrongType(spec, name, "a string", v);
    }

    public static Boolean optionalBoolean(ResourceSpec spec, String name) {
        Object v = spec.attributes().get(name);
        if (v == null || v instanceof Boolean) {
            return (Boolean) v;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.valueOf(s);
        }
        throw wrongType(spec, name, "true or false", v);
    }

    public static boolean bool(ResourceSpec spec, String name, boolean otherwise) {
        Boolean b = optionalBoolean(spec, name);
        return b == null ? otherwise : b;
    }

    public static long number(ResourceSpec spec, String name) {
        Object v = spec.attributes().get(name);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw wrongType(spec, name, "a whole number", v);
            }
        }
        throw v == null ? missing(spec, name) : wrongType(spec, name, "a whole number", v);
    }

    public static List<?> list(ResourceSpec spec, String name) {
        Object v = spec.attributes().get(name);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return l;
        }
        throw wrongType(spec, name, "a list", v);
    }

    /** A list of strings, e.g. subnet ids. */
    public static List<String> strings(ResourceSpec spec, String name) {
        return list(spec, name).stream().map(o -> {
            if (o instanceof String s) {
                return s;
            }
            throw wrongType(spec, name, "a list of strings", o);
        }).toList();
    }

    /** A list of maps, e.g. routes. */
    public static List<Map<?, ?>> maps(ResourceSpec spec, String name) {
        return list(spec, name).stream().<Map<?, ?>>map(o -> {
            if (o instanceof Map<?, ?> m) {
                return m;
            }
            throw wrongType(spec, name, "a list of maps", o);
        }).toList();
    }

    private static ProviderException missing(ResourceSpec spec, String name) {
        return new ProviderException(spec.address(), "attribute " + name + " is required for " + spec.type());
    }

    private static ProviderException wrongType(ResourceSpec spec, String name, String expected, Object got) {
        return new ProviderException(spec.address(),
                "attribute " + name + " must be " + expected + ", got " + got.getClass().getSimpleName() + " " + got);
    }
}
