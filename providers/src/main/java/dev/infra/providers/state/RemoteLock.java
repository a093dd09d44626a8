package dev.infra.providers.state;

import dev.infra.core.state.LockInfo;
import dev.infra.core.state.StateLockedException;
import java.util.Optional;

/** How {@link S3Backend} locks a state: a DynamoDB item or an S3 object, each taken by a conditional write. */
interface RemoteLock {

    /**
     * Records {@code info} as the holder if nobody holds the lock, else fails with {@link StateLockedException}
     * naming the holder. A holder with {@code info}'s id is us: a retried write whose first attempt took effect.
     */
    void acquire(LockInfo info);

    /** Removes the lock if {@code info} still holds it; a lock someone force-removed and retook stays theirs. */
    void release(LockInfo info);

    /** Removes the lock whoever holds it; returns the holder, empty when it was not locked. */
    Optional<LockInfo> forceRelease();

    /** For messages: where the lock lives. */
    String describe();
}
