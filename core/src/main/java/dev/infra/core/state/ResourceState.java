package dev.infra.core.state;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One resource as the stack last saw it.
 *
 * @param id AWS's identifier; null while {@link Status#CREATING} (the intent record written before a create)
 * @param dependencies addresses it depended on when last applied: the order of its deletion
 */
public record ResourceState(String address, String type, String id, Status status,
                            Map<String, Object> attributes, List<String> dependencies) {

    public enum Status { CREATING, CREATED }

    public ResourceState {
        attributes = Collections.unmodifiableMap(new TreeMap<>(attributes));
        dependencies = List.copyOf(dependencies);
    }

    public static ResourceState creating(String address, String type, List<String> dependencies) {
        return new ResourceState(address, type, null, Status.CREATING, Map.of(), dependencies);
    }

    public static ResourceState created(String address, String type, String id, Map<String, Object> attributes,
                                        List<String> dependencies) {
        return new ResourceState(address, type, id, Status.CREATED, attributes, dependencies);
    }
}
