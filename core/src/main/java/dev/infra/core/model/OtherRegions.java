package dev.infra.core.model;

/**
 * Where refs to other regions ({@link Ref#region()} set) get their values: a replica region's specs name its
 * primary's IAM roles, public zone, tables, bucket and key. The primary is planned and applied before its replicas,
 * so at apply time its state holds what the replica needs.
 */
public interface OtherRegions {

    /** At plan time: the value, or {@link Unknown#VALUE} while the other region's plan creates or changes it. */
    Object atPlan(Ref ref);

    /** At apply time, from the other region's current state; fails when that region lacks the resource. */
    Object atApply(Ref ref);

    /** For a region that refers to no other: any such ref is a bug. */
    OtherRegions NONE = new OtherRegions() {
        @Override
        public Object atPlan(Ref ref) {
            throw new IllegalStateException("no other region to resolve " + ref);
        }

        @Override
        public Object atApply(Ref ref) {
            throw new IllegalStateException("no other region to resolve " + ref);
        }
    };
}
