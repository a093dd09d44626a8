package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.acm.AcmClient;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.GetHostedZoneResponse;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.TagResourceType;

/**
 * {@code dns.zoneId}: the company's public zone, made beforehand by a raw call (its own comment and tags), is used by
 * the stack: a wrong id fails the plan at the dns block's line; the apply puts the stack's records in it (the
 * certificate validates there, www aliases the load balancer) without changing its comment, tags or name servers,
 * and `infra output dns_name_servers` gives its name servers; another zoneId after that is refused at the dns block's
 * line; destroy takes the stack's records out and leaves the zone, its plan saying so (forgotten, not destroyed).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdoptedZoneIT {

    static final String REGION = "sa-east-1";
    static final String ZONE = "adopted.example.org";

    @TempDir
    static Path dir;

    static AwsClients aws;
    static String zoneId;
    static List<String> nameServers;

    static final String TOPOLOGY = """
            stack: adopt
            region: %s
            network: {cidr: 10.41.0.0/16, zones: 2, natGateways: single}
            encryption: {key: {rotation: true}}
            clusters:
              apps:
                addons: false
                nodeGroups:
                  general: {min: 1, max: 2}
            loadBalancers:
              public:
                scheme: internet-facing
                target: clusters.apps
                domain: www.%s
            firewall: {rateLimit: 2000}
            dns:
              zone: %s
              zoneId: %s
              records:
                - {name: www, target: loadBalancers.public}
            """;

    @BeforeAll
    static void start() {
        aws = Emulator.clients(REGION);
        var made = route53().createHostedZone(b -> b.name(ZONE).callerReference("company-" + System.nanoTime())
                .hostedZoneConfig(c -> c.comment("the company's zone")));
        zoneId = made.hostedZone().id().replace("/hostedzone/", "");
        nameServers = made.delegationSet().nameServers();
        route53().changeTagsForResource(b -> b.resourceType(TagResourceType.HOSTEDZONE).resourceId(zoneId)
                .addTags(t -> t.key("owner").value("dns-team")));
    }

    @AfterAll
    static void stop() {
        route53().deleteHostedZone(b -> b.id(zoneId));
        aws.close();
    }

    static Route53Client route53() {
        return aws.route53();
    }

    static void write(String id) throws IOException {
        Files.writeString(dir.resolve("infra.yaml"), TOPOLOGY.formatted(REGION, ZONE, ZONE, id));
    }

    static Cli.Result infra(String... args) {
        return Cli.inDir(dir, args);
    }

    static List<ResourceRecordSet> records() {
        return route53().listResourceRecordSets(b -> b.hostedZoneId(zoneId)).resourceRecordSets();
    }

    /** The zone as its owner left it: comment, tags and name servers. */
    static void assertUnchanged() {
        GetHostedZoneResponse z = route53().getHostedZone(b -> b.id(zoneId));
        assertThat(z.hostedZone().config().comment()).isEqualTo("the company's zone");
        assertThat(z.delegationSet().nameServers()).isEqualTo(nameServers);
        Map<String, String> tags = new TreeMap<>();
        route53().listTagsForResource(b -> b.resourceType(TagResourceType.HOSTEDZONE).resourceId(zoneId))
                .resourceTagSet().tags().forEach(t -> tags.put(t.key(), t.value()));
        assertThat(tags).containsExactly(Map.entry("owner", "dns-team"));
    }

    @Test
    @Order(1)
    void aZoneIdTheAccountDoesNotHaveFailsThePlanAtTheDnsBlock() throws IOException {
        write("ZNOSUCHZONE0000");
        Cli.Result r = infra("apply", "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains(dir.resolve("infra.yaml") + ":17:3: error: dns/zone: dns.zoneId ZNOSUCHZONE0000:"
                + " the account has no hosted zone with this id");
        assertThat(aws.ec2().describeVpcs(b -> b.filters(Filter.builder().name("tag:infra:stack").values("adopt")
                .build())).vpcs()).isEmpty();
    }

    @Test
    @Order(2)
    void theApplyPutsTheStacksRecordsInTheZoneAndChangesNothingElseOfIt() throws IOException {
        write(zoneId);
        Cli.Result r = infra("apply", "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("the topology names it: the stack uses it as it is and destroy leaves it")
                .contains("= dns/zone (aws_route53_zone) " + zoneId);

        String lbDns = aws.elbv2().describeLoadBalancers(b -> b.names("adopt-public")).loadBalancers().get(0).dnsName();
        assertThat(records()).filteredOn(s -> s.name().equals("www." + ZONE + ".") && s.typeAsString().equals("A"))
                .singleElement().satisfies(s -> assertThat(s.aliasTarget().dnsName()).contains(lbDns.toLowerCase()));
        // The certificate was validated by its CNAME in this zone.
        AcmClient acm = aws.client(AcmClient.class, AcmClient::builder);
        assertThat(acm.listCertificates().certificateSummaryList()).filteredOn(c -> c.domainName().equals("www." + ZONE))
                .singleElement().satisfies(c -> assertThat(c.statusAsString()).isEqualTo("ISSUED"));
        assertUnchanged();
        assertThat(infra("output", "dns_name_servers").out()).contains(nameServers.get(0));
    }

    @Test
    @Order(3)
    void aPlanHasNoChanges() {
        Cli.Result r = infra("plan", "--detailed-exitcode");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
    }

    @Test
    @Order(4)
    void anotherZoneIdAfterTheAdoptionIsRefusedAtTheDnsBlock() throws IOException {
        // A second public zone of the same name (Route 53 allows several): adopting it would move the stack's records
        // out of the zone the parent domain delegates to.
        String other = route53().createHostedZone(b -> b.name(ZONE).callerReference("other-" + System.nanoTime()))
                .hostedZone().id().replace("/hostedzone/", "");
        try {
            write(other);
            Cli.Result r = infra("plan");
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.err()).contains(dir.resolve("infra.yaml") + ":17:3: error: dns/zone: names " + other
                    + " to adopt, but the stack adopted " + zoneId + " (the state records it)");
        } finally {
            route53().deleteHostedZone(b -> b.id(other));
            write(zoneId);
        }
    }

    @Test
    @Order(5)
    void destroyTakesTheStacksRecordsOutAndLeavesTheZone() {
        Cli.Result r = infra("destroy", "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        // The plan says what it does: the zone is forgotten, not destroyed, and not counted as destroyed.
        assertThat(r.out()).contains(". dns/zone (aws_route53_zone) will be left in place (adopted: " + zoneId
                + ", the stack no longer manages it)  # destroy").containsPattern("to destroy, 1 to forget\\.")
                .doesNotContain("- dns/zone ").contains(" destroyed, 1 forgotten (left in place).");
        assertThat(records()).extracting(ResourceRecordSet::typeAsString).containsExactlyInAnyOrder("SOA", "NS");
        assertUnchanged();
        assertThat(aws.ec2().describeVpcs(b -> b.filters(Filter.builder().name("tag:infra:stack").values("adopt")
                .build())).vpcs()).isEmpty();
    }
}
