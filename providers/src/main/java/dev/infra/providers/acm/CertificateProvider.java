package dev.infra.providers.acm;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.CertificateDetail;
import software.amazon.awssdk.services.acm.model.DomainValidation;
import software.amazon.awssdk.services.acm.model.ResourceRecord;
import software.amazon.awssdk.services.acm.model.Tag;

/**
 * {@code aws_acm_certificate}: a public certificate ACM issues, validated by DNS. domainName F, subjectAlternativeNames F
 * *set* (the names besides domainName: DescribeCertificate lists domainName among them too, and it is left out when read
 * back), validationMethod F ("DNS"), tags; computed arn, status, and the DNS record ACM asks for to validate domainName:
 * validationRecordName, validationRecordType, validationRecordValue. Id: the certificate ARN.
 *
 * <p>RequestCertificate takes the tags and an IdempotencyToken new to each create (32 random hex digits): ACM issues only
 * one certificate for calls with the same token within one hour, so a repeat of a request that took effect gets the
 * same certificate, while a later create (a replacement, or after a delete) never gets back an earlier one. A request
 * that may have run is still not repeated blindly ({@link #createOnce}): the certificate is looked up by its tags
 * first. Create then
 * waits until DescribeCertificate shows the validation record (ACM adds it a few seconds after the request), not until
 * the certificate is issued: that is {@code aws_acm_certificate_validation}'s wait, once the record is in DNS.
 * ACM lists have no tag filter: readAll and findExisting ask the Resource Groups Tagging API (type {@code acm}), then
 * DescribeCertificate each certificate found. Update = tags (AddTagsToCertificate / RemoveTagsFromCertificate). Delete =
 * DeleteCertificate, retried while ACM answers ResourceInUseException (a load balancer listener that was just deleted
 * still holds it for a while), then waited until DescribeCertificate no longer finds it.
 */
public final class CertificateProvider extends AcmProvider {

    public static final String TYPE = "aws_acm_certificate";
    static final String DOMAIN_NAME = "domainName";
    static final String SUBJECT_ALTERNATIVE_NAMES = "subjectAlternativeNames";
    static final String VALIDATION_METHOD = "validationMethod";
    static final String ARN = "arn";
    static final String STATUS = "status";
    static final String VALIDATION_RECORD_NAME = "validationRecordName";
    static final String VALIDATION_RECORD_TYPE = "validationRecordType";
    static final String VALIDATION_RECORD_VALUE = "validationRecordValue";
    static final String DNS = "DNS";
    /** The Tagging API's resource type of ACM certificates. */
    static final String TAGGED_AS = "acm";
    /** ACM adds the validation record within seconds of the request; a bound in case it does not. */
    static final Duration RECORD_TIMEOUT = Duration.ofMinutes(5);
    static final Duration RECORD_INTERVAL = Duration.ofSeconds(2);
    /** How long a delete is tried again while the certificate is still in use (a listener just deleted). */
    static final Duration IN_USE_TIMEOUT = Duration.ofMinutes(10);
    static final Duration IN_USE_INTERVAL = Duration.ofSeconds(10);
    static final String IN_USE = "ResourceInUseException";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(DOMAIN_NAME, Kind.STRING),
            Attribute.required(SUBJECT_ALTERNATIVE_NAMES, Kind.SET),
            Attribute.required(VALIDATION_METHOD, Kind.STRING).rule(Rule.OneOf.of("validation method", "DNS")),
            Attribute.computed(ARN, Kind.STRING),
            Attribute.computed(STATUS, Kind.STRING),
            Attribute.computed(VALIDATION_RECORD_NAME, Kind.STRING),
            Attribute.computed(VALIDATION_RECORD_TYPE, Kind.STRING),
            Attribute.computed(VALIDATION_RECORD_VALUE, Kind.STRING))
            .with(Trait.TAGGED)
            .id("certificate ARN")
            .notes("Tags (sent with RequestCertificate); status (PENDING_VALIDATION, ISSUED…), validationRecordType (CNAME), validationRecordValue: the record ACM asks for to validate domainName (DescribeCertificate DomainValidationOptions[].ResourceRecord; a SAN `*.<domainName>` shares it, other SANs have their own records, not reported). create = RequestCertificate with an IdempotencyToken new to each create (an SDK retry within the hour gets the same certificate; a later create never gets an old one), then waits (5 min) until the record is reported, not until ISSUED. readAll/findExisting: Resource Groups Tagging API (type `acm`) by stack (and address; findExisting also requires the spec's domainName) + one DescribeCertificate each; update = tags (AddTagsToCertificate/RemoveTagsFromCertificate); delete = DeleteCertificate, retried for 10 min on ResourceInUseException (a listener just deleted), waited until gone");

    public CertificateProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        return readTagged(taggedResources(TAGGED_AS, Map.of(STACK_TAG, stack)));
    }

    /** Certificates of the state no longer tagged with the stack: DescribeCertificate + ListTagsForCertificate each. */
    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::read);
    }

    /**
     * The certificate tagged with this stack and address whose domain name is the spec's (a replacement for another
     * domain name is a new certificate, not the old one adopted); the lowest ARN wins a tie.
     */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String domainName = SpecValues.string(spec, DOMAIN_NAME);
        return readTagged(taggedResources(TAGGED_AS, Map.of(STACK_TAG, stack, ADDRESS_TAG, spec.address()))).stream()
                .filter(r -> domainName.equalsIgnoreCase(String.valueOf(r.attributes().get(DOMAIN_NAME))))
                .min((a, b) -> a.id().compareTo(b.id()));
    }

    private List<LiveResource> readTagged(Map<String, Map<String, String>> tagsByArn) {
        List<LiveResource> out = new ArrayList<>();
        tagsByArn.forEach((arn, tags) -> describe(arn).ifPresent(c -> out.add(toLive(c, tags))));
        return out;
    }

    private Optional<LiveResource> read(String arn) {
        return describe(arn).map(c -> toLive(c, tagsOf(arn)));
    }

    private Map<String, String> tagsOf(String arn) {
        Map<String, String> out = new TreeMap<>();
        call("ListTagsForCertificate", () -> acm().listTagsForCertificate(b -> b.certificateArn(arn))).tags()
                .forEach(t -> out.put(t.key(), t.value() == null ? "" : t.value()));
        return out;
    }

    private LiveResource toLive(CertificateDetail c, Map<String, String> tags) {
        Map<String, Object> a = new TreeMap<>();
        a.put(ARN, c.certificateArn());
        a.put(DOMAIN_NAME, c.domainName());
        a.put(SUBJECT_ALTERNATIVE_NAMES, c.subjectAlternativeNames().stream()
                .filter(n -> !n.equalsIgnoreCase(c.domainName())).sorted().toList());
        putIfPresent(a, STATUS, c.statusAsString());
        Optional<DomainValidation> own = validationOf(c);
        own.ifPresent(v -> putIfPresent(a, VALIDATION_METHOD, v.validationMethodAsString()));
        own.map(DomainValidation::resourceRecord).ifPresent(r -> {
            putIfPresent(a, VALIDATION_RECORD_NAME, r.name());
            putIfPresent(a, VALIDATION_RECORD_TYPE, r.typeAsString());
            putIfPresent(a, VALIDATION_RECORD_VALUE, r.value());
        });
        return live(c.certificateArn(), tags, a);
    }

    /** The validation of the certificate's domain name (the record that validates it; SANs have their own). */
    private static Optional<DomainValidation> validationOf(CertificateDetail c) {
        return c.domainValidationOptions().stream()
                .filter(v -> v.domainName() != null && v.domainName().equalsIgnoreCase(c.domainName()))
                .findFirst();
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        List<String> sans = SpecValues.strings(spec, SUBJECT_ALTERNATIVE_NAMES);
        String token = UUID.randomUUID().toString().replace("-", "");
        List<Tag> tags = acmTags(spec.tags());
        String stack = spec.tags().get(STACK_TAG);
        String arn = createOnce(ctx, spec.address(), () -> call("RequestCertificate", () -> clients()
                        .forCreates(AcmClient.class, AcmClient::builder).requestCertificate(b -> b
                                .domainName(SpecValues.string(spec, DOMAIN_NAME))
                                .subjectAlternativeNames(sans.isEmpty() ? null : sans)
                                .validationMethod(SpecValues.optionalString(spec, VALIDATION_METHOD))
                                .idempotencyToken(token)
                                .tags(tags))).certificateArn(),
                () -> stack == null ? Optional.empty() : find(stack, spec).map(LiveResource::id), e -> false);
        return ctx.await("the DNS validation record of " + arn, RECORD_TIMEOUT, RECORD_INTERVAL, () -> {
            Optional<CertificateDetail> c = describe(arn);
            if (c.isEmpty()) {
                return Optional.empty(); // not readable yet
            }
            Optional<DomainValidation> v = validationOf(c.get());
            boolean dns = v.map(d -> DNS.equals(d.validationMethodAsString())).orElse(false);
            ResourceRecord record = v.map(DomainValidation::resourceRecord).orElse(null);
            if (dns && record == null) {
                return Optional.empty();
            }
            return Optional.of(toLive(c.get(), spec.tags()));
        });
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String arn = current.id();
        updateTags(current, spec, changed,
                put -> call("AddTagsToCertificate", () -> acm().addTagsToCertificate(b -> b.certificateArn(arn)
                        .tags(acmTags(put)))),
                remove -> call("RemoveTagsFromCertificate", () -> acm().removeTagsFromCertificate(b -> b
                        .certificateArn(arn).tags(remove.stream().map(k -> Tag.builder().key(k)
                                .value(tags(current).get(k)).build()).toList()))));
        return readNow(spec, arn, this::read);
    }

    private static List<Tag> acmTags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String arn = current.id();
        retrying(ctx, "DeleteCertificate " + arn + " (in use)", IN_USE_TIMEOUT, IN_USE_INTERVAL,
                e -> IN_USE.equals(e.code()),
                () -> call("DeleteCertificate", () -> acm().deleteCertificate(b -> b.certificateArn(arn))));
        awaitGone(ctx, "certificate " + arn, () -> describe(arn));
    }
}
