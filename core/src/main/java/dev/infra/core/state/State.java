package dev.infra.core.state;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a stack owns in one region. {@code lineage} is chosen at the first write and never changes;
 * {@code serial} grows with every change, so a saved plan can tell it is stale.
 *
 * @param primary for a replica region's state, the region it replicates; else {@code null}
 * @param replicas in the primary's state, the regions replicating it, in the order they were added
 */
public record State(int version, String lineage, long serial, String stack, String region,
                    Map<String, ResourceState> resources, String primary, List<Replica> replicas) {

    /** 2: the global names infra derives carry {@link #nameSuffix}; a state of version 1 keeps the names it had. */
    public static final int VERSION = 2;

    /**
     * A replica region as its primary records it: the network it was given stays the same across plans, even when
     * the topology's defaults or other replicas change.
     */
    public record Replica(String region, String cidr, List<String> zones) {
        public Replica {
            zones = zones == null ? List.of() : List.copyOf(zones);
        }
    }

    public State {
        resources = Collections.unmodifiableMap(new TreeMap<>(resources));
        replicas = replicas == null ? List.of() : List.copyOf(replicas);
    }

    public static State empty(String stack, String region) {
        return empty(stack, region, UUID.randomUUID().toString());
    }

    /** A state never written, of {@code lineage} (a saved plan's, so that its apply records the lineage it named after). */
    public static State empty(String stack, String region, String lineage) {
        return new State(VERSION, lineage, 0, stack, region, Map.of(), null, List.of());
    }

    /** Whether nothing was ever recorded (serial 0, no resources): its lineage is not yet anyone's. */
    public boolean fresh() {
        return serial == 0 && resources.isEmpty();
    }

    /**
     * What the global names infra derives for this stack end with (bucket names: S3's are unique across every account,
     * so {@code <stack>-audit-<region>} alone would collide between two accounts' stacks named alike): six hex digits of
     * the lineage, chosen at the first write and kept for the state's life (migration keeps it). Null for a state of
     * version 1, whose names stay as they were.
     */
    public String nameSuffix() {
        return version >= 2 ? lineage.replace("-", "").substring(0, 6) : null;
    }

    public State with(ResourceState r) {
        Map<String, ResourceState> m = new TreeMap<>(resources);
        m.put(r.address(), r);
        return new State(version, lineage, serial + 1, stack, region, m, primary, replicas);
    }

    public State without(String address) {
        Map<String, ResourceState> m = new TreeMap<>(resources);
        m.remove(address);
        return new State(version, lineage, serial + 1, stack, region, m, primary, replicas);
    }

    /** This (primary) state with {@code replica} added, or its entry replaced; itself when it already has it. */
    public State withReplica(Replica replica) {
        if (replicas.contains(replica)) {
            return this;
        }
        List<Replica> list = new ArrayList<>(replicas);
        list.removeIf(r -> r.region().equals(replica.region()));
        list.add(replica);
        return new State(version, lineage, serial + 1, stack, region, resources, primary, list);
    }

    public State withoutReplica(String replicaRegion) {
        if (replicas.stream().noneMatch(r -> r.region().equals(replicaRegion))) {
            return this;
        }
        List<Replica> list = new ArrayList<>(replicas);
        list.removeIf(r -> r.region().equals(replicaRegion));
        return new State(version, lineage, serial + 1, stack, region, resources, primary, list);
    }

    /** This state marked as a replica of {@code primaryRegion} ({@code null}: of none); itself when it already is. */
    public State replicating(String primaryRegion) {
        if (Objects.equals(primary, primaryRegion)) {
            return this;
        }
        return new State(version, lineage, serial + 1, stack, region, resources, primaryRegion, replicas);
    }
}
