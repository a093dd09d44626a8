package dev.infra.core.plan;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Plain data: what apply will do, and against which state. Saved with {@code plan -o}; applying it
 * to a state whose lineage or serial differ is refused as stale.
 */
public record Plan(int formatVersion, String stack, String region, boolean destroy, String topologyDigest,
                   String lineage, long serial, List<ResourceChange> changes, List<Drift> drift) {

    public static final int FORMAT_VERSION = 1;

    public Plan {
        changes = List.copyOf(changes);
        drift = List.copyOf(drift);
    }

    /** Whether applying it changes anything, in AWS or in the state: adopting a resource is a change too. */
    public boolean hasChanges() {
        return changes.stream().anyMatch(c -> c.action() != Action.NO_OP || c.adopts());
    }

    /** How many resources it takes into the state, whatever else it does to them. */
    public int adoptions() {
        return (int) changes.stream().filter(ResourceChange::adopts).count();
    }

    /** How many of each action, in the order the summary line prints them. */
    public Map<Action, Integer> counts() {
        Map<Action, Integer> m = new TreeMap<>();
        for (Action a : Action.values()) {
            m.put(a, 0);
        }
        changes.forEach(c -> m.merge(c.action(), 1, Integer::sum));
        return m;
    }

    public String summary() {
        Map<Action, Integer> c = counts();
        if (!hasChanges()) {
            return "No changes. The infrastructure matches the topology.";
        }
        int adopt = adoptions();
        int forget = c.get(Action.FORGET);
        // A forgotten resource stays in AWS: not destroyed, so counted apart (and only when there is one).
        return "Plan: " + c.get(Action.CREATE) + " to add, " + c.get(Action.UPDATE) + " to change, "
                + c.get(Action.REPLACE) + " to replace, " + c.get(Action.DELETE) + " to destroy"
                + (forget > 0 ? ", " + forget + " to forget" : "")
                + (adopt > 0 ? ", " + adopt + " to adopt." : ".");
    }
}
