package dev.infra.core.apply;

import java.time.Duration;
import java.util.List;

/**
 * How an apply ended: counts per outcome, the failures' messages, what was skipped (its dependency failed) and what
 * was not started (the apply was interrupted: one address per operation). {@code adopted} counts the resources taken
 * into the state (found by their tags or names), whatever else was done to them; {@code forgotten} those dropped from
 * it and left in AWS (adopted by name, {@code Action.FORGET}). {@code timing}: how long it took.
 */
public record ApplyResult(int created, int updated, int replaced, int deleted, int adopted, int forgotten,
                          List<String> failures, List<String> skipped, List<String> notStarted, Timing timing) {

    /**
     * The walk's wall time and its critical path (measured: each operation from its start to its end, less any time
     * it waited for a slot again after a wait); their ratio is 1 when nothing waited for a free slot.
     */
    public record Timing(Duration wall, CriticalPath criticalPath) {
        public static final Timing NONE = new Timing(Duration.ZERO, CriticalPath.NONE);

        /** Wall time over critical path; 1 for a walk that did nothing. */
        public double ratio() {
            long path = criticalPath.length().toMillis();
            return path == 0 ? 1 : (double) wall.toMillis() / path;
        }
    }

    /** A region's plan that was not carried out because {@code why} (another region failed first). */
    public static ApplyResult notRun(List<String> addresses, String why) {
        return new ApplyResult(0, 0, 0, 0, 0, 0, List.of(why), List.copyOf(addresses), List.of(), Timing.NONE);
    }

    /** Everything planned was done. */
    public boolean ok() {
        return failures.isEmpty() && notStarted.isEmpty();
    }

    /** The operations that completed (a replace is two: its delete and its create). */
    public int finished() {
        return created + updated + deleted + 2 * replaced;
    }

    public String summary() {
        return summary(false);
    }

    /** The closing line, Terraform's way: a destroy reports what it destroyed. */
    public String summary(boolean destroy) {
        String forgot = forgotten > 0 ? ", " + forgotten + " forgotten (left in place)" : "";
        String counts = destroy ? deleted + " destroyed" + forgot + "."
                : created + " added, " + updated + " changed, " + replaced + " replaced, " + deleted + " destroyed"
                + forgot + (adopted > 0 ? ", " + adopted + " adopted." : ".");
        String ending = ok() ? "complete" : failures.isEmpty() ? "interrupted" : "failed";
        String done = (destroy ? "Destroy " : "Apply ") + ending + "! Resources: " + counts;
        if (!failures.isEmpty()) {
            done += " " + failures.size() + " failed, " + skipped.size() + " skipped.";
        }
        return notStarted.isEmpty() ? done : done + " " + notStarted.size() + " not started.";
    }
}
