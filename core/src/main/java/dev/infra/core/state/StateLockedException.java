package dev.infra.core.state;

/** A second operation tried to lock a stack that another one holds. */
public final class StateLockedException extends RuntimeException {

    private final LockInfo holder;

    public StateLockedException(String stateName, LockInfo holder) {
        super("state " + stateName + " is locked by " + holder.describe()
                + "; if no infra process holds it, run 'infra state unlock'");
        this.holder = holder;
    }

    public LockInfo holder() {
        return holder;
    }
}
