package dev.infra.providers.acm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.route53.HostedZoneProvider;
import dev.infra.providers.route53.ResourceRecordSetProvider;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.ProviderTestSupport;
import dev.infra.providers.testing.SleepingOperationContext;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.acm.model.CertificateDetail;
import software.amazon.awssdk.services.acm.model.CertificateStatus;
import software.amazon.awssdk.services.acm.model.DomainValidation;
import software.amazon.awssdk.services.acm.model.ResourceNotFoundException;
import software.amazon.awssdk.services.acm.model.ValidationMethod;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * ACM certificates validated by DNS in a Route 53 public zone, against the emulator (patched: a certificate is issued
 * once its validation CNAME is in a public zone, as ACM does, not after moto's timer). Region eu-west-3; zone names
 * carry the stack name (Route 53 is global).
 */
class CertificateIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "eu-west-3";
    }

    private AcmClient acm() {
        return clients.acm();
    }

    private String zoneName() {
        return stack + ".acm.example.test.";
    }

    private String domain() {
        return "app." + stack + ".acm.example.test";
    }

    private ResourceSpec certificateSpec(String address, Map<String, String> userTags) {
        return spec(address, CertificateProvider.TYPE, attributes("domainName", domain(),
                "subjectAlternativeNames", List.of("*." + domain()), "validationMethod", "DNS"), userTags);
    }

    private static ResourceSpec validationSpec(String address, String certificateArn) {
        return untaggedSpec(address, CertificateValidationProvider.TYPE, Map.of("certificateArn", certificateArn));
    }

    private CertificateDetail raw(String arn) {
        return acm().describeCertificate(b -> b.certificateArn(arn)).certificate();
    }

    private Map<String, String> rawTags(String arn) {
        Map<String, String> out = new TreeMap<>();
        acm().listTagsForCertificate(b -> b.certificateArn(arn)).tags().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private List<String> certificatesOf(String address) {
        return acm().listCertificatesPaginator(b -> { }).certificateSummaryList().stream()
                .map(s -> s.certificateArn())
                .filter(arn -> address.equals(rawTags(arn).get("infra:address")) && stack.equals(rawTags(arn).get("infra:stack")))
                .toList();
    }

    @Test
    void requestedValidatedByDnsInTheStackZoneAndDeleted() {
        HostedZoneProvider zones = new HostedZoneProvider(clients);
        LiveResource zone = zones.create(spec("dns/zone", HostedZoneProvider.TYPE, Map.of("name", zoneName()), Map.of()),
                ctx("dns/zone"));
        CertificateProvider certificates = new CertificateProvider(clients);
        // Public DNS does not answer for the test's zone (as where none is reachable): the wait is not cut short.
        CertificateValidationProvider validations = new CertificateValidationProvider(clients, name -> Optional.empty());
        String address = "edge/certificate.public";
        ResourceSpec spec = certificateSpec(address, Map.of("team", "web"));

        LiveResource created = certificates.create(spec, ctx(address));

        // ACM's answer: a DNS-validated certificate pending validation, with the CNAME the provider reports.
        CertificateDetail detail = raw(created.id());
        assertThat(created.id()).isEqualTo(detail.certificateArn()).startsWith("arn:aws:acm:eu-west-3:");
        assertThat(detail.status()).isEqualTo(CertificateStatus.PENDING_VALIDATION);
        assertThat(detail.domainName()).isEqualTo(domain());
        assertThat(detail.subjectAlternativeNames()).containsExactlyInAnyOrder(domain(), "*." + domain());
        DomainValidation own = detail.domainValidationOptions().stream()
                .filter(v -> v.domainName().equals(domain())).findFirst().orElseThrow();
        assertThat(own.validationMethod()).isEqualTo(ValidationMethod.DNS);
        assertThat(own.resourceRecord()).isNotNull();
        assertThat(created.attributes())
                .containsEntry("arn", created.id())
                .containsEntry("status", "PENDING_VALIDATION")
                .containsEntry("validationRecordName", own.resourceRecord().name())
                .containsEntry("validationRecordType", "CNAME")
                .containsEntry("validationRecordValue", own.resourceRecord().value());
        assertThat(rawTags(created.id())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);

        // Not issued while the record is not in DNS: the validation waits (here pretending time passes) and times out.
        assertThat(validations.findExisting(stack, validationSpec("edge/validation", created.id()))).isEmpty();
        assertThatThrownBy(() -> validations.create(validationSpec("edge/validation", created.id()),
                SleepingOperationContext.pretending("edge/validation")))
                .isInstanceOf(ProviderException.class).hasMessageContaining("ISSUED");
        assertThat(raw(created.id()).status()).isEqualTo(CertificateStatus.PENDING_VALIDATION);

        // The validation CNAME in the stack's public zone, as a plain record (TTL 300).
        ResourceRecordSetProvider records = new ResourceRecordSetProvider(clients);
        ResourceSpec recordSpec = untaggedSpec("edge/validation-record", ResourceRecordSetProvider.TYPE, Map.of(
                "zoneId", zone.id(), "name", created.attributes().get("validationRecordName"),
                "type", created.attributes().get("validationRecordType"),
                "values", List.of(created.attributes().get("validationRecordValue")), "ttl", 300L));
        LiveResource record = records.create(recordSpec, ctx("edge/validation-record"));
        ResourceRecordSet rawRecord = clients.route53().listResourceRecordSets(b -> b.hostedZoneId(zone.id()))
                .resourceRecordSets().stream().filter(s -> s.type() == RRType.CNAME).findFirst().orElseThrow();
        assertThat(rawRecord.name()).isEqualTo(own.resourceRecord().name());
        assertThat(rawRecord.ttl()).isEqualTo(300L);
        assertThat(rawRecord.resourceRecords()).singleElement()
                .satisfies(r -> assertThat(r.value()).isEqualTo(own.resourceRecord().value()));

        // The validation waits until ACM has issued the certificate.
        ResourceSpec validation = validationSpec("edge/validation", created.id());
        LiveResource validated = validations.create(validation, ctx("edge/validation"));
        assertThat(validated.id()).isEqualTo(created.id());
        assertThat(validated.attributes()).isEqualTo(Map.of("certificateArn", created.id()));
        assertThat(raw(created.id()).status()).isEqualTo(CertificateStatus.ISSUED);
        assertThat(validations.readAll(ReadRequest.of(stack, Set.of(created.id())))).containsExactly(validated);
        assertThat(validations.findExisting(stack, validation)).contains(validated);

        // readAll: one GetResources for the stack's certificates, one DescribeCertificate each.
        clients.counter().reset();
        List<LiveResource> all = certificates.readAll(ReadRequest.of(stack, Set.of(created.id())));
        assertThat(all).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(created.id());
            assertThat(r.attributes()).containsEntry("status", "ISSUED");
            assertMatchesSpec(r, spec);
        });
        assertThat(clients.counter().count("Acm", "DescribeCertificate")).isEqualTo(1);
        assertThat(clients.counter().total()).isEqualTo(2);
        assertThat(certificates.findExisting(stack, spec)).contains(all.get(0));
        // Another domain name under the same address is a replacement, not this certificate.
        ResourceSpec otherDomain = spec(address, CertificateProvider.TYPE, attributes("domainName", "other." + domain(),
                "validationMethod", "DNS"), Map.of("team", "web"));
        assertThat(certificates.findExisting(stack, otherDomain)).isEmpty();

        // Tags are the one thing updated in place.
        ResourceSpec retagged = certificateSpec(address, Map.of("env", "prod"));
        LiveResource updated = certificates.update(all.get(0), retagged, Set.of("tags"), ctx(address));
        assertThat(rawTags(created.id())).isEqualTo(retagged.tags()).doesNotContainKey("team");
        assertMatchesSpec(updated, retagged);

        // Delete: ACM refuses while a listener still uses the certificate (injected: the emulator never refuses);
        // the delete is tried again until it goes.
        try (AwsClients busy = Emulator.clients(region(),
                Faults.awsError("DeleteCertificate", 2, 400, "ResourceInUseException"))) {
            SleepingOperationContext deleting = SleepingOperationContext.pretending(address);
            new CertificateProvider(busy).delete(updated, deleting);
            assertThat(busy.counter().count("Acm", "DeleteCertificate")).isEqualTo(3);
            assertThat(deleting.sleeps()).isGreaterThanOrEqualTo(2);
        }
        assertThatThrownBy(() -> raw(created.id())).isInstanceOf(ResourceNotFoundException.class);
        assertThat(certificates.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        assertThat(certificates.findExisting(stack, retagged)).isEmpty();
        certificates.delete(updated, ctx(address)); // gone already: fine
        validations.delete(validated, ctx("edge/validation")); // nothing to call
        assertThat(validations.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();

        records.delete(record, ctx("edge/validation-record"));
        zones.delete(zone, ctx("dns/zone"));
    }

    /** A request whose answer was lost is not sent again: the certificate it made is found by its tags and adopted. */
    @Test
    void requestRetriedAfterALostAnswerMakesOneCertificate() {
        String address = "edge/certificate.retried";
        ResourceSpec spec = certificateSpec(address, Map.of());
        try (AwsClients lossy = Emulator.clients(region(), Faults.loseAnswer("RequestCertificate", 1))) {
            LiveResource created = new CertificateProvider(lossy).create(spec, ctx(address));

            assertThat(lossy.counter().count("Acm", "RequestCertificate")).isEqualTo(1);
            assertThat(certificatesOf(address)).containsExactly(created.id());
            new CertificateProvider(lossy).delete(created, ctx(address));
        }
        assertThat(certificatesOf(address)).isEmpty();
    }

    /** ACM says at once when a certificate will never be issued: the validation fails with its reason. */
    @Test
    void validationFailsAtOnceWhenAcmGivesUp() {
        String address = "edge/certificate.failed";
        LiveResource created = new CertificateProvider(clients).create(certificateSpec(address, Map.of()), ctx(address));
        try (AwsClients failing = Emulator.clients(region(), Faults.rewrite(
                software.amazon.awssdk.services.acm.model.DescribeCertificateResponse.class,
                r -> r.toBuilder().certificate(r.certificate().toBuilder().status(CertificateStatus.FAILED)
                        .failureReason("CAA_ERROR").build()).build()))) {
            SleepingOperationContext waiting = SleepingOperationContext.pretending("edge/validation");
            assertThatThrownBy(() -> new CertificateValidationProvider(failing)
                    .create(validationSpec("edge/validation", created.id()), waiting))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("FAILED").hasMessageContaining("CAA_ERROR");
            assertThat(waiting.sleeps()).isZero();
        }
        new CertificateProvider(clients).delete(created, ctx(address));
    }

    /**
     * A certificate still pending after five minutes (here: the validation record never written, and no time passes)
     * has its zone's delegation checked: public DNS (scripted) naming other name servers fails the wait then, naming
     * Route 53's; public DNS naming Route 53's, or not answering, leaves the wait to go on.
     */
    @Test
    void aZoneThatIsNotDelegatedFailsTheWaitEarlyNamingItsNameServers() {
        String zone = clients.route53().createHostedZone(b -> b.name(zoneName()).callerReference(stack + "-undelegated"))
                .hostedZone().id();
        List<String> route53 = clients.route53().getHostedZone(b -> b.id(zone)).delegationSet().nameServers();
        String address = "edge/certificate.undelegated";
        LiveResource created = new CertificateProvider(clients).create(certificateSpec(address, Map.of()), ctx(address));
        String parent = zoneName().substring(0, zoneName().length() - 1);

        SleepingOperationContext waiting = SleepingOperationContext.pretending("edge/validation");
        assertThatThrownBy(() -> new CertificateValidationProvider(clients,
                name -> Optional.of(name.equals(parent) ? List.of("ns1.registrar-parking.example.") : List.of()))
                .create(validationSpec("edge/validation", created.id()), waiting))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("the Route 53 zone " + parent + " is not delegated")
                .hasMessageContaining("ns1.registrar-parking.example")
                .hasMessageContaining(route53.get(0).replaceAll("\\.$", ""));
        // Checked once, after five minutes of 10 s polls, not at the first.
        assertThat(waiting.sleeps()).isEqualTo(29);

        for (CertificateValidationProvider unknown : List.of(
                new CertificateValidationProvider(clients, name -> Optional.of(route53)),
                new CertificateValidationProvider(clients, name -> Optional.empty()))) {
            assertThatThrownBy(() -> unknown.create(validationSpec("edge/validation", created.id()),
                    SleepingOperationContext.pretending("edge/validation")))
                    .isInstanceOf(ProviderException.class).hasMessageContaining("timed out")
                    .hasMessageNotContaining("not delegated");
        }
        new CertificateProvider(clients).delete(created, ctx(address));
        clients.route53().deleteHostedZone(b -> b.id(zone));
    }

    /**
     * The emulator patch (moto_launcher.patch_acm_dns_validation), raw calls only: a DNS-validated certificate stays
     * PENDING_VALIDATION while its CNAME is nowhere, or only in a private zone, and is ISSUED once the CNAME ACM asked
     * for is in a public zone answering for its name.
     */
    @Test
    void emulatorIssuesOnlyOnceTheCnameIsInAPublicZone() {
        var route53 = clients.route53();
        String arn = acm().requestCertificate(b -> b.domainName(domain()).validationMethod(ValidationMethod.DNS))
                .certificateArn();
        var record = raw(arn).domainValidationOptions().get(0).resourceRecord();
        assertThat(record.typeAsString()).isEqualTo("CNAME");
        assertThat(raw(arn).status()).isEqualTo(CertificateStatus.PENDING_VALIDATION);

        String vpc = clients.ec2().createVpc(b -> b.cidrBlock("10.9.0.0/16")).vpc().vpcId();
        String privateZone = route53.createHostedZone(b -> b.name(zoneName()).callerReference(stack + "-private")
                .vpc(v -> v.vpcId(vpc).vpcRegion(region())).hostedZoneConfig(c -> c.privateZone(true)))
                .hostedZone().id();
        java.util.function.Consumer<String> addCname = zone -> route53.changeResourceRecordSets(b -> b.hostedZoneId(zone)
                .changeBatch(c -> c.changes(ch -> ch.action(software.amazon.awssdk.services.route53.model.ChangeAction.CREATE)
                        .resourceRecordSet(r -> r.name(record.name()).type(RRType.CNAME).ttl(300L)
                                .resourceRecords(v -> v.value(record.value()))))));
        addCname.accept(privateZone);
        assertThat(raw(arn).status()).isEqualTo(CertificateStatus.PENDING_VALIDATION);

        String publicZone = route53.createHostedZone(b -> b.name(zoneName()).callerReference(stack + "-public"))
                .hostedZone().id();
        addCname.accept(publicZone);
        CertificateDetail issued = raw(arn);
        assertThat(issued.status()).isEqualTo(CertificateStatus.ISSUED);
        assertThat(issued.domainValidationOptions().get(0).validationStatusAsString()).isEqualTo("SUCCESS");

        acm().deleteCertificate(b -> b.certificateArn(arn));
        clients.ec2().deleteVpc(b -> b.vpcId(vpc));
    }
}
