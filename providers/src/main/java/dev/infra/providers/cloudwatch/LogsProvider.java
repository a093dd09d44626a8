package dev.infra.providers.cloudwatch;

import dev.infra.core.catalogue.ResourceType;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;

/** What the CloudWatch Logs types share: the client, and ResourceNotFoundException meaning gone. */
abstract class LogsProvider extends AwsResourceProvider {

    protected LogsProvider(AwsClients clients, ResourceType entry) {
        super(clients, entry);
    }

    protected final CloudWatchLogsClient logs() {
        return client(clients());
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return notFound(e);
    }

    /** For the Logs types on another base ({@link LogsPutProvider}). */
    static CloudWatchLogsClient client(AwsClients clients) {
        return clients.client(CloudWatchLogsClient.class, CloudWatchLogsClient::builder);
    }

    static boolean notFound(AwsCallException e) {
        return "ResourceNotFoundException".equals(e.code()) || e.isNotFound();
    }
}
