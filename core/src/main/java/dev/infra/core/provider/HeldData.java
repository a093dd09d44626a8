package dev.infra.core.provider;

/**
 * What deleting a resource would lose (a bucket's objects, a table's items), as the plan says it, and whether infra
 * keeps it unless told otherwise.
 *
 * @param summary in words, e.g. "3 objects (5 versions, 1 delete marker)"
 */
public record HeldData(String summary, Guard guard) {

    /**
     * The attribute by which a resource says it may be deleted with its data (the topology's {@code forceDestroy}); the
     * planner also sets it in a delete's attributes when the user allowed the loss, so the provider empties first.
     */
    public static final String FORCE_DESTROY = "forceDestroy";

    /** How far the data is kept. */
    public enum Guard {
        /** Said in the plan; the delete goes ahead (what guards it is AWS's own deletion protection, if any). */
        SHOWN,
        /** The delete is refused unless the resource says {@value #FORCE_DESTROY} or the run forces data deletion. */
        KEPT,
        /** Refused unless the resource itself says {@value #FORCE_DESTROY}: audit logs outlive a blanket opt-in. */
        KEPT_UNLESS_OWN
    }

    public boolean kept() {
        return guard != Guard.SHOWN;
    }
}
