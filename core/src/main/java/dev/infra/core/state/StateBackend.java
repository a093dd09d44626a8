package dev.infra.core.state;

import java.util.Optional;

/** Where one stack+region's state lives, and its lock. */
public interface StateBackend {

    /** The state, or empty when the stack was never applied in this region. */
    Optional<State> read();

    /** Replaces the state atomically; the previous version is kept as a backup. */
    void write(State state);

    /**
     * Where an apply's changes go as they happen, on top of {@code base} (what {@link #read} returned, or a new state).
     * By default every change stores the whole state.
     */
    default Journal journal(State base) {
        return Journal.wholeState(this);
    }

    /** Takes the lock at once or fails with {@link StateLockedException} naming the holder. */
    Lock lock(String operation);

    /**
     * Removes a lock whose holder is gone ({@code infra state unlock}); empty when the state was not locked. A lock
     * whose holder runs is never removed; one whose holder cannot be checked from here (another host) only with
     * {@code force}. Either refusal is a {@link StateLockedException} naming the holder.
     */
    Optional<Unlocked> unlock(boolean force);

    /** Human description for messages (a path or URL). */
    String describe();

    /** A held lock; closing it releases it. */
    interface Lock extends AutoCloseable {
        @Override
        void close();
    }

    /** A lock {@link #unlock} removed: whose it was, and whether only {@code force} allowed it (else it was stale). */
    record Unlocked(LockInfo holder, boolean forced) {}
}
