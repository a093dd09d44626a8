package dev.infra.core.state;

/**
 * A stack's lock is held: a second operation tried to take it, or {@code infra state unlock} refused to remove it
 * because its holder may still be working. The message says what to do, which depends on whether the holder runs.
 */
public final class StateLockedException extends RuntimeException {

    private final LockInfo holder;

    private StateLockedException(String message, LockInfo holder) {
        super(message);
        this.holder = holder;
    }

    /** Another operation holds the lock of {@code stateName}; {@code liveness} says whether it still runs. */
    public static StateLockedException held(String stateName, LockInfo holder, LockInfo.Liveness liveness) {
        String base = "state " + stateName + " is locked by " + holder.describe();
        return new StateLockedException(base + switch (liveness) {
            case RUNNING -> ", which is still running: wait for it to finish";
            case GONE -> ", whose process is gone: the lock is stale; 'infra state unlock' removes it";
            case ELSEWHERE -> " on another host; if that process no longer runs, 'infra state unlock --force' removes"
                    + " the lock";
        }, holder);
    }

    /** {@code infra state unlock} leaves the lock: its holder runs ({@code RUNNING}), or may ({@code ELSEWHERE}). */
    public static StateLockedException notRemoved(String stateName, LockInfo holder, LockInfo.Liveness liveness) {
        String base = "the lock of state " + stateName + " is held by " + holder.describe();
        return new StateLockedException(base + switch (liveness) {
            case RUNNING -> ", which is still running; a running holder's lock is never removed: let it finish, or"
                    + " stop it (Ctrl-C saves its state and releases the lock)";
            case ELSEWHERE -> " on another host, where infra cannot tell whether it still runs; if it does not,"
                    + " run 'infra state unlock --force'";
            case GONE -> throw new IllegalArgumentException("a lock whose holder is gone is removed");
        }, holder);
    }

    /** {@code infra state unlock} found the lock of {@code holder}, but another took its place before it was removed. */
    public static StateLockedException changed(String stateName, LockInfo holder) {
        return new StateLockedException("the lock of state " + stateName + " changed while the stale lock of "
                + holder.describe() + " was being removed: another operation holds it now; run 'infra state unlock'"
                + " again to see who", holder);
    }

    public LockInfo holder() {
        return holder;
    }
}
