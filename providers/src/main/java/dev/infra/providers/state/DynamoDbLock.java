package dev.infra.providers.state;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.state.LockInfo;
import dev.infra.core.state.StateBackendException;
import dev.infra.core.state.StateLockedException;
import dev.infra.providers.AwsCallException;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The lock as an item of the user's table (partition key {@code LockID}, a String), the layout Terraform's S3
 * backend uses: {@code LockID = <bucket>/<key>}, {@code Info} = the holder as JSON. Taken by a PutItem that exists
 * only if no item has that LockID; the refused PutItem returns the holder's item in the same call. Removed by a
 * DeleteItem conditional on the holder's Info, so a lock someone else took meanwhile stays.
 */
final class DynamoDbLock implements RemoteLock {

    static final String LOCK_ID = "LockID";
    static final String INFO = "Info";

    private final DynamoDbClient dynamo;
    private final String table;
    private final String lockId;
    private final String stateName;

    DynamoDbLock(DynamoDbClient dynamo, String table, String lockId, String stateName) {
        this.dynamo = dynamo;
        this.table = table;
        this.lockId = lockId;
        this.stateName = stateName;
    }

    @Override
    public Held acquire(LockInfo info) {
        String text = info.toJson();
        try {
            call("PutItem " + table, () -> dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(LOCK_ID, s(lockId), INFO, s(text)))
                    .conditionExpression("attribute_not_exists(" + LOCK_ID + ")")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        } catch (AwsCallException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException refused) {
                LockInfo holder = held(refused.item()).map(Held::holder).orElseGet(LockInfo::unknown);
                if (!holder.id().equals(info.id())) {
                    throw StateLockedException.held(stateName, holder, holder.liveness());
                }
                // our own first attempt took the lock, and its answer was lost
            } else {
                throw missingTable(e);
            }
        }
        return new Held(info, text);
    }

    @Override
    public Optional<Held> read() {
        try {
            return held(call("GetItem " + table, () -> dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of(LOCK_ID, s(lockId))))).item());
        } catch (AwsCallException e) {
            throw missingTable(e);
        }
    }

    @Override
    public boolean delete(Held held) {
        try {
            // Conditional on the holder's record as stored (it carries the lock id): never someone else's lock.
            DeleteItemRequest.Builder b = DeleteItemRequest.builder().tableName(table).key(Map.of(LOCK_ID, s(lockId)));
            if (held.version() == null) {
                b.conditionExpression("attribute_exists(" + LOCK_ID + ") AND attribute_not_exists(" + INFO + ")");
            } else {
                b.conditionExpression(INFO + " = :info").expressionAttributeValues(Map.of(":info", s(held.version())));
            }
            DeleteItemRequest request = b.build();
            call("DeleteItem " + table, () -> dynamo.deleteItem(request));
            return true;
        } catch (AwsCallException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException) {
                return false;
            }
            throw missingTable(e);
        }
    }

    @Override
    public String describe() {
        return "item " + lockId + " of DynamoDB table " + table;
    }

    /** The lock an item holds; empty for no item. A record infra cannot read is an unknown holder's. */
    private static Optional<Held> held(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue info = item.get(INFO);
        String text = info == null ? null : info.s();
        return Optional.of(new Held(LockInfo.parse(text).orElseGet(LockInfo::unknown), text));
    }

    private RuntimeException missingTable(AwsCallException e) {
        if ("ResourceNotFoundException".equals(e.code())) {
            return new StateBackendException("the lock table " + table + " does not exist: create it with the partition"
                    + " key " + LOCK_ID + " (String), or leave out lockTable to lock with an S3 conditional write", e);
        }
        return e;
    }

    private static AttributeValue s(String value) {
        return AttributeValue.builder().s(value).build();
    }
}
