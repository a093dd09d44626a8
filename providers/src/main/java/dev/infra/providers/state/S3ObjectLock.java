package dev.infra.providers.state;

import dev.infra.core.state.LockInfo;
import dev.infra.core.state.StateLockedException;
import dev.infra.providers.AwsCallException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The lock as an object beside the state ({@code <key>.tflock}), taken by a PutObject with If-None-Match: * (S3
 * conditional writes): S3 writes it only if the key has no object and answers 412 otherwise. Removed by a
 * DeleteObject with If-Match: its ETag (S3 conditional deletes), so a lock someone else took meanwhile stays. No
 * table needed; the IAM actions are those on the state (GetObject, PutObject, DeleteObject).
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
    public Held acquire(LockInfo info) {
        try {
            return new Held(info, bucket.put(key, info.toJson().getBytes(StandardCharsets.UTF_8), null).eTag());
        } catch (AwsCallException e) {
            // 412: someone holds it. 409 ConditionalRequestConflict: another conditional write to it is in flight.
            if (e.statusCode() != 412 && e.statusCode() != 409) {
                throw e;
            }
            Optional<Held> now = read();
            LockInfo holder = now.map(Held::holder).orElseGet(LockInfo::unknown);
            if (!holder.id().equals(info.id())) {
                throw StateLockedException.held(stateName, holder, holder.liveness());
            }
            return now.get(); // our own first attempt took the lock, and its answer was lost
        }
    }

    @Override
    public Optional<Held> read() {
        return bucket.get(key).map(o -> new Held(LockInfo.parse(o.text()).orElseGet(LockInfo::unknown), o.eTag()));
    }

    @Override
    public boolean delete(Held held) {
        return bucket.deleteIfMatch(key, held.version());
    }

    @Override
    public String describe() {
        return bucket.url(key);
    }
}
