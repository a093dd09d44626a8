package dev.infra.providers.state;

import dev.infra.core.state.LockInfo;
import dev.infra.core.state.StateLockedException;
import dev.infra.providers.AwsCallException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The lock as an object beside the state ({@code <key>.tflock}), taken by a PutObject with If-None-Match: * (S3
 * conditional writes): S3 writes it only if the key has no object and answers 412 otherwise. No table needed; the
 * IAM actions are those on the state (GetObject, PutObject, DeleteObject).
 */
final class S3ObjectLock implements RemoteLock {

    private final StateBucket bucket;
    private final String key;
    private final String stateName;

    S3ObjectLock(StateBucket bucket, String key, String stateName) {
        this.bucket = bucket;
        this.key = key;
        this.stateName = stateName;
    }

    @Override
    public void acquire(LockInfo info) {
        try {
            bucket.put(key, info.toJson().getBytes(StandardCharsets.UTF_8), true);
        } catch (AwsCallException e) {
            // 412: someone holds it. 409 ConditionalRequestConflict: another conditional write to it is in flight.
            if (e.statusCode() != 412 && e.statusCode() != 409) {
                throw e;
            }
            LockInfo holder = holder().orElseGet(LockInfo::unknown);
            if (!holder.id().equals(info.id())) {
                throw new StateLockedException(stateName, holder);
            }
            // our own first attempt took the lock, and its answer was lost
        }
    }

    @Override
    public void release(LockInfo info) {
        // S3 has no delete-if-content-matches for this, so read first: a lock someone force-removed and retook stays.
        if (holder().map(h -> h.id().equals(info.id())).orElse(false)) {
            bucket.delete(key);
        }
    }

    @Override
    public Optional<LockInfo> forceRelease() {
        Optional<String> lock = bucket.get(key);
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        bucket.delete(key);
        return Optional.of(LockInfo.parse(lock.get()).orElseGet(LockInfo::unknown));
    }

    @Override
    public String describe() {
        return bucket.url(key);
    }

    private Optional<LockInfo> holder() {
        return bucket.get(key).map(t -> LockInfo.parse(t).orElseGet(LockInfo::unknown));
    }
}
