package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;

class RouteTableIT extends Ec2TestBase {

    private LiveResource vpc;
    private LiveResource igw;
    private LiveResource nat;
    private LiveResource subnetA;
    private LiveResource subnetB;

    @Override
    protected String region() {
        return "eu-central-1";
    }

    @BeforeEach
    void network() {
        vpc = vpc("network/vpc.main", "10.1.0.0/16");
        igw = internetGateway("network/igw.main", vpc.id());
        subnetA = subnet("network/subnet.a", vpc.id(), "10.1.1.0/24", "eu-central-1a");
        subnetB = subnet("network/subnet.b", vpc.id(), "10.1.2.0/24", "eu-central-1b");
        nat = natGateway("network/nat.a", subnetA.id(), elasticIp("network/eip.a").id());
    }

    private RouteTable raw(String id) {
        return ec2.describeRouteTables(b -> b.routeTableIds(id)).routeTables().get(0);
    }

    private static List<String> rawRoutes(RouteTable rt) {
        return rt.routes().stream()
                .map(r -> r.destinationCidrBlock() + "->" + (r.natGatewayId() != null ? r.natGatewayId() : r.gatewayId()))
                .sorted()
                .toList();
    }

    private static List<String> rawSubnets(RouteTable rt) {
        return rt.associations().stream().filter(a -> !a.main()).map(RouteTableAssociation::subnetId).sorted().toList();
    }

    private ResourceSpec routeTable(String address, List<Map<String, Object>> routes, List<String> subnets,
                                    Map<String, String> tags) {
        return spec(address, RouteTableProvider.TYPE,
                Map.of("vpcId", vpc.id(), "routes", routes, "subnetIds", subnets), tags);
    }

    @Test
    void routeTableLifecycle() {
        RouteTableProvider tables = new RouteTableProvider(clients);
        String address = "network/rtb.public";
        String local = "10.1.0.0/16->local";
        ResourceSpec spec = routeTable(address,
                List.of(Map.of("destinationCidrBlock", "0.0.0.0/0", "gatewayId", igw.id())),
                List.of(subnetA.id(), subnetB.id()).stream().sorted().toList(), Map.of("a", "1"));

        LiveResource created = tables.create(spec, ctx(address));

        assertThat(created.id()).startsWith("rtb-");
        RouteTable raw = raw(created.id());
        assertThat(raw.vpcId()).isEqualTo(vpc.id());
        assertThat(rawRoutes(raw)).containsExactlyInAnyOrder(local, "0.0.0.0/0->" + igw.id());
        assertThat(rawSubnets(raw)).containsExactlyElementsOf(List.of(subnetA.id(), subnetB.id()).stream().sorted().toList());
        assertThat(tagMap(raw.tags())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);

        // Re-target the default route, add one, move off subnet A.
        ResourceSpec changed = routeTable(address, List.of(
                        Map.of("destinationCidrBlock", "0.0.0.0/0", "natGatewayId", nat.id()),
                        Map.of("destinationCidrBlock", "192.168.0.0/16", "gatewayId", igw.id())),
                List.of(subnetB.id()), Map.of("b", "2"));
        LiveResource updated = tables.update(created, changed, Set.of("routes", "subnetIds", "tags"), ctx(address));

        raw = raw(created.id());
        assertThat(rawRoutes(raw)).containsExactlyInAnyOrder(local, "0.0.0.0/0->" + nat.id(), "192.168.0.0/16->" + igw.id());
        assertThat(rawSubnets(raw)).containsExactly(subnetB.id());
        assertThat(tagMap(raw.tags())).isEqualTo(changed.tags());
        assertMatchesSpec(updated, changed);

        // Drop one route, keep the other, associate A again and B no more.
        ResourceSpec smaller = routeTable(address,
                List.of(Map.of("destinationCidrBlock", "192.168.0.0/16", "gatewayId", igw.id())),
                List.of(subnetA.id()), Map.of("b", "2"));
        updated = tables.update(updated, smaller, Set.of("routes", "subnetIds"), ctx(address));
        raw = raw(created.id());
        assertThat(rawRoutes(raw)).containsExactlyInAnyOrder(local, "192.168.0.0/16->" + igw.id());
        assertThat(rawSubnets(raw)).containsExactly(subnetA.id());
        assertMatchesSpec(updated, smaller);

        assertThat(tables.readAll(ReadRequest.of(stack, Set.of()))).containsExactly(updated);
        assertThat(tables.findExisting(stack, smaller)).contains(updated);

        tables.delete(updated, ctx(address)); // disassociates subnet A first
        assertAwsError(() -> raw(created.id()), "InvalidRouteTableID.NotFound");
        assertThat(ec2.describeRouteTables(b -> b.filters(Ec2Provider.filter("association.subnet-id", subnetA.id())))
                .routeTables()).isEmpty();
        tables.delete(updated, ctx(address));
    }

    @Test
    void emptyRouteTableReadsAsEmptyLists() {
        RouteTableProvider tables = new RouteTableProvider(clients);
        String address = "network/rtb.isolated";
        ResourceSpec spec = routeTable(address, List.of(), List.of(), Map.of());

        LiveResource created = tables.create(spec, ctx(address));

        assertThat(created.attributes()).containsEntry("routes", List.of()).containsEntry("subnetIds", List.of());
        assertThat(rawRoutes(raw(created.id()))).containsExactly("10.1.0.0/16->local");
        tables.delete(created, ctx(address));
    }

    @Test
    void routesNeedExactlyOneTarget() {
        String address = "network/rtb.bad";
        ResourceSpec spec = routeTable(address, List.of(Map.of("destinationCidrBlock", "0.0.0.0/0",
                "gatewayId", igw.id(), "natGatewayId", nat.id())), List.of(), Map.of());

        assertThatThrownBy(() -> new RouteTableProvider(clients).create(spec, ctx(address)))
                .isInstanceOf(ProviderException.class)
                .hasMessageStartingWith(address + ": each route needs destinationCidrBlock and exactly one of");
        assertThat(new RouteTableProvider(clients).readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
    }
}
