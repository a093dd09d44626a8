package dev.infra.providers.dynamodb;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.ProviderSupport;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * What the DynamoDB providers share: the client of a region's {@link AwsClients}, DynamoDB's NotFound codes and
 * DescribeTable as "the table, or empty when DynamoDB does not know it". A table and its replicas are read the same
 * way, each in its own region.
 */
final class DynamoTables {

    private DynamoTables() {}

    static DynamoDbClient client(AwsClients clients) {
        return clients.client(DynamoDbClient.class, DynamoDbClient::builder);
    }

    /** ResourceNotFoundException from the table calls, TableNotFoundException from the backup ones. */
    static boolean isGone(AwsCallException e) {
        return "ResourceNotFoundException".equals(e.code()) || "TableNotFoundException".equals(e.code())
                || e.isNotFound();
    }

    /** Whether point-in-time recovery is on for the table (DescribeContinuousBackups): per table, replicas included. */
    static boolean pointInTimeRecovery(DynamoDbClient dynamo, String name) {
        return call("DescribeContinuousBackups", () -> dynamo.describeContinuousBackups(b -> b.tableName(name)))
                .continuousBackupsDescription().pointInTimeRecoveryDescription().pointInTimeRecoveryStatus()
                == PointInTimeRecoveryStatus.ENABLED;
    }

    /** UpdateContinuousBackups; a table just made answers ContinuousBackupsUnavailableException for a while. */
    static void setPointInTimeRecovery(DynamoDbClient dynamo, String name, boolean enabled) {
        call("UpdateContinuousBackups", () -> dynamo.updateContinuousBackups(b -> b.tableName(name)
                .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(enabled))));
    }

    /** The table {@code name} in whatever status; empty when DynamoDB does not know it. */
    static Optional<TableDescription> describe(DynamoDbClient dynamo, String name) {
        return ProviderSupport.unless(DynamoTables::isGone,
                () -> Optional.of(call("DescribeTable", () -> dynamo.describeTable(b -> b.tableName(name))).table()));
    }
}
