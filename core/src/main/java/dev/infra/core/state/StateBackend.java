package dev.infra.core.state;

import java.util.Optional;

/** Where one stack+region's state lives, and its lock. */
public interface StateBackend {

    /** The state, or empty when the stack was never applied in this region. */
    Optional<State> read();

    /** Replaces the state atomically; the previous version is kept as a backup. */
    void write(State state);

    /** Takes the lock at once or fails with {@link StateLockedException} naming the holder. */
    Lock lock(String operation);

    /** Removes a lock left behind by a process that died; returns who held it. */
    Optional<LockInfo> forceUnlock();

    /** Human description for messages (a path or URL). */
    String describe();

    /** A held lock; closing it releases it. */
    interface Lock extends AutoCloseable {
        @Override
        void close();
    }
}
