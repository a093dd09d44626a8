package dev.infra.providers.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.providers.testing.ProviderTestSupport;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * What DynamoDB refuses of UpdateTimeToLive, and the emulator with it (moto_launcher.py's
 * patch_dynamodb_update_time_to_live), through raw SDK calls: a second change within the hour (so a rename, disable
 * then enable, cannot be done at once), and a change to what already is.
 */
class TimeToLiveEmulatorIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "ap-south-1";
    }

    private DynamoDbClient dynamo() {
        return DynamoTables.client(clients);
    }

    private String table(String suffix) {
        String name = "ttl-" + stack + "-" + suffix;
        dynamo().createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(k -> k.attributeName("id").keyType(KeyType.HASH))
                .attributeDefinitions(d -> d.attributeName("id").attributeType("S")));
        return name;
    }

    private void ttl(String table, String attribute, boolean enabled) {
        dynamo().updateTimeToLive(b -> b.tableName(table).timeToLiveSpecification(s -> s.attributeName(attribute)
                .enabled(enabled)));
    }

    private TimeToLiveDescription described(String table) {
        return dynamo().describeTimeToLive(b -> b.tableName(table)).timeToLiveDescription();
    }

    private static void assertRefused(Runnable call, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(DynamoDbException.class, e -> {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationException");
            assertThat(e.awsErrorDetails().errorMessage()).isEqualTo(message);
        });
    }

    @Test
    void aSecondChangeWithinTheHourIsRefused() {
        String name = table("rename");
        ttl(name, "expiresAt", true);
        assertThat(described(name).timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        // A rename is a disable, then an enable: the disable is already one change too many.
        assertRefused(() -> ttl(name, "expiresAt", false),
                "Time to live has been modified multiple times within a fixed interval");
        assertRefused(() -> ttl(name, "validUntil", true),
                "Time to live has been modified multiple times within a fixed interval");
        assertThat(described(name).attributeName()).isEqualTo("expiresAt");
        assertThat(described(name).timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        dynamo().deleteTable(b -> b.tableName(name));
    }

    @Test
    void aChangeToWhatIsIsRefused() {
        String off = table("off");
        assertRefused(() -> ttl(off, "expiresAt", false), "TimeToLive is already disabled");
        // Refused calls change nothing: the first accepted one still may.
        ttl(off, "expiresAt", true);
        assertThat(described(off).timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
        dynamo().deleteTable(b -> b.tableName(off));
    }
}
