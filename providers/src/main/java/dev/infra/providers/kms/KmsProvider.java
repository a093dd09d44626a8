package dev.infra.providers.kms;

import dev.infra.core.catalogue.ResourceType;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import software.amazon.awssdk.services.kms.KmsClient;

/** What the KMS types share: the client, and KMS's NotFoundException meaning "gone". */
public abstract class KmsProvider extends AwsResourceProvider {

    /** KMS's error for an unknown key or alias. */
    static final String NOT_FOUND = "NotFoundException";

    protected KmsProvider(AwsClients clients, ResourceType entry) {
        super(clients, entry);
    }

    protected final KmsClient kms() {
        return clients().client(KmsClient.class, KmsClient::builder);
    }

    /** The KMS client for creates AWS does not de-duplicate: it retries only what AWS did not run. */
    protected final KmsClient kmsForCreates() {
        return clients().forCreates(KmsClient.class, KmsClient::builder);
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return NOT_FOUND.equals(e.code()) || e.isNotFound();
    }
}
