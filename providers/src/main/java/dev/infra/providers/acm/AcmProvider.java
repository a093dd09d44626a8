package dev.infra.providers.acm;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.ResourceType;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.ProviderSupport;
import java.util.Optional;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.CertificateDetail;

/**
 * What the ACM types share: the region's client, ResourceNotFoundException meaning "gone" (ACM's codes do not end in
 * NotFound), and DescribeCertificate of one certificate.
 */
public abstract class AcmProvider extends AwsResourceProvider {

    static final String NOT_FOUND = "ResourceNotFoundException";

    protected AcmProvider(AwsClients clients, ResourceType entry) {
        super(clients, entry);
    }

    protected final AcmClient acm() {
        return clients().acm();
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return NOT_FOUND.equals(e.code()) || super.isGone(e);
    }

    /** The certificate as DescribeCertificate reports it; empty when it is gone. */
    final Optional<CertificateDetail> describe(String arn) {
        return ProviderSupport.unless(this::isGone, () -> Optional.of(call("DescribeCertificate",
                () -> acm().describeCertificate(b -> b.certificateArn(arn))).certificate()));
    }
}
