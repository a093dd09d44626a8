package dev.infra.providers.state;

import dev.infra.core.state.Json;
import dev.infra.core.state.LockInfo;
import dev.infra.core.state.State;
import dev.infra.core.state.StateBackend;
import dev.infra.core.state.StateBackendException;
import dev.infra.core.topology.Backend;
import dev.infra.providers.AwsClients;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * State in {@code s3://<bucket>/<prefix>/<stack>/<region>.json}, for teams. The bucket is the user's and must be
 * versioned and encrypted by default (checked on first use, never changed): S3 versioning keeps every earlier state,
 * which is the backup the local backend keeps as {@code .backup}. The lock is an item of a DynamoDB table when
 * {@code lockTable} is given, else an object beside the state taken with an S3 conditional write; either way a
 * second operation fails at once naming the holder. Lineage and serial behave as with the local backend.
 */
public final class S3Backend implements StateBackend {

    static final String LOCK_SUFFIX = ".tflock";

    private final StateBucket bucket;
    private final String key;
    private final RemoteLock lock;

    private S3Backend(StateBucket bucket, String key, RemoteLock lock) {
        this.bucket = bucket;
        this.key = key;
        this.lock = lock;
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
        RemoteLock lock = config.lockTable() == null
                ? new S3ObjectLock(bucket, key + LOCK_SUFFIX, name)
                : new DynamoDbLock(clients.client(DynamoDbClient.class, DynamoDbClient::builder), config.lockTable(),
                        config.bucket() + "/" + key, name);
        return new S3Backend(bucket, key, lock);
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
    public Optional<State> read() {
        return bucket.get(key).map(text -> {
            try {
                return Json.MAPPER.readValue(text, State.class);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read state " + describe() + ": " + e.getMessage(), e);
            }
        });
    }

    @Override
    public void write(State state) {
        try {
            bucket.put(key, Json.MAPPER.writeValueAsBytes(state), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write state " + describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Lock lock(String operation) {
        LockInfo info = LockInfo.forThisProcess(operation);
        lock.acquire(info);
        return () -> {
            try {
                lock.release(info);
            } catch (RuntimeException e) {
                throw new StateBackendException("could not release the lock (" + lock.describe() + "): " + e.getMessage()
                        + "; once no infra process works on " + describe() + ", run 'infra state unlock'", e);
            }
        };
    }

    @Override
    public Optional<LockInfo> forceUnlock() {
        return lock.forceRelease();
    }
}
