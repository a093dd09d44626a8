package dev.infra.core.model;

import dev.infra.core.diag.SourceLocation;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One AWS resource the topology asks for. Attribute values are strings, longs, booleans, lists, maps,
 * {@link Ref}s to other resources, or {@link Unknown} once resolved against a plan.
 *
 * @param address stable address such as {@code network/subnet.private-a}
 * @param type provider type such as {@code aws_subnet}
 * @param dependsOn addresses this resource must come after, besides those its refs name
 * @param origin the YAML place the resource was expanded from, for error messages
 */
public record ResourceSpec(String address, String type, Map<String, Object> attributes,
                           Set<String> dependsOn, SourceLocation origin) {

    /**
     * In a policy document an attribute holds, what stands for the account the provider works in, which the expansion
     * does not know: the provider writes the account there and reads it back as this, so plans compare like with like.
     */
    public static final String ACCOUNT = "${infra:account}";

    /**
     * In a Helm release's values, what stands for the host of its cluster's API endpoint (Cilium's k8sServiceHost),
     * which is known only once the cluster exists: the provider writes the host there and reads it back as this.
     */
    public static final String CLUSTER_ENDPOINT_HOST = "${infra:cluster-endpoint-host}";

    public ResourceSpec {
        attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
        dependsOn = Collections.unmodifiableSet(new TreeSet<>(dependsOn));
    }

    public static ResourceSpec of(String address, String type, Map<String, Object> attributes, SourceLocation origin) {
        return new ResourceSpec(address, type, attributes, Set.of(), origin);
    }

    /** Every address this resource depends on: explicit ones and those its attribute refs name in its own region. */
    public Set<String> dependencies() {
        Set<String> all = new TreeSet<>(dependsOn);
        Values.refs(attributes).stream().filter(Ref::local).forEach(r -> all.add(r.address()));
        return all;
    }

    public ResourceSpec withAttributes(Map<String, Object> newAttributes) {
        return new ResourceSpec(address, type, newAttributes, dependsOn, origin);
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> tags() {
        Object t = attributes.get("tags");
        return t instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    }
}
