package dev.infra.providers.state;

import dev.infra.core.state.Journal;
import dev.infra.core.state.Json;
import dev.infra.core.state.LockInfo;
import dev.infra.core.state.State;
import dev.infra.core.state.StateBackend;
import dev.infra.core.state.StateBackendException;
import dev.infra.core.state.StateLockedException;
import dev.infra.core.topology.Backend;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * State in {@code s3://<bucket>/<prefix>/<stack>/<region>.json}, for teams. The bucket is the user's and must be
 * versioned and encrypted by default (checked on first use, never changed): S3 versioning keeps every earlier state,
 * which is the backup the local backend keeps as {@code .backup}. The lock is an object beside the state taken with
 * an S3 conditional write and, when {@code lockTable} is given, also an item of that DynamoDB table, taken second:
 * so a user whose configuration has a lock table and one whose has none still exclude each other. A second operation
 * fails at once naming the holder. Lineage and serial behave as with the local backend.
 *
 * <p>The state is never overwritten blindly: each write is an S3 conditional write against the version this backend
 * last read or wrote (If-Match its ETag; If-None-Match: * when it found none), so a write made meanwhile by anyone
 * else (a process without the lock, or one whose lock was removed with --force) is not lost: this write fails,
 * naming the state, and nothing is overwritten.
 */
public final class S3Backend implements StateBackend {

    static final String LOCK_SUFFIX = ".tflock";
    static final Duration UPLOAD_INTERVAL = Duration.ofSeconds(5);

    private final StateBucket bucket;
    private final String key;
    /** Taken in this order, released in the reverse. */
    private final List<RemoteLock> locks;
    /** The ETag of the state as this backend last read or wrote it; null when it found none (or has not read yet). */
    private String eTag;

    private S3Backend(StateBucket bucket, String key, List<RemoteLock> locks) {
        this.bucket = bucket;
        this.key = key;
        this.locks = locks;
    }

    /**
     * The backend of {@code stack} in {@code region} as {@code config} describes it.
     *
     * @param clients clients in the bucket's region ({@code config.region()})
     */
    public static S3Backend of(AwsClients clients, Backend.S3 config, String stack, String region) {
        StateBucket bucket = new StateBucket(clients.s3(), config.bucket(), config.region());
        String key = key(config.prefix(), stack, region);
        String name = bucket.url(key);
        RemoteLock object = new S3ObjectLock(bucket, key + LOCK_SUFFIX, name);
        return new S3Backend(bucket, key, config.lockTable() == null ? List.of(object) : List.of(object,
                new DynamoDbLock(clients.client(DynamoDbClient.class, DynamoDbClient::builder), config.lockTable(),
                        config.bucket() + "/" + key, name)));
    }

    static String key(String prefix, String stack, String region) {
        String file = stack + "/" + region + ".json";
        return prefix == null || prefix.isEmpty() ? file : prefix + "/" + file;
    }

    @Override
    public String describe() {
        return bucket.url(key);
    }

    @Override
    public synchronized Optional<State> read() {
        Optional<StateBucket.Stored> stored = bucket.get(key);
        eTag = stored.map(StateBucket.Stored::eTag).orElse(null);
        return stored.map(s -> {
            try {
                return Json.MAPPER.readValue(s.text(), State.class);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read state " + describe() + ": " + e.getMessage(), e);
            }
        });
    }

    /** Only over the version read or written last: a state changed meanwhile by someone else fails the write. */
    @Override
    public synchronized void write(State state) {
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state " + describe() + ": " + e.getMessage(), e);
        }
        try {
            eTag = bucket.put(key, body, eTag).eTag();
        } catch (AwsCallException e) {
            if (e.statusCode() != 412 && e.statusCode() != 404 && e.statusCode() != 409) {
                throw e;
            }
            throw new StateBackendException("the state " + describe() + " changed since this run read it (written by"
                    + " another process: one without the lock, or one whose lock was removed with 'state unlock"
                    + " --force'), so it was not overwritten and this change is not recorded; what AWS holds is"
                    + " adopted by its tags on the next run. Run the command again", e);
        }
    }

    /**
     * An apply's changes stay in the process; the whole state is uploaded at most every {@link #UPLOAD_INTERVAL} and at
     * the end ({@link Journal#throttled}), not once per change. A killed apply loses from the state at most the last
     * interval's changes; the next plan adopts what they made by its {@code infra:address} tag, and a create looks for
     * what an earlier one made before it creates.
     */
    @Override
    public Journal journal(State base) {
        return Journal.throttled(this, UPLOAD_INTERVAL);
    }

    @Override
    public Lock lock(String operation) {
        LockInfo info = LockInfo.forThisProcess(operation);
        Deque<Taken> taken = new ArrayDeque<>();
        try {
            for (RemoteLock lock : locks) {
                taken.push(new Taken(lock, lock.acquire(info)));
            }
        } catch (RuntimeException e) {
            release(taken);
            throw e;
        }
        return () -> release(taken);
    }

    /** One of a lock's parts, as taken. */
    private record Taken(RemoteLock lock, RemoteLock.Held held) {}

    /** Releases what was taken, last first; each part is removed only while it is still ours. */
    private void release(Deque<Taken> taken) {
        RuntimeException failed = null;
        for (Taken t : taken) {
            try {
                t.lock().delete(t.held());
            } catch (RuntimeException e) {
                failed = new StateBackendException("could not release the lock (" + t.lock().describe() + "): "
                        + e.getMessage() + "; once no infra process works on " + describe() + ", run 'infra state"
                        + " unlock'", e);
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /**
     * Only a holder on this host can be checked (its pid); one elsewhere, or a record infra cannot read, is removed
     * only with {@code force}. With both lock kinds, each part is judged and removed on its own terms.
     */
    @Override
    public Optional<Unlocked> unlock(boolean force) {
        List<Taken> found = new ArrayList<>();
        locks.forEach(lock -> lock.read().ifPresent(h -> found.add(new Taken(lock, h))));
        for (Taken t : found) {
            LockInfo.Liveness liveness = t.held().holder().liveness();
            if (liveness == LockInfo.Liveness.RUNNING || liveness == LockInfo.Liveness.ELSEWHERE && !force) {
                throw StateLockedException.notRemoved(describe(), t.held().holder(), liveness);
            }
        }
        for (Taken t : found) {
            // Not removed and still there: another operation took the lock since it was read.
            if (!t.lock().delete(t.held()) && t.lock().read().isPresent()) {
                throw StateLockedException.changed(describe(), t.held().holder());
            }
        }
        boolean forced = found.stream().anyMatch(t -> t.held().holder().liveness() == LockInfo.Liveness.ELSEWHERE);
        return found.stream().findFirst().map(t -> new Unlocked(t.held().holder(), forced));
    }
}
