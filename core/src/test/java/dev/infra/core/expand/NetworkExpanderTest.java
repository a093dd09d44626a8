package dev.infra.core.expand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.testing.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class NetworkExpanderTest {

    private static Map<String, ResourceSpec> expand(String scenario) {
        return Expander.expand(Fixtures.load(scenario)).stream()
                .collect(Collectors.toMap(ResourceSpec::address, Function.identity(), (a, b) -> a,
                        java.util.LinkedHashMap::new));
    }

    private static long count(Map<String, ResourceSpec> specs, String type) {
        return specs.values().stream().filter(s -> s.type().equals(type)).count();
    }

    @Test
    void addressesOfTheSampleNetwork() {
        assertThat(expand("network").keySet()).containsExactlyInAnyOrder(
                "network/vpc",
                "network/internet-gateway",
                "network/subnet.public-a", "network/subnet.private-a",
                "network/subnet.public-b", "network/subnet.private-b",
                "network/subnet.public-c", "network/subnet.private-c",
                "network/eip.nat-a", "network/eip.nat-b", "network/eip.nat-c",
                "network/nat-gateway.a", "network/nat-gateway.b", "network/nat-gateway.c",
                "network/route-table.public",
                "network/route-table.private-a", "network/route-table.private-b", "network/route-table.private-c",
                "network/security-group.public-alb",
                "network/security-group.public-alb/rule.ingress-tcp-443-0.0.0.0_0",
                "network/security-group.public-alb/rule.ingress-tcp-80-0.0.0.0_0",
                "network/security-group.nodes",
                "network/security-group.nodes/rule.ingress-tcp-30000-32767-sg-public-alb",
                "network/security-group.nodes/rule.ingress-all-all-sg-nodes");
    }

    @Test
    void natGatewaysPerZoneSingleOrNone() {
        Map<String, ResourceSpec> perZone = expand("network");
        assertThat(count(perZone, "aws_nat_gateway")).isEqualTo(3);
        assertThat(count(perZone, "aws_eip")).isEqualTo(3);

        Map<String, ResourceSpec> single = expand("network-single-nat");
        assertThat(count(single, "aws_nat_gateway")).isEqualTo(1);
        assertThat(count(single, "aws_eip")).isEqualTo(1);
        assertThat(single).containsKeys("network/nat-gateway.a", "network/eip.nat-a");

        Map<String, ResourceSpec> none = expand("network-no-nat");
        assertThat(count(none, "aws_nat_gateway")).isZero();
        assertThat(count(none, "aws_eip")).isZero();
        assertThat(none.values()).filteredOn(s -> s.address().startsWith("network/route-table.private-"))
                .hasSize(2)
                .allSatisfy(rt -> assertThat((List<?>) rt.attributes().get("routes")).isEmpty());
    }

    @Test
    void eachPrivateRouteTableRoutesToTheNatGatewayOfItsZone() {
        Map<String, ResourceSpec> specs = expand("network");
        for (String z : List.of("a", "b", "c")) {
            ResourceSpec rt = specs.get("network/route-table.private-" + z);
            assertThat(rt.attributes().get("routes")).isEqualTo(List.of(
                    Map.of("destinationCidrBlock", "0.0.0.0/0", "natGatewayId", Ref.id("network/nat-gateway." + z))));
            assertThat(rt.attributes().get("subnetIds")).isEqualTo(List.of(Ref.id("network/subnet.private-" + z)));
            ResourceSpec nat = specs.get("network/nat-gateway." + z);
            assertThat(nat.attributes()).containsEntry("subnetId", Ref.id("network/subnet.public-" + z))
                    .containsEntry("allocationId", Ref.id("network/eip.nat-" + z));
            assertThat(nat.dependencies()).contains("network/internet-gateway");
        }
        assertThat(specs.get("network/route-table.public").attributes().get("routes")).isEqualTo(List.of(
                Map.of("destinationCidrBlock", "0.0.0.0/0", "gatewayId", Ref.id("network/internet-gateway"))));
    }

    @Test
    void withASingleNatGatewayEveryPrivateRouteTableUsesIt() {
        Map<String, ResourceSpec> specs = expand("network-single-nat");
        for (String z : List.of("a", "b", "c")) {
            assertThat(Ref.id("network/nat-gateway.a")).isIn(
                    dev.infra.core.model.Values.refs(specs.get("network/route-table.private-" + z).attributes()));
        }
    }

    @Test
    void subnetsGetZonesAndComputedBlocks() {
        Map<String, ResourceSpec> specs = expand("network");
        assertThat(specs.get("network/vpc").attributes()).containsEntry("cidrBlock", "10.0.0.0/16")
                .containsEntry("enableDnsHostnames", true);
        assertThat(specs.get("network/subnet.private-a").attributes())
                .containsEntry("cidrBlock", "10.0.0.0/20")
                .containsEntry("availabilityZone", "us-east-1a")
                .containsEntry("mapPublicIpOnLaunch", false)
                .containsEntry("vpcId", Ref.id("network/vpc"));
        assertThat(specs.get("network/subnet.public-c").attributes())
                .containsEntry("cidrBlock", "10.0.160.0/20")
                .containsEntry("availabilityZone", "us-east-1c")
                .containsEntry("mapPublicIpOnLaunch", true);
        assertThat(expand("network-no-nat").get("network/subnet.private-c").attributes())
                .containsEntry("availabilityZone", "us-east-1c");
    }

    @Test
    void addingAZoneKeepsExistingSubnetBlocks() {
        Map<String, ResourceSpec> two = expand("network-two-zones");
        Map<String, ResourceSpec> three = expand("network-three-zones");

        Map<String, Object> blocksOfTwo = subnetBlocks(two);
        Map<String, Object> blocksOfThree = subnetBlocks(three);
        assertThat(blocksOfTwo).hasSize(4);
        assertThat(blocksOfThree).hasSize(6).containsAllEntriesOf(blocksOfTwo);
        assertThat(blocksOfThree.values()).doesNotHaveDuplicates();
    }

    private static Map<String, Object> subnetBlocks(Map<String, ResourceSpec> specs) {
        return specs.values().stream().filter(s -> s.type().equals("aws_subnet"))
                .collect(Collectors.toMap(ResourceSpec::address, s -> s.attributes().get("cidrBlock")));
    }

    @Test
    void everyResourceCarriesTheStackTagsAndTheUsersTags() {
        Map<String, ResourceSpec> specs = expand("network");
        assertThat(specs.values()).allSatisfy(s -> assertThat(s.tags())
                .containsEntry("infra:stack", "shop")
                .containsEntry("infra:address", s.address())
                .containsEntry("owner", "platform")
                .containsEntry("environment", "production")
                .hasEntrySatisfying("Name", name -> assertThat(name).startsWith("shop-")));
        assertThat(specs.get("network/vpc").tags()).containsEntry("Name", "shop-vpc");
        assertThat(specs.get("network/subnet.private-b").tags()).containsEntry("Name", "shop-subnet-private-b");
        assertThat(specs.values()).extracting(s -> s.tags().get("Name")).doesNotHaveDuplicates();
    }

    @Test
    void securityGroupRulesReferToTheirGroups() {
        Map<String, ResourceSpec> specs = expand("network");
        assertThat(specs.get("network/security-group.nodes").attributes())
                .containsEntry("groupName", "shop-nodes")
                .containsEntry("description", "Cluster nodes");
        ResourceSpec fromAlb = specs.get("network/security-group.nodes/rule.ingress-tcp-30000-32767-sg-public-alb");
        assertThat(fromAlb.attributes())
                .containsEntry("securityGroupId", Ref.id("network/security-group.nodes"))
                .containsEntry("referencedGroupId", Ref.id("network/security-group.public-alb"))
                .containsEntry("protocol", "tcp")
                .containsEntry("fromPort", 30000L)
                .containsEntry("toPort", 32767L)
                .containsEntry("direction", "ingress");
        ResourceSpec all = specs.get("network/security-group.nodes/rule.ingress-all-all-sg-nodes");
        assertThat(all.attributes()).containsEntry("protocol", "-1").containsEntry("fromPort", -1L);
        assertThat(specs.get("network/security-group.public-alb/rule.ingress-tcp-80-0.0.0.0_0").attributes())
                .containsEntry("cidrIpv4", "0.0.0.0/0")
                .containsEntry("description", "HTTP, redirected to HTTPS");
    }

    @Test
    void expansionIsDeterministic() {
        assertThat(Expander.expand(Fixtures.load("network"))).isEqualTo(Expander.expand(Fixtures.load("network")));
    }

    @Test
    void aTopologyWithoutANetworkExpandsToNothing() {
        assertThat(expand("no-network")).isEmpty();
    }
}
