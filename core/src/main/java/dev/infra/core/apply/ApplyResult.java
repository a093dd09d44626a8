package dev.infra.core.apply;

import java.util.List;

/**
 * How an apply ended: counts per outcome and the failures' messages. {@code adopted} counts the resources taken into
 * the state (found by their tags), whatever else was done to them.
 */
public record ApplyResult(int created, int updated, int replaced, int deleted, int adopted, List<String> failures,
                          List<String> skipped) {

    /** A plan without changes: nothing to do. */
    public static ApplyResult nothing() {
        return new ApplyResult(0, 0, 0, 0, 0, List.of(), List.of());
    }

    /** A region's plan that was not carried out because {@code why} (another region failed first). */
    public static ApplyResult notRun(List<String> addresses, String why) {
        return new ApplyResult(0, 0, 0, 0, 0, List.of(why), List.copyOf(addresses));
    }

    public boolean ok() {
        return failures.isEmpty();
    }

    public String summary() {
        return summary(false);
    }

    /** The closing line, Terraform's way: a destroy reports what it destroyed. */
    public String summary(boolean destroy) {
        String counts = destroy ? deleted + " destroyed."
                : created + " added, " + updated + " changed, " + replaced + " replaced, " + deleted + " destroyed"
                + (adopted > 0 ? ", " + adopted + " adopted." : ".");
        String done = (destroy ? "Destroy " : "Apply ") + (ok() ? "complete" : "failed") + "! Resources: " + counts;
        return ok() ? done : done + " " + failures.size() + " failed, " + skipped.size() + " skipped.";
    }
}
