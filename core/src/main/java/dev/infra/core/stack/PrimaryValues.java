package dev.infra.core.stack;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.model.OtherRegions;
import dev.infra.core.model.Ref;
import dev.infra.core.model.Unknown;
import dev.infra.core.plan.Action;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.ResourceChange;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import java.util.function.Supplier;

/**
 * A replica's view of its primary: at plan time the primary's state, with what the primary's own plan (in the
 * same run) creates or changes still unknown; at apply time, after the primary applied, its state as it is then.
 */
final class PrimaryValues implements OtherRegions {

    private final String region;
    private final Plan plan;
    private final State planned;
    private final Supplier<State> current;
    private State applied;

    /**
     * @param plan the primary's plan in this run, or {@code null} when only the replica is planned
     * @param planned the primary's state when the plans were made
     * @param current reads the primary's state after it applied
     */
    PrimaryValues(String region, Plan plan, State planned, Supplier<State> current) {
        this.region = region;
        this.plan = plan;
        this.planned = planned;
        this.current = current;
    }

    @Override
    public Object atPlan(Ref ref) {
        check(ref);
        ResourceChange change = plan == null ? null : plan.changes().stream()
                .filter(c -> c.address().equals(ref.address())).findFirst().orElse(null);
        if (change != null && (change.action() == Action.CREATE || change.action() == Action.REPLACE
                || change.action() == Action.UPDATE && change.changes().stream().anyMatch(a -> a.name().equals(ref.attribute())))) {
            return Unknown.VALUE;
        }
        ResourceState r = planned.resources().get(ref.address());
        if (r == null || r.id() == null) {
            throw InvalidInputException.of(Diagnostic.error(SourceLocation.wholeFile(ref.address()), "", "the replica uses "
                    + ref.address() + " of its primary " + region + ", which " + region + " does not have: apply "
                    + region + " first (infra apply --region " + region + ")"));
        }
        return value(r, ref);
    }

    @Override
    public synchronized Object atApply(Ref ref) {
        check(ref);
        if (applied == null) {
            applied = current.get();
        }
        ResourceState r = applied.resources().get(ref.address());
        if (r == null || r.id() == null) {
            throw new IllegalStateException("the primary " + region + " has no " + ref.address()
                    + ": its apply did not make it; apply " + region + " again");
        }
        return value(r, ref);
    }

    private void check(Ref ref) {
        if (!region.equals(ref.region())) {
            throw new IllegalStateException(ref + " names a region other than the primary " + region);
        }
    }

    private static Object value(ResourceState r, Ref ref) {
        return ref.attribute().equals("id") ? r.id() : r.attributes().get(ref.attribute());
    }
}
