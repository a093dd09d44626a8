package dev.infra.providers.route53;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.ProviderTestSupport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.endpoints.AwsEndpointAttribute;
import software.amazon.awssdk.awscore.endpoints.authscheme.SigV4AuthScheme;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.endpoints.Route53EndpointProvider;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.GetHostedZoneResponse;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.HostedZoneAlreadyExistsException;
import software.amazon.awssdk.services.route53.model.ListResourceRecordSetsResponse;
import software.amazon.awssdk.services.route53.model.NoSuchHostedZoneException;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.TagResourceType;

/**
 * Hosted zones and alias records against the emulator. Route 53 is global; the clients use ap-northeast-3, whose
 * EC2 backend holds the private zone's VPC. Zone names carry the stack name, so tests never share a zone.
 */
class Route53IT extends ProviderTestSupport {

    private static final String LB_ZONE = "Z5LXEXXYW11ES";

    @Override
    protected String region() {
        return "ap-northeast-3";
    }

    private Route53Client route53() {
        return clients.route53();
    }

    private String zoneName() {
        return stack + ".example.test.";
    }

    private ResourceSpec zoneSpec(String address, String vpcId, String comment, Map<String, String> userTags) {
        Map<String, Object> a = new TreeMap<>();
        a.put("name", zoneName());
        if (vpcId != null) {
            a.put("vpcId", vpcId);
        }
        if (comment != null) {
            a.put("comment", comment);
        }
        return spec(address, HostedZoneProvider.TYPE, a, userTags);
    }

    private ResourceSpec recordSpec(String address, String zoneId, String name, String aliasDnsName, String aliasZoneId) {
        return untaggedSpec(address, ResourceRecordSetProvider.TYPE, Map.of("zoneId", zoneId, "name", name,
                "type", "A", "aliasDnsName", aliasDnsName, "aliasZoneId", aliasZoneId));
    }

    private Map<String, String> rawTags(String zoneId) {
        Map<String, String> out = new TreeMap<>();
        route53().listTagsForResource(b -> b.resourceType(TagResourceType.HOSTEDZONE).resourceId(zoneId))
                .resourceTagSet().tags().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private List<HostedZone> rawZonesNamed(String name) {
        return route53().listHostedZonesByName(b -> b.dnsName(name)).hostedZones().stream()
                .filter(z -> z.name().equals(name)).toList();
    }

    private List<ResourceRecordSet> rawRecords(String zoneId, String name) {
        return route53().listResourceRecordSets(b -> b.hostedZoneId(zoneId)).resourceRecordSets().stream()
                .filter(s -> s.name().equals(name)).toList();
    }

    @Test
    void zoneLifecycle() {
        HostedZoneProvider zones = new HostedZoneProvider(clients);
        String address = "dns/zone.public";
        ResourceSpec spec = zoneSpec(address, null, "first", Map.of("team", "edge", "retired", "soon"));

        LiveResource created = zones.create(spec, ctx(address));

        assertThat(created.id()).doesNotContain("/");
        GetHostedZoneResponse raw = route53().getHostedZone(b -> b.id(created.id()));
        assertThat(raw.hostedZone().name()).isEqualTo(zoneName());
        assertThat(raw.hostedZone().config().comment()).isEqualTo("first");
        assertThat(raw.hostedZone().config().privateZone()).isFalse();
        assertThat(raw.hostedZone().callerReference())
                .startsWith(HostedZoneProvider.referencePrefix(stack, address));
        assertThat(rawTags(created.id())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);
        // What the parent domain must delegate to, as Route 53 gives it.
        assertThat(raw.delegationSet().nameServers()).isNotEmpty();
        assertThat(created.attributes()).containsEntry("nameServers", raw.delegationSet().nameServers());

        ResourceSpec changed = zoneSpec(address, null, "second", Map.of("team", "dns"));
        LiveResource updated = zones.update(created, changed, Set.of("comment", "tags"), ctx(address));

        raw = route53().getHostedZone(b -> b.id(created.id()));
        assertThat(raw.hostedZone().config().comment()).isEqualTo("second");
        assertThat(rawTags(created.id())).isEqualTo(changed.tags()).doesNotContainKey("retired");
        assertMatchesSpec(updated, changed);

        // Route 53 has no tag filter: one ListHostedZones page, and the tags of every zone, ten a call; then the
        // stack's zone's details (its name servers).
        int zonesInAccount = route53().listHostedZonesPaginator(b -> { }).hostedZones().stream().toList().size();
        clients.counter().reset();
        assertThat(zones.readAll(ReadRequest.of(stack, Set.of(created.id())))).containsExactly(updated);
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of("Route53", Map.of(
                "ListHostedZones", (long) (zonesInAccount + 99) / 100,
                "ListTagsForResources", (long) (zonesInAccount + 9) / 10, "GetHostedZone", 1L)));

        assertThat(zones.findExisting(stack, changed)).contains(updated);
        assertThat(zones.findExisting("some-other-stack", changed)).isEmpty();

        zones.delete(updated, ctx(address));
        assertThatThrownBy(() -> route53().getHostedZone(b -> b.id(created.id())))
                .isInstanceOf(NoSuchHostedZoneException.class);
        assertThat(zones.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        assertThat(zones.findExisting(stack, changed)).isEmpty();
        zones.delete(updated, ctx(address)); // gone already: fine
    }

    /**
     * dns.zoneId: a public zone made outside infra (here by a raw call, with its own comment and tags) is adopted by
     * its id: found at plan time, used as it is (no tag, comment or name server change), recorded as adopted, and its
     * delete leaves it; a missing zone, a private one or one of another name is refused, naming what is wrong.
     */
    @Test
    void anExistingPublicZoneIsAdoptedAndNeverChangedNorDeleted() {
        HostedZoneProvider zones = new HostedZoneProvider(clients);
        var made = route53().createHostedZone(b -> b.name(zoneName()).callerReference("theirs-" + stack)
                .hostedZoneConfig(c -> c.comment("the company's zone")));
        String id = made.hostedZone().id().replace("/hostedzone/", "");
        route53().changeTagsForResource(b -> b.resourceType(TagResourceType.HOSTEDZONE).resourceId(id)
                .addTags(t -> t.key("owner").value("dns-team")));
        List<String> nameServers = made.delegationSet().nameServers();
        ResourceSpec spec = untaggedSpec("dns/zone", HostedZoneProvider.TYPE, Map.of("name", zoneName(), "zoneId", id));
        try {
            assertThat(zones.adoptsNamed(spec)).isTrue();
            LiveResource found = zones.findExisting(stack, spec).orElseThrow();
            assertThat(found.id()).isEqualTo(id);
            assertThat(found.attributes()).containsEntry("zoneId", id).containsEntry("nameServers", nameServers);
            assertMatchesSpec(found, spec);

            LiveResource updated = zones.update(found, spec, Set.of(), ctx("dns/zone"));
            assertThat(updated.attributes()).containsEntry("zoneId", id);
            assertThat(zones.create(spec, ctx("dns/zone")).id()).isEqualTo(id);
            zones.delete(found, ctx("dns/zone"));

            GetHostedZoneResponse after = route53().getHostedZone(b -> b.id(id));
            assertThat(after.hostedZone().config().comment()).isEqualTo("the company's zone");
            assertThat(after.delegationSet().nameServers()).isEqualTo(nameServers);
            assertThat(rawTags(id)).containsExactly(Map.entry("owner", "dns-team"));
            // Not the stack's: no read of the stack finds it, so no destroy takes it for a leftover.
            assertThat(zones.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();

            assertThatThrownBy(() -> zones.findExisting(stack, untaggedSpec("dns/zone", HostedZoneProvider.TYPE,
                    Map.of("name", "other-" + zoneName(), "zoneId", id))))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("dns.zoneId " + id + " is the zone of " + zoneName() + ", not of other-");
            assertThatThrownBy(() -> zones.findExisting(stack, untaggedSpec("dns/zone", HostedZoneProvider.TYPE,
                    Map.of("name", zoneName(), "zoneId", "ZNOSUCHZONE0000"))))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("dns.zoneId ZNOSUCHZONE0000: the account has no hosted zone with this id");
            String vpcId = clients.ec2().createVpc(b -> b.cidrBlock("10.54.0.0/16")).vpc().vpcId();
            String privateId = route53().createHostedZone(b -> b.name("private-" + zoneName())
                    .callerReference("private-" + stack).vpc(v -> v.vpcId(vpcId).vpcRegion(region()))
                    .hostedZoneConfig(c -> c.privateZone(true))).hostedZone().id().replace("/hostedzone/", "");
            assertThatThrownBy(() -> zones.findExisting(stack, untaggedSpec("dns/zone", HostedZoneProvider.TYPE,
                    Map.of("name", "private-" + zoneName(), "zoneId", privateId))))
                    .isInstanceOf(ProviderException.class).hasMessageContaining("is a private zone");
            route53().deleteHostedZone(b -> b.id(privateId));
        } finally {
            route53().deleteHostedZone(b -> b.id(id));
        }
    }

    @Test
    void privateZoneOfAVpc() {
        String vpcId = clients.ec2().createVpc(b -> b.cidrBlock("10.53.0.0/16")).vpc().vpcId();
        HostedZoneProvider zones = new HostedZoneProvider(clients);
        String address = "dns/zone.private";
        ResourceSpec spec = zoneSpec(address, vpcId, null, Map.of());

        LiveResource created = zones.create(spec, ctx(address));

        GetHostedZoneResponse raw = route53().getHostedZone(b -> b.id(created.id()));
        assertThat(raw.hostedZone().config().privateZone()).isTrue();
        assertThat(raw.vpCs()).singleElement().satisfies(v -> {
            assertThat(v.vpcId()).isEqualTo(vpcId);
            assertThat(v.vpcRegionAsString()).isEqualTo(region());
        });
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).doesNotContainKey("comment");

        clients.counter().reset();
        assertThat(zones.readAll(ReadRequest.of(stack, Set.of()))).containsExactly(created);
        // A private zone's VPC is not in ListHostedZones: one GetHostedZone for it.
        assertThat(clients.counter().count("Route53", "GetHostedZone")).isEqualTo(1);

        zones.delete(created, ctx(address));
        assertThat(rawZonesNamed(zoneName())).isEmpty();
    }

    /** A create whose answer was lost is not sent again: the zone it made is found by its CallerReference. */
    @Test
    void createRetriedAfterALostAnswerMakesOneZone() {
        String address = "dns/zone.retried";
        ResourceSpec spec = zoneSpec(address, null, null, Map.of());
        try (AwsClients lossy = Emulator.clients(region(), Faults.loseAnswer("CreateHostedZone", 1))) {
            LiveResource created = new HostedZoneProvider(lossy).create(spec, ctx(address));

            assertThat(lossy.counter().count("Route53", "CreateHostedZone")).isEqualTo(1);
            assertThat(rawZonesNamed(zoneName())).singleElement()
                    .satisfies(z -> assertThat(Route53Provider.zoneId(z.id())).isEqualTo(created.id()));
            assertThat(rawTags(created.id())).isEqualTo(spec.tags());
            new HostedZoneProvider(lossy).delete(created, ctx(address));
        }
    }

    /** AWS refuses a second CreateHostedZone with the same CallerReference (the emulator is patched to do so). */
    @Test
    void callerReferenceIsNotReused() {
        String reference = "it-" + stack;
        route53().createHostedZone(b -> b.name(zoneName()).callerReference(reference));

        assertThatThrownBy(() -> route53().createHostedZone(b -> b.name(zoneName()).callerReference(reference)))
                .isInstanceOfSatisfying(HostedZoneAlreadyExistsException.class,
                        e -> assertThat(e.statusCode()).isEqualTo(409));
        assertThat(rawZonesNamed(zoneName())).hasSize(1);
        route53().deleteHostedZone(b -> b.id(Route53Provider.zoneId(rawZonesNamed(zoneName()).get(0).id())));
    }

    /** A create interrupted between CreateHostedZone and tagging is found by its CallerReference, then tagged. */
    @Test
    void zoneLeftUntaggedByAnInterruptedCreateIsAdopted() {
        String address = "dns/zone.interrupted";
        ResourceSpec spec = zoneSpec(address, null, "adopted", Map.of());
        ExecutionInterceptor tagsRefused = Faults.awsError("ChangeTagsForResource", 1, 400, "InvalidInput");
        try (AwsClients failing = Emulator.clients(region(), tagsRefused)) {
            assertThatThrownBy(() -> new HostedZoneProvider(failing).create(spec, ctx(address)))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageStartingWith(address + ": ")
                    .hasMessageContaining("ChangeTagsForResource");
        }
        HostedZone left = rawZonesNamed(zoneName()).get(0);
        assertThat(rawTags(Route53Provider.zoneId(left.id()))).isEmpty();

        HostedZoneProvider zones = new HostedZoneProvider(clients);
        assertThat(zones.findExisting("some-other-stack", spec)).isEmpty();
        LiveResource found = zones.findExisting(stack, spec).orElseThrow();
        assertThat(found.address()).isNull();
        assertThat(found.attributes()).containsEntry("comment", "adopted");

        LiveResource adopted = zones.update(found, spec, Set.of("tags"), ctx(address));
        assertThat(rawTags(found.id())).isEqualTo(spec.tags());
        assertMatchesSpec(adopted, spec);
        assertThat(rawZonesNamed(zoneName())).hasSize(1);
        zones.delete(adopted, ctx(address));
    }

    @Test
    void deleteRefusesAZoneHoldingRecordsOfOthers() {
        HostedZoneProvider zones = new HostedZoneProvider(clients);
        String address = "dns/zone.shared";
        LiveResource zone = zones.create(zoneSpec(address, null, null, Map.of()), ctx(address));
        String foreign = "legacy." + zoneName();
        ResourceRecordSet cname = ResourceRecordSet.builder().name(foreign).type(RRType.CNAME).ttl(300L)
                .resourceRecords(r -> r.value("elsewhere.example.org")).build();
        route53().changeResourceRecordSets(b -> b.hostedZoneId(zone.id()).changeBatch(c -> c.changes(
                ch -> ch.action(ChangeAction.CREATE).resourceRecordSet(cname))));

        assertThatThrownBy(() -> zones.delete(zone, ctx(address)))
                .isInstanceOf(ProviderException.class)
                .hasMessageStartingWith(address + ": ")
                .hasMessageContaining("still holds records this stack does not manage: " + foreign + " CNAME");
        assertThat(rawZonesNamed(zoneName())).hasSize(1);

        route53().changeResourceRecordSets(b -> b.hostedZoneId(zone.id()).changeBatch(c -> c.changes(
                ch -> ch.action(ChangeAction.DELETE).resourceRecordSet(cname))));
        zones.delete(zone, ctx(address));
        assertThat(rawZonesNamed(zoneName())).isEmpty();
    }

    @Test
    void aliasRecordLifecycle() {
        HostedZoneProvider zones = new HostedZoneProvider(clients);
        LiveResource zone = zones.create(zoneSpec("dns/zone.main", null, null, Map.of()), ctx("dns/zone.main"));
        ResourceRecordSetProvider records = new ResourceRecordSetProvider(clients);
        String address = "dns/record.www";
        String name = "www." + zoneName();
        ResourceSpec spec = recordSpec(address, zone.id(), name, "web-123.ap-northeast-3.elb.amazonaws.com", LB_ZONE);

        LiveResource created = records.create(spec, ctx(address));

        assertThat(created.id()).isEqualTo(zone.id() + "_" + name + "_A");
        assertThat(created.address()).isNull();
        assertThat(rawRecords(zone.id(), name)).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(RRType.A);
            assertThat(ResourceRecordSetProvider.aliasName(r.aliasTarget().dnsName()))
                    .isEqualTo("web-123.ap-northeast-3.elb.amazonaws.com");
            assertThat(r.aliasTarget().hostedZoneId()).isEqualTo(LB_ZONE);
            assertThat(r.aliasTarget().evaluateTargetHealth()).isTrue();
        });
        assertMatchesSpec(created, spec);

        ResourceSpec changed = recordSpec(address, zone.id(), name, "web-456.ap-northeast-3.elb.amazonaws.com",
                "Z0OTHERLBZONE");
        LiveResource updated = records.update(created, changed, Set.of("aliasDnsName", "aliasZoneId"), ctx(address));

        assertThat(rawRecords(zone.id(), name)).singleElement().satisfies(r -> {
            assertThat(ResourceRecordSetProvider.aliasName(r.aliasTarget().dnsName()))
                    .isEqualTo("web-456.ap-northeast-3.elb.amazonaws.com");
            assertThat(r.aliasTarget().hostedZoneId()).isEqualTo("Z0OTHERLBZONE");
        });
        assertMatchesSpec(updated, changed);

        // Records carry no tags: readAll reads the zones of the state's ids, one ListResourceRecordSets each; a zone
        // that is gone costs its one call and yields nothing.
        String inGoneZone = "ZGONE0000000000000000_www.gone.example.test._A";
        clients.counter().reset();
        assertThat(records.readAll(ReadRequest.of(stack, Set.of(created.id(), inGoneZone)))).containsExactly(updated);
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of("Route53", Map.of("ListResourceRecordSets", 2L)));
        assertThat(records.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();

        assertThat(records.findExisting(stack, changed)).contains(updated);

        records.delete(updated, ctx(address));
        assertThat(rawRecords(zone.id(), name)).isEmpty();
        assertThat(records.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        assertThat(records.findExisting(stack, changed)).isEmpty();
        records.delete(updated, ctx(address)); // gone already: fine

        zones.delete(zone, ctx("dns/zone.main"));
        records.delete(updated, ctx(address)); // its zone gone too: fine
    }

    /**
     * What the emulator never does: a change still PENDING when ChangeResourceRecordSets answers (waited for with
     * GetChange), and names with special characters escaped ({@code *} as {@code \052}) in ListResourceRecordSets.
     * Record names holding {@code _} keep their ids parseable.
     */
    @Test
    void pendingChangesAndEscapedNamesAsAwsAnswers() {
        ExecutionInterceptor pending = Faults.rewrite(ChangeResourceRecordSetsResponse.class, r -> r.toBuilder()
                .changeInfo(r.changeInfo().toBuilder().status(ChangeStatus.PENDING).build()).build());
        ExecutionInterceptor escaped = Faults.rewrite(ListResourceRecordSetsResponse.class, r -> r.toBuilder()
                .resourceRecordSets(r.resourceRecordSets().stream()
                        .map(s -> s.toBuilder().name(s.name().replace("*", "\\052")).build()).toList()).build());
        LiveResource zone = new HostedZoneProvider(clients).create(zoneSpec("dns/zone.escaped", null, null, Map.of()),
                ctx("dns/zone.escaped"));
        String wildcard = "*.apps_v2." + zoneName();
        try (AwsClients aws = Emulator.clients(region(), pending, escaped)) {
            ResourceRecordSetProvider records = new ResourceRecordSetProvider(aws);
            ResourceSpec spec = recordSpec("dns/record.apps", zone.id(), wildcard, "apps-1.elb.amazonaws.com", LB_ZONE);

            LiveResource created = records.create(spec, ctx("dns/record.apps"));

            assertThat(aws.counter().count("Route53", "GetChange")).isEqualTo(1);
            assertThat(created.id()).isEqualTo(zone.id() + "_" + wildcard + "_A");
            assertMatchesSpec(created, spec);
            assertThat(records.readAll(ReadRequest.of(stack, Set.of(created.id())))).containsExactly(created);

        }
        // Deleting sends back the record as listed; the emulator would not recognise the escaped name, AWS does.
        new ResourceRecordSetProvider(clients).delete(
                LiveResource.of(zone.id() + "_" + wildcard + "_A", null, Map.of()), ctx("dns/record.apps"));
        assertThat(rawRecords(zone.id(), wildcard)).isEmpty();
        new HostedZoneProvider(clients).delete(zone, ctx("dns/zone.escaped"));
    }

    /**
     * Why {@code AwsClients.route53()} keeps the configured region: the SDK sends Route 53 calls from any region of a
     * partition to its global endpoint, signed for the partition's home region.
     */
    @Test
    void route53IsGlobalWhateverTheRegion() {
        Endpoint fromOsaka = Route53EndpointProvider.defaultProvider()
                .resolveEndpoint(p -> p.region(Region.AP_NORTHEAST_3)).join();
        assertThat(fromOsaka.url().toString()).isEqualTo("https://route53.amazonaws.com");
        assertThat(fromOsaka.attribute(AwsEndpointAttribute.AUTH_SCHEMES)).singleElement()
                .satisfies(s -> assertThat(((SigV4AuthScheme) s).signingRegion()).isEqualTo("us-east-1"));
        Endpoint fromBeijing = Route53EndpointProvider.defaultProvider()
                .resolveEndpoint(p -> p.region(Region.CN_NORTH_1)).join();
        assertThat(fromBeijing.url().toString()).startsWith("https://route53.amazonaws.com.cn");
    }

    /** A plain record (no alias): values (a set) and TTL, e.g. the CNAME validating an ACM certificate. */
    @Test
    void plainRecordLifecycle() {
        HostedZoneProvider zones = new HostedZoneProvider(clients);
        LiveResource zone = zones.create(zoneSpec("dns/zone.plain", null, null, Map.of()), ctx("dns/zone.plain"));
        ResourceRecordSetProvider records = new ResourceRecordSetProvider(clients);
        String address = "dns/record.txt";
        String name = "_check." + zoneName();
        ResourceSpec spec = untaggedSpec(address, ResourceRecordSetProvider.TYPE, Map.of("zoneId", zone.id(),
                "name", name, "type", "TXT", "values", List.of("\"b=2\"", "\"a=1\""), "ttl", 300L));

        LiveResource created = records.create(spec, ctx(address));

        assertThat(created.id()).isEqualTo(zone.id() + "_" + name + "_TXT");
        assertThat(rawRecords(zone.id(), name)).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(RRType.TXT);
            assertThat(r.ttl()).isEqualTo(300L);
            assertThat(r.aliasTarget()).isNull();
            assertThat(r.resourceRecords()).extracting(v -> v.value()).containsExactlyInAnyOrder("\"a=1\"", "\"b=2\"");
        });
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).doesNotContainKeys("aliasDnsName", "aliasZoneId", "evaluateTargetHealth");

        ResourceSpec changed = untaggedSpec(address, ResourceRecordSetProvider.TYPE, Map.of("zoneId", zone.id(),
                "name", name, "type", "TXT", "values", List.of("\"c=3\""), "ttl", 60L));
        LiveResource updated = records.update(created, changed, Set.of("values", "ttl"), ctx(address));

        assertThat(rawRecords(zone.id(), name)).singleElement().satisfies(r -> {
            assertThat(r.ttl()).isEqualTo(60L);
            assertThat(r.resourceRecords()).extracting(v -> v.value()).containsExactly("\"c=3\"");
        });
        assertMatchesSpec(updated, changed);
        assertThat(records.readAll(ReadRequest.of(stack, Set.of(created.id())))).containsExactly(updated);
        assertThat(records.findExisting(stack, changed)).contains(updated);

        records.delete(updated, ctx(address));
        assertThat(rawRecords(zone.id(), name)).isEmpty();
        assertThat(records.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        zones.delete(zone, ctx("dns/zone.plain"));
    }
}
