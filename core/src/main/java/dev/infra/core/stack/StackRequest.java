package dev.infra.core.stack;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.plan.Plan;
import dev.infra.core.topology.Topology;
import java.util.List;
import java.util.Objects;

/**
 * What a command asks of the stack, one type per mode: {@link StackEngine} runs it, {@link Placement} says which
 * regions it covers. Each names the topology as the file has it (in its own region).
 */
public sealed interface StackRequest {

    Topology topology();

    /** Which regions an apply or destroy covers. */
    sealed interface Scope {

        /** {@code --region}: that region alone; absent ({@code null}), the whole stack. */
        static Scope of(String region) {
            return region == null ? new WholeStack() : new OneRegion(region);
        }
    }

    /** The file's region, the primary, and the replicas its state lists. */
    record WholeStack() implements Scope {}

    /** One region: a copy (a primary of its own) or, when its state says so, a replica of its primary. */
    record OneRegion(String region) implements Scope {
        public OneRegion {
            Objects.requireNonNull(region);
        }
    }

    /** A request that makes its plans from the topology, so that {@code plan} can show them alone. */
    sealed interface Plannable extends StackRequest {
        Scope scope();
    }

    /** Makes the regions in scope match the topology, the primary first. */
    record Apply(Topology topology, Scope scope) implements Plannable {}

    /**
     * Deletes everything the regions in scope own, the replicas first; a destroyed replica leaves its primary's list.
     * One region with replicas of its own is refused: they would hang on it.
     */
    record Destroy(Topology topology, Scope scope) implements Plannable {}

    /**
     * Carries out plans saved by {@code plan -o}: one region's (that region, or {@code scope}'s, which checking the plan
     * then refuses when they differ), or every region's of the stack.
     */
    record ApplySaved(Topology topology, List<Plan> plans, Scope scope, String planFile) implements StackRequest {

        public ApplySaved {
            plans = List.copyOf(plans);
            if (plans.size() > 1 && scope instanceof OneRegion) {
                throw invalid(planFile, "holds the plans of " + plans.size() + " regions: apply it without --region");
            }
        }

        /** The request the plans were made for: an apply or a destroy, of one region or of the whole stack. */
        public Plannable madeFor() {
            Scope regions = plans.size() > 1 ? new WholeStack()
                    : scope instanceof OneRegion one ? one : new OneRegion(plans.get(0).region());
            return plans.get(0).destroy() ? new Destroy(topology, regions) : new Apply(topology, regions);
        }

        /** Refuses the plans of several regions once the stack spans others ({@code now}, the regions placed). */
        public void checkRegions(List<String> now) {
            List<String> planned = plans.stream().map(Plan::region).sorted().toList();
            List<String> sorted = now.stream().sorted().toList();
            if (plans.size() > 1 && !planned.equals(sorted)) {
                throw invalid(planFile, "is stale: it was made for " + String.join(", ", planned)
                        + " but the stack now spans " + String.join(", ", sorted) + "; make a new plan");
            }
        }
    }

    /** Makes {@code to} a replica of {@code from} (the file's region, or a copy). */
    record Replicate(Topology topology, String to, String from) implements StackRequest {

        public Replicate {
            Objects.requireNonNull(to);
            Objects.requireNonNull(from);
            if (to.equals(from)) {
                throw invalid(topology.file(), to + " is the primary region itself: replicate to another region");
            }
        }
    }

    private static InvalidInputException invalid(String file, String message) {
        return InvalidInputException.of(Diagnostic.error(SourceLocation.wholeFile(file), "", message));
    }
}
