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
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * The lock as an item of the user's table (partition key {@code LockID}, a String), the layout Terraform's S3
 * backend uses: {@code LockID = <bucket>/<key>}, {@code Info} = the holder as JSON. Taken by a PutItem that exists
 * only if no item has that LockID; the refused PutItem returns the holder's item in the same call.
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
    public void acquire(LockInfo info) {
        try {
            call("PutItem " + table, () -> dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(LOCK_ID, s(lockId), INFO, s(info.toJson())))
                    .conditionExpression("attribute_not_exists(" + LOCK_ID + ")")
                    .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)));
        } catch (AwsCallException e) {
            if (e.getCause() instanceof ConditionalCheckFailedException refused) {
                LockInfo holder = holder(refused.item());
                if (!holder.id().equals(info.id())) {
                    throw new StateLockedException(stateName, holder);
                }
                return; // our own first attempt took the lock, and its answer was lost
            }
            throw missingTable(e);
        }
    }

    @Override
    public void release(LockInfo info) {
        try {
            call("DeleteItem " + table, () -> dynamo.deleteItem(b -> b.tableName(table).key(Map.of(LOCK_ID, s(lockId)))
                    .conditionExpression(INFO + " = :info")
                    .expressionAttributeValues(Map.of(":info", s(info.toJson())))));
        } catch (AwsCallException e) {
            if (!(e.getCause() instanceof ConditionalCheckFailedException)) {
                throw e;
            }
            // Someone force-unlocked us (and may hold it now): the item is not ours to delete.
        }
    }

    @Override
    public Optional<LockInfo> forceRelease() {
        try {
            // ALL_OLD: the item deleted, read in the same atomic call, so the holder named is the one removed.
            Map<String, AttributeValue> old = call("DeleteItem " + table, () -> dynamo.deleteItem(b -> b.tableName(table)
                    .key(Map.of(LOCK_ID, s(lockId))).returnValues(ReturnValue.ALL_OLD))).attributes();
            return old == null || old.isEmpty() ? Optional.empty() : Optional.of(holder(old));
        } catch (AwsCallException e) {
            throw missingTable(e);
        }
    }

    @Override
    public String describe() {
        return "item " + lockId + " of DynamoDB table " + table;
    }

    private static LockInfo holder(Map<String, AttributeValue> item) {
        AttributeValue info = item == null ? null : item.get(INFO);
        return LockInfo.parse(info == null ? null : info.s()).orElseGet(LockInfo::unknown);
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
