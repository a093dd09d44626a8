package dev.infra.providers.cloudwatch;

import dev.infra.core.catalogue.ResourceType;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.PutResourceProvider;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** The CloudWatch Logs types whose create and update are one Put: {@link LogsProvider}'s client and NotFound codes. */
abstract class LogsPutProvider extends PutResourceProvider {

    protected LogsPutProvider(AwsClients clients, ResourceType entry) {
        super(clients, entry);
    }

    protected final CloudWatchLogsClient logs() {
        return LogsProvider.client(clients());
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return LogsProvider.notFound(e);
    }
}
