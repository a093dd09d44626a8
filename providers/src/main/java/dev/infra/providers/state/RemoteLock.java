package dev.infra.providers.state;

import dev.infra.core.state.LockInfo;
import dev.infra.core.state.StateLockedException;
import java.util.Optional;

/** How {@link S3Backend} locks a state: a DynamoDB item or an S3 object, each taken by a conditional write. */
interface RemoteLock {

    /**
     * A lock as it is stored: its holder, and the {@code version} a conditional delete names so that it removes this
     * lock and no later one (the S3 object's ETag; the DynamoDB item's Info text).
     */
    record Held(LockInfo holder, String version) {}

    /**
     * Records {@code info} as the holder if nobody holds the lock, else fails with {@link StateLockedException}
     * naming the holder. A holder with {@code info}'s id is us: a retried write whose first attempt took effect.
     */
    Held acquire(LockInfo info);

    /** The lock as stored now; empty when nobody holds it. */
    Optional<Held> read();

    /**
     * Removes the lock if it is still {@code held}, in one conditional call; false when it is gone or another holder's
     * (someone removed a stale lock and took it since), which then stays.
     */
    boolean delete(Held held);

    /** For messages: where the lock lives. */
    String describe();
}
