package dev.infra.core.expand;

import dev.infra.core.model.Address;
import dev.infra.core.model.Ref;
import dev.infra.core.topology.Network;
import dev.infra.core.topology.Network.NatGateways;
import dev.infra.core.topology.Network.Rule;
import dev.infra.core.topology.Network.SecurityGroup;
import dev.infra.core.topology.Topology;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code network:} → VPC, internet gateway, a public and a private subnet per zone, Elastic IPs and
 * NAT gateways, one public route table and one private route table per zone (routing to the NAT
 * gateway of its own zone, or the single one), security groups and their rules.
 */
final class NetworkExpander implements ComponentExpander {

    static final Address IGW = Addresses.NETWORK.child("internet-gateway");
    static final Address PUBLIC_RT = Addresses.NETWORK.child("route-table", "public");

    static Address natGateway(String zone) {
        return Addresses.NETWORK.child("nat-gateway", zone);
    }

    static Address securityGroup(String name) {
        return Addresses.NETWORK.child("security-group", name);
    }

    @Override
    public void expand(Topology topology, Expansion out) {
        Network n = topology.network();
        if (n == null) {
            return;
        }
        String region = topology.region();
        out.add(Addresses.VPC, "aws_vpc", "vpc", Map.of(
                "cidrBlock", n.cidr(),
                "enableDnsSupport", true,
                "enableDnsHostnames", n.enableDnsHostnames()), n.at());
        out.add(IGW, "aws_internet_gateway", "igw", Map.of("vpcId", Ref.id(Addresses.VPC)), n.at());

        List<String> zones = n.zones();
        List<Address> publicSubnets = new ArrayList<>();
        for (int i = 0; i < zones.size(); i++) {
            String z = zones.get(i);
            for (String kind : List.of("public", "private")) {
                String cidr = (kind.equals("public") ? n.publicSubnets() : n.privateSubnets()).get(i);
                out.add(Addresses.subnet(kind, z), "aws_subnet", "subnet-" + kind + "-" + z, Map.of(
                        "vpcId", Ref.id(Addresses.VPC),
                        "cidrBlock", cidr,
                        "availabilityZone", region + z,
                        "mapPublicIpOnLaunch", kind.equals("public")), n.at());
            }
            publicSubnets.add(Addresses.subnet("public", z));
        }

        List<String> natZones = switch (n.natGateways()) {
            case ONE_PER_ZONE -> zones;
            case SINGLE -> zones.subList(0, 1);
            case NONE -> List.of();
        };
        for (String z : natZones) {
            Address eip = Addresses.NETWORK.child("eip", "nat-" + z);
            out.add(eip, "aws_eip", "eip-nat-" + z, Map.of("domain", "vpc"), n.at());
            // The gateway needs the internet gateway attached first, or AWS fails it.
            out.add(natGateway(z), "aws_nat_gateway", "nat-" + z, Map.of(
                    "subnetId", Ref.id(Addresses.subnet("public", z)),
                    "allocationId", Ref.id(eip),
                    "connectivityType", "public"), Set.of(IGW), n.at());
        }

        out.add(PUBLIC_RT, "aws_route_table", "rt-public", Map.of(
                "vpcId", Ref.id(Addresses.VPC),
                "routes", List.of(route("gatewayId", Ref.id(IGW))),
                "subnetIds", publicSubnets.stream().map(Ref::id).toList()), n.at());
        for (String z : zones) {
            List<Object> routes = new ArrayList<>();
            if (n.natGateways() != NatGateways.NONE) {
                String natZone = n.natGateways() == NatGateways.SINGLE ? natZones.get(0) : z;
                routes.add(route("natGatewayId", Ref.id(natGateway(natZone))));
            }
            out.add(Addresses.NETWORK.child("route-table", "private-" + z), "aws_route_table", "rt-private-" + z, Map.of(
                    "vpcId", Ref.id(Addresses.VPC),
                    "routes", routes,
                    "subnetIds", List.of(Ref.id(Addresses.subnet("private", z)))), n.at());
        }

        n.securityGroups().values().forEach(g -> securityGroup(g, out));
    }

    private static Map<String, Object> route(String targetKey, Ref target) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("destinationCidrBlock", "0.0.0.0/0");
        r.put(targetKey, target);
        return r;
    }

    private static void securityGroup(SecurityGroup g, Expansion out) {
        Set<Address> deps = new HashSet<>();
        g.dependsOn().forEach(d -> deps.add(securityGroup(d)));
        SecurityGroups.group(out, securityGroup(g.name()), g.name(), g.description(), deps, g.at());
        rules(g, "ingress", g.ingress(), out);
        rules(g, "egress", g.egress(), out);
    }

    private static void rules(SecurityGroup g, String direction, List<Rule> rules, Expansion out) {
        for (Rule r : rules) {
            Object peer = r.cidr() != null ? r.cidr() : Ref.id(securityGroup(r.source()));
            SecurityGroups.rule(out, securityGroup(g.name()), direction, r.protocol().equals("all") ? "-1" : r.protocol(),
                    r.fromPort(), r.toPort(), peer, r.description(), r.at());
        }
    }
}
