package dev.infra.providers.acm;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.acm.model.CertificateDetail;
import software.amazon.awssdk.services.acm.model.CertificateStatus;

/**
 * {@code aws_acm_certificate_validation}: the wait until a DNS-validated certificate is issued, as Terraform's resource of
 * that name. certificateArn F; no tags. Id: the certificate ARN. It calls nothing that changes AWS: create polls
 * DescribeCertificate (every {@link #INTERVAL}, up to {@link #TIMEOUT}, Terraform's default) until the certificate is
 * ISSUED, failing at once when ACM says it never will be (FAILED, VALIDATION_TIMED_OUT, REVOKED, with ACM's reason);
 * it exists while the certificate is ISSUED (readAll: one DescribeCertificate per id; findExisting: the spec's
 * certificate, if issued); delete has nothing to undo. A certificate still pending after {@link #DELEGATION_CHECK_AFTER}
 * has its zone's delegation checked once ({@link Delegation}): a public Route 53 zone that public DNS does not
 * delegate to fails the wait then, naming the name servers to delegate to, instead of after 75 minutes.
 */
public final class CertificateValidationProvider extends AcmProvider {

    public static final String TYPE = "aws_acm_certificate_validation";
    static final String CERTIFICATE_ARN = "certificateArn";
    /** Terraform's aws_acm_certificate_validation create timeout: DNS validation usually takes minutes, sometimes an hour. */
    static final Duration TIMEOUT = Duration.ofMinutes(75);
    static final Duration INTERVAL = Duration.ofSeconds(10);
    /** Statuses from which a certificate is never issued: a new certificate must be requested. */
    private static final Set<CertificateStatus> NEVER = Set.of(CertificateStatus.FAILED,
            CertificateStatus.VALIDATION_TIMED_OUT, CertificateStatus.REVOKED);

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(CERTIFICATE_ARN, Kind.REFERENCE))
            .id("certificate ARN")
            .notes("A wait, as Terraform's: create polls DescribeCertificate (10 s, up to 75 min) until ISSUED, failing at once on FAILED / VALIDATION_TIMED_OUT / REVOKED with ACM's FailureReason, and after 5 min still pending when public DNS delegates the domain's public Route 53 zone to other name servers (or none), naming the zone's own; exists while the certificate is ISSUED (readAll: one DescribeCertificate per id; findExisting: the spec's certificate if ISSUED); delete calls nothing");

    /**
     * How long a certificate may stay pending before the delegation of its zone is checked: DNS validation of a
     * delegated zone usually ends within minutes, so a check then costs nothing when all is well.
     */
    static final Duration DELEGATION_CHECK_AFTER = Duration.ofMinutes(5);

    private final Delegation.Resolver resolver;

    public CertificateValidationProvider(AwsClients clients) {
        this(clients, Delegation::publicNameServers);
    }

    /** With {@code resolver} for public DNS (tests script it). */
    CertificateValidationProvider(AwsClients clients, Delegation.Resolver resolver) {
        super(clients, ENTRY);
        this.resolver = resolver;
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::issued);
    }

    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return issued(SpecValues.string(spec, CERTIFICATE_ARN));
    }

    /** The validation, present while its certificate is ISSUED. */
    private Optional<LiveResource> issued(String arn) {
        return describe(arn).filter(c -> c.status() == CertificateStatus.ISSUED).map(this::toLive);
    }

    private LiveResource toLive(CertificateDetail c) {
        return live(c.certificateArn(), Map.of(), Map.of(CERTIFICATE_ARN, c.certificateArn()));
    }

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String arn = SpecValues.string(spec, CERTIFICATE_ARN);
        AtomicInteger polls = new AtomicInteger();
        long checkAt = DELEGATION_CHECK_AFTER.toSeconds() / INTERVAL.toSeconds();
        return ctx.await("certificate " + arn + " to be ISSUED", TIMEOUT, INTERVAL, () -> {
            CertificateDetail c = describe(arn).orElseThrow(() -> new ProviderException(spec.address(),
                    "certificate " + arn + " does not exist"));
            if (NEVER.contains(c.status())) {
                throw new ProviderException(spec.address(), "certificate " + arn + " is " + c.statusAsString()
                        + (c.failureReason() == null ? "" : " (" + c.failureReasonAsString() + ")")
                        + ": ACM will not issue it; a new certificate must be requested");
            }
            if (c.status() == CertificateStatus.ISSUED) {
                return Optional.of(toLive(c));
            }
            // Still pending after a while: an undelegated zone never validates, so say so now rather than in 75 min.
            if (polls.incrementAndGet() == checkAt) {
                Delegation.problem(clients(), c.domainName(), resolver).ifPresent(problem -> {
                    throw new ProviderException(spec.address(), "certificate " + arn + " for " + c.domainName()
                            + " cannot be validated: " + problem);
                });
            }
            return Optional.empty();
        });
    }

    /** Nothing is updatable: the certificate ARN forces a new validation. */
    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        return issued(current.id()).orElseThrow(() -> new ProviderException(spec.address(),
                "certificate " + current.id() + " is no longer issued"));
    }

    /** A wait leaves nothing behind: deleting it is forgetting it (the certificate is its own resource). */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
    }
}
