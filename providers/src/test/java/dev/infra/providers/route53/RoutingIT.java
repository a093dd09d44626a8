package dev.infra.providers.route53;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ReadRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.NoSuchHealthCheckException;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetFailover;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetRegion;

/**
 * Failover and latency routing across two regions' public load balancers, against the emulator (Route 53 is global;
 * the clients use eu-north-1). Zone names carry the stack name, so tests never share a zone.
 */
class RoutingIT extends dev.infra.providers.testing.ProviderTestSupport {

    private static final String NORTH_LB = "app-north-1.eu-north-1.elb.amazonaws.com";
    private static final String NORTH_LB_ZONE = "Z23TAZQOZMS7VC";
    private static final String WEST_LB = "app-west-1.eu-west-1.elb.amazonaws.com";
    private static final String WEST_LB_ZONE = "Z32O12XQLNTSW2";

    @Override
    protected String region() {
        return "eu-north-1";
    }

    private Route53Client route53() {
        return clients.route53();
    }

    private String zoneName() {
        return stack + ".routing.example.test.";
    }

    private static ResourceSpec recordSpec(String address, Map<String, Object> attributes) {
        return untaggedSpec(address, ResourceRecordSetProvider.TYPE, attributes);
    }

    private ResourceSpec failover(String address, String zoneId, String setId, String role, String lb, String lbZone,
                                  String checkId, Boolean evaluate) {
        return recordSpec(address, attributes("zoneId", zoneId, "name", "app." + zoneName(), "type", "A",
                "aliasDnsName", lb, "aliasZoneId", lbZone, "setIdentifier", setId, "failover", role,
                "healthCheckId", checkId, "evaluateTargetHealth", evaluate));
    }

    private ResourceSpec latency(String address, String zoneId, String setId, String region, String lb, String lbZone) {
        return recordSpec(address, attributes("zoneId", zoneId, "name", "api." + zoneName(), "type", "A",
                "aliasDnsName", lb, "aliasZoneId", lbZone, "setIdentifier", setId, "region", region));
    }

    private ResourceSpec checkSpec(String address, String lb) {
        return spec(address, HealthCheckProvider.TYPE, attributes("type", "HTTPS", "fqdn", lb, "port", 443L,
                "resourcePath", "/healthz", "requestInterval", 30L, "failureThreshold", 3L), Map.of());
    }

    private List<ResourceRecordSet> rawRecords(String zoneId, String name) {
        return route53().listResourceRecordSets(b -> b.hostedZoneId(zoneId)).resourceRecordSets().stream()
                .filter(s -> s.name().equals(name)).toList();
    }

    private static ResourceRecordSet bySetId(List<ResourceRecordSet> sets, String setId) {
        return sets.stream().filter(s -> setId.equals(s.setIdentifier())).findFirst().orElseThrow();
    }

    @Test
    void failoverThenLatencyAcrossTwoRegions() {
        HostedZoneProvider zones = new HostedZoneProvider(clients);
        LiveResource zone = zones.create(spec("dns/zone", HostedZoneProvider.TYPE, Map.of("name", zoneName()),
                Map.of()), ctx("dns/zone"));
        HealthCheckProvider checks = new HealthCheckProvider(clients);
        LiveResource northCheck = checks.create(checkSpec("dns/check.north", NORTH_LB), ctx("dns/check.north"));
        LiveResource westCheck = checks.create(checkSpec("dns/check.west", WEST_LB), ctx("dns/check.west"));
        ResourceRecordSetProvider records = new ResourceRecordSetProvider(clients);
        String app = "app." + zoneName();

        // Failover: the primary in eu-north-1, the secondary in eu-west-1, each with its region's health check.
        ResourceSpec primary = failover("dns/record.app-primary", zone.id(), "eu-north-1", "PRIMARY", NORTH_LB,
                NORTH_LB_ZONE, northCheck.id(), null);
        ResourceSpec secondary = failover("dns/record.app-secondary", zone.id(), "eu-west-1", "SECONDARY", WEST_LB,
                WEST_LB_ZONE, westCheck.id(), null);
        LiveResource p = records.create(primary, ctx(primary.address()));
        LiveResource s = records.create(secondary, ctx(secondary.address()));

        assertThat(p.id()).isEqualTo(zone.id() + "_" + app + "_A_eu-north-1");
        assertThat(s.id()).isEqualTo(zone.id() + "_" + app + "_A_eu-west-1");
        List<ResourceRecordSet> raw = rawRecords(zone.id(), app);
        assertThat(raw).hasSize(2);
        assertThat(bySetId(raw, "eu-north-1")).satisfies(r -> {
            assertThat(r.type()).isEqualTo(RRType.A);
            assertThat(r.failover()).isEqualTo(ResourceRecordSetFailover.PRIMARY);
            assertThat(r.healthCheckId()).isEqualTo(northCheck.id());
            assertThat(r.region()).isNull();
            assertThat(ResourceRecordSetProvider.aliasName(r.aliasTarget().dnsName())).isEqualTo(NORTH_LB);
            assertThat(r.aliasTarget().hostedZoneId()).isEqualTo(NORTH_LB_ZONE);
            assertThat(r.aliasTarget().evaluateTargetHealth()).isTrue(); // the default when absent
        });
        assertThat(bySetId(raw, "eu-west-1")).satisfies(r -> {
            assertThat(r.failover()).isEqualTo(ResourceRecordSetFailover.SECONDARY);
            assertThat(r.healthCheckId()).isEqualTo(westCheck.id());
            assertThat(r.aliasTarget().hostedZoneId()).isEqualTo(WEST_LB_ZONE);
        });
        assertMatchesSpec(p, primary);
        assertMatchesSpec(s, secondary);
        assertThat(p.attributes()).containsEntry("evaluateTargetHealth", true).doesNotContainKey("region");

        // Update in place: the secondary drops its health check and stops evaluating its target's.
        ResourceSpec secondaryChanged = failover(secondary.address(), zone.id(), "eu-west-1", "SECONDARY", WEST_LB,
                WEST_LB_ZONE, null, false);
        LiveResource s2 = records.update(s, secondaryChanged, Set.of("healthCheckId", "evaluateTargetHealth"),
                ctx(secondary.address()));
        raw = rawRecords(zone.id(), app);
        assertThat(raw).hasSize(2);
        assertThat(bySetId(raw, "eu-west-1")).satisfies(r -> {
            assertThat(r.healthCheckId()).isNull();
            assertThat(r.aliasTarget().evaluateTargetHealth()).isFalse();
            assertThat(r.failover()).isEqualTo(ResourceRecordSetFailover.SECONDARY);
        });
        assertThat(bySetId(raw, "eu-north-1").healthCheckId()).isEqualTo(northCheck.id());
        assertMatchesSpec(s2, secondaryChanged);
        assertThat(s2.attributes()).doesNotContainKey("healthCheckId");

        // Latency for another name, with the same set identifiers (the regions) as the failover records.
        ResourceSpec north = latency("dns/record.api-north", zone.id(), "eu-north-1", "eu-north-1", NORTH_LB,
                NORTH_LB_ZONE);
        ResourceSpec west = latency("dns/record.api-west", zone.id(), "eu-west-1", "eu-west-1", WEST_LB, WEST_LB_ZONE);
        LiveResource n = records.create(north, ctx(north.address()));
        LiveResource w = records.create(west, ctx(west.address()));

        String api = "api." + zoneName();
        List<ResourceRecordSet> rawApi = rawRecords(zone.id(), api);
        assertThat(rawApi).hasSize(2);
        assertThat(bySetId(rawApi, "eu-north-1").region()).isEqualTo(ResourceRecordSetRegion.EU_NORTH_1);
        assertThat(bySetId(rawApi, "eu-west-1").region()).isEqualTo(ResourceRecordSetRegion.EU_WEST_1);
        assertThat(bySetId(rawApi, "eu-west-1").failover()).isNull();
        assertMatchesSpec(n, north);
        assertMatchesSpec(w, west);
        assertThat(n.attributes()).doesNotContainKey("failover");

        // Records carry no tags: the state's ids, all in one zone, cost one ListResourceRecordSets.
        clients.counter().reset();
        assertThat(records.readAll(ReadRequest.of(stack, Set.of(p.id(), s2.id(), n.id(), w.id()))))
                .containsExactlyInAnyOrder(p, s2, n, w);
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of("Route53", Map.of("ListResourceRecordSets", 1L)));

        assertThat(records.findExisting(stack, primary)).contains(p);
        assertThat(records.findExisting(stack, secondaryChanged)).contains(s2);
        assertThat(records.findExisting(stack, west)).contains(w);

        // Deleting one record of a set leaves the other, and the other name's record of the same set identifier.
        records.delete(n, ctx(north.address()));
        assertThat(rawRecords(zone.id(), api)).singleElement()
                .satisfies(r -> assertThat(r.setIdentifier()).isEqualTo("eu-west-1"));
        assertThat(rawRecords(zone.id(), app)).hasSize(2);
        assertThat(records.readAll(ReadRequest.of(stack, Set.of(n.id(), w.id())))).containsExactly(w);
        assertThat(records.findExisting(stack, north)).isEmpty();
        records.delete(n, ctx(north.address())); // gone already: fine

        for (LiveResource r : List.of(w, p, s2)) {
            records.delete(r, ctx("dns/record"));
        }
        assertThat(rawRecords(zone.id(), app)).isEmpty();
        assertThat(rawRecords(zone.id(), api)).isEmpty();

        checks.delete(northCheck, ctx("dns/check.north"));
        checks.delete(westCheck, ctx("dns/check.west"));
        assertThatThrownBy(() -> route53().getHealthCheck(b -> b.healthCheckId(northCheck.id())))
                .isInstanceOf(NoSuchHealthCheckException.class);
        assertThatThrownBy(() -> route53().getHealthCheck(b -> b.healthCheckId(westCheck.id())))
                .isInstanceOf(NoSuchHealthCheckException.class);
        assertThat(checks.readAll(ReadRequest.of(stack, Set.of(northCheck.id(), westCheck.id())))).isEmpty();
        zones.delete(zone, ctx("dns/zone"));
    }

    /**
     * Set identifiers and names may hold {@code _} and {@code .}: ids stay parseable, and a simple record of the same
     * zone keeps its {@code <zone>_<name>_<type>} id.
     */
    @Test
    void idsOfRecordsWithAwkwardNamesAndSetIdentifiers() {
        LiveResource zone = new HostedZoneProvider(clients).create(spec("dns/zone", HostedZoneProvider.TYPE,
                Map.of("name", zoneName()), Map.of()), ctx("dns/zone"));
        ResourceRecordSetProvider records = new ResourceRecordSetProvider(clients);
        String name = "_svc.blue_v2." + zoneName();
        ResourceSpec weighted = recordSpec("dns/record.blue", attributes("zoneId", zone.id(), "name", name,
                "type", "A", "aliasDnsName", NORTH_LB, "aliasZoneId", NORTH_LB_ZONE, "setIdentifier", "blue_v2._A_x",
                "region", "eu-north-1"));
        ResourceSpec simple = recordSpec("dns/record.green", attributes("zoneId", zone.id(), "name",
                "green_v2." + zoneName(), "type", "A", "aliasDnsName", WEST_LB, "aliasZoneId", WEST_LB_ZONE));

        LiveResource b = records.create(weighted, ctx("dns/record.blue"));
        LiveResource g = records.create(simple, ctx("dns/record.green"));

        assertThat(b.id()).isEqualTo(zone.id() + "_" + name + "_A_blue_v2._A_x");
        assertThat(g.id()).isEqualTo(zone.id() + "_green_v2." + zoneName() + "_A");
        assertThat(records.readAll(ReadRequest.of(stack, Set.of(b.id(), g.id())))).containsExactlyInAnyOrder(b, g);
        assertThat(b.attributes()).containsEntry("setIdentifier", "blue_v2._A_x").containsEntry("name", name);
        assertThat(g.attributes()).doesNotContainKey("setIdentifier");

        records.delete(b, ctx("dns/record.blue"));
        records.delete(g, ctx("dns/record.green"));
        assertThat(route53().listResourceRecordSets(x -> x.hostedZoneId(zone.id())).resourceRecordSets())
                .extracting(ResourceRecordSet::typeAsString).containsOnly("NS", "SOA");
        new HostedZoneProvider(clients).delete(zone, ctx("dns/zone"));
    }

    /** The emulator's DELETE of an identified record set takes that one only, as AWS documents (launcher patch). */
    @Test
    void deleteOfAnIdentifiedRecordSetTakesThatOneOnly() {
        LiveResource zone = new HostedZoneProvider(clients).create(spec("dns/zone", HostedZoneProvider.TYPE,
                Map.of("name", zoneName()), Map.of()), ctx("dns/zone"));
        ResourceRecordSet a = ResourceRecordSet.builder().name("a." + zoneName()).type(RRType.A).setIdentifier("one")
                .region(ResourceRecordSetRegion.EU_NORTH_1).ttl(60L).resourceRecords(r -> r.value("192.0.2.1")).build();
        ResourceRecordSet b = a.toBuilder().name("b." + zoneName()).build();
        for (ResourceRecordSet set : List.of(a, b)) {
            route53().changeResourceRecordSets(x -> x.hostedZoneId(zone.id()).changeBatch(c -> c.changes(
                    ch -> ch.action(ChangeAction.CREATE).resourceRecordSet(set))));
        }

        route53().changeResourceRecordSets(x -> x.hostedZoneId(zone.id()).changeBatch(c -> c.changes(
                ch -> ch.action(ChangeAction.DELETE).resourceRecordSet(a))));

        assertThat(rawRecords(zone.id(), "a." + zoneName())).isEmpty();
        assertThat(rawRecords(zone.id(), "b." + zoneName())).singleElement()
                .satisfies(r -> assertThat(r.setIdentifier()).isEqualTo("one"));
        route53().changeResourceRecordSets(x -> x.hostedZoneId(zone.id()).changeBatch(c -> c.changes(
                ch -> ch.action(ChangeAction.DELETE).resourceRecordSet(b))));
        new HostedZoneProvider(clients).delete(zone, ctx("dns/zone"));
    }
}
