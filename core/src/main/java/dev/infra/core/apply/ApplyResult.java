package dev.infra.core.apply;

import java.util.List;

/** How an apply ended: counts per outcome and the failures' messages. */
public record ApplyResult(int created, int updated, int replaced, int deleted, List<String> failures,
                          List<String> skipped) {

    public boolean ok() {
        return failures.isEmpty();
    }

    public String summary() {
        String done = "Apply " + (ok() ? "complete" : "failed") + "! Resources: " + created + " added, " + updated
                + " changed, " + replaced + " replaced, " + deleted + " destroyed.";
        return ok() ? done : done + " " + failures.size() + " failed, " + skipped.size() + " skipped.";
    }
}
