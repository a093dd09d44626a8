package dev.infra.core.plan;

import dev.infra.core.graph.ResourceGraph;
import dev.infra.core.provider.HeldData;
import java.util.Map;
import java.util.TreeMap;

/**
 * What data the user gave up for a run's deletes. {@code all} (--force-delete-data) covers every resource whose data
 * is {@link HeldData.Guard#KEPT}; {@code configured} is each address's own {@code forceDestroy} as the topology says it
 * now, which wins over what AWS last recorded (so a destroy needs no apply first).
 */
public record DataOptIn(boolean all, Map<String, Boolean> configured) {

    public static final DataOptIn NONE = new DataOptIn(false, Map.of());

    public DataOptIn {
        configured = Map.copyOf(configured);
    }

    /** {@code all}, and the {@code forceDestroy} of every resource of {@code topology} that sets one. */
    public static DataOptIn of(boolean all, ResourceGraph topology) {
        Map<String, Boolean> configured = new TreeMap<>();
        topology.specs().forEach((address, spec) -> {
            if (spec.attributes().get(HeldData.FORCE_DESTROY) instanceof Boolean b) {
                configured.put(address, b);
            }
        });
        return new DataOptIn(all, configured);
    }

    /** What a delete of {@code change} sees: AWS's attributes, with the topology's {@code forceDestroy} over AWS's. */
    Map<String, Object> prior(ResourceChange change) {
        Boolean own = configured.get(change.address());
        if (own == null || own.equals(change.prior().get(HeldData.FORCE_DESTROY))) {
            return change.prior();
        }
        Map<String, Object> prior = new TreeMap<>(change.prior());
        prior.put(HeldData.FORCE_DESTROY, own);
        return prior;
    }

    /** Whether a delete that sees {@code prior} may take {@code held} along. */
    boolean allows(Map<String, Object> prior, HeldData held) {
        boolean own = Boolean.TRUE.equals(prior.get(HeldData.FORCE_DESTROY));
        return !held.kept() || own || all && held.guard() == HeldData.Guard.KEPT;
    }
}
