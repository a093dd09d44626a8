package dev.infra.core.state;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a stack owns in one region. {@code lineage} is chosen at the first write and never changes;
 * {@code serial} grows with every change, so a saved plan can tell it is stale.
 */
public record State(int version, String lineage, long serial, String stack, String region,
                    Map<String, ResourceState> resources) {

    public static final int VERSION = 1;

    public State {
        resources = Collections.unmodifiableMap(new TreeMap<>(resources));
    }

    public static State empty(String stack, String region) {
        return new State(VERSION, UUID.randomUUID().toString(), 0, stack, region, Map.of());
    }

    public State with(ResourceState r) {
        Map<String, ResourceState> m = new TreeMap<>(resources);
        m.put(r.address(), r);
        return new State(version, lineage, serial + 1, stack, region, m);
    }

    public State without(String address) {
        Map<String, ResourceState> m = new TreeMap<>(resources);
        m.remove(address);
        return new State(version, lineage, serial + 1, stack, region, m);
    }
}
