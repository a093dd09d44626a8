package dev.infra.core.catalogue;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.Diagnostics;
import dev.infra.core.model.Address;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.Names;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every resource type infra manages, as data (each provider declares its own entry), and the check of expanded specs
 * against it: {@code validate} and every plan refuse, with all problems at once, what AWS would refuse of a value
 * alone, and an expansion that names an attribute no provider knows.
 */
public record Catalogue(Map<String, ResourceType> types) {

    public Catalogue {
        types = Collections.unmodifiableMap(new TreeMap<>(types));
    }

    public static Catalogue of(Collection<ResourceType> entries) {
        Map<String, ResourceType> byName = new TreeMap<>();
        for (ResourceType t : entries) {
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("two catalogue entries for " + t.name());
            }
        }
        return new Catalogue(byName);
    }

    /** Every problem of {@code specs}, in file order. */
    public List<Diagnostic> problems(Collection<ResourceSpec> specs) {
        Diagnostics diags = new Diagnostics();
        specs.forEach(s -> check(s, diags));
        return diags.all();
    }

    private void check(ResourceSpec spec, Diagnostics diags) {
        String path = yamlPath(spec.address());
        String what = spec.address() + " (" + spec.type() + ")";
        ResourceType type = types.get(spec.type());
        if (type == null) {
            // A type without an entry (a test double's) has no rules to keep; the registry refuses a type it lacks.
            return;
        }
        spec.attributes().forEach((name, value) -> {
            if (name.equals(ResourceType.TAGS) && type.has(Trait.TAGGED)) {
                if (!Kind.MAP.admits(value)) {
                    diags.error(spec.origin(), path, what + ": tags must be a map");
                }
                return;
            }
            Attribute a = type.attributes().get(name);
            if (a == null) {
                diags.error(spec.origin(), path, what + ": " + spec.type() + " has no attribute '" + name + "'"
                        + Names.didYouMean(name, type.attributes().keySet()));
            } else if (a.presence() == Attribute.Presence.COMPUTED) {
                diags.error(spec.origin(), path, what + ": " + name + " is set by AWS, not by a spec");
            } else if (value == null || !a.kind().admits(value)) {
                diags.error(spec.origin(), path, what + ": " + name + " is a " + a.kind().word() + ", not "
                        + (value == null ? "null" : value.getClass().getSimpleName() + " " + value));
            } else {
                a.rules().forEach(r -> r.problem(value).ifPresent(p -> diags.error(spec.origin(), path, p)));
            }
        });
        type.attributes().values().stream()
                .filter(a -> a.presence() == Attribute.Presence.REQUIRED && !spec.attributes().containsKey(a.name()))
                .forEach(a -> diags.error(spec.origin(), path, what + ": " + a.name() + " is required"));
    }

    /**
     * The topology key a resource was expanded from: {@code load-balancer.internal/alb} → {@code loadBalancers.internal},
     * {@code network/security-group.web/rule.x} → {@code network.securityGroups.web}.
     */
    static String yamlPath(String address) {
        List<Address> path = Address.parse(address).path();
        String component = key(path.get(0));
        return path.get(0).key() != null || path.size() < 2 || path.get(1).key() == null ? component
                : component + "." + key(path.get(1));
    }

    /** {@code kind.name} → {@code kinds.name}; a bare {@code kind} → {@code kind}, in camel case. */
    private static String key(Address segment) {
        return segment.key() == null ? camel(segment.kind()) : camel(segment.kind()) + "s." + segment.key();
    }

    private static String camel(String kebab) {
        StringBuilder sb = new StringBuilder();
        boolean up = false;
        for (char c : kebab.toCharArray()) {
            if (c == '-') {
                up = true;
            } else {
                sb.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return sb.toString();
    }
}
