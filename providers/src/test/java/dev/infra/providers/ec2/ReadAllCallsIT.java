package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ReadRequest;
import dev.infra.core.provider.ResourceProvider;
import dev.infra.providers.ApiCallCounter;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsProviders;
import dev.infra.providers.testing.Emulator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** readAll costs one Describe call per type, however many resources the stack holds. */
class ReadAllCallsIT extends Ec2TestBase {

    private static final int N = 3;

    @Override
    protected String region() {
        return "ca-central-1";
    }

    /** The Describe call each type's readAll makes. */
    private static final Map<String, String> DESCRIBE = Map.of(
            VpcProvider.TYPE, "DescribeVpcs",
            SubnetProvider.TYPE, "DescribeSubnets",
            InternetGatewayProvider.TYPE, "DescribeInternetGateways",
            ElasticIpProvider.TYPE, "DescribeAddresses",
            NatGatewayProvider.TYPE, "DescribeNatGateways",
            RouteTableProvider.TYPE, "DescribeRouteTables",
            SecurityGroupProvider.TYPE, "DescribeSecurityGroups",
            SecurityGroupRuleProvider.TYPE, "DescribeSecurityGroupRules");

    @Test
    void oneDescribeCallPerTypeForManyResources() {
        Map<String, List<String>> ids = new TreeMap<>();
        for (int i = 0; i < N; i++) {
            String n = "-" + i;
            LiveResource vpc = vpc("net/vpc.v" + i, "10." + (100 + i) + ".0.0/16");
            LiveResource subnet = subnet("net/subnet.s" + i, vpc.id(), "10." + (100 + i) + ".1.0/24", "ca-central-1a");
            LiveResource igw = internetGateway("net/igw.g" + i, vpc.id());
            LiveResource eip = elasticIp("net/eip.e" + i);
            LiveResource nat = natGateway("net/nat.n" + i, subnet.id(), eip.id());
            LiveResource rtb = new RouteTableProvider(clients).create(spec("net/rtb.r" + i, RouteTableProvider.TYPE,
                    Map.of("vpcId", vpc.id(), "routes", List.of(Map.of("destinationCidrBlock", "0.0.0.0/0",
                            "gatewayId", igw.id())), "subnetIds", List.of(subnet.id())), Map.of()), ctx("rtb" + n));
            LiveResource sg = securityGroup("app/sg.g" + i, vpc.id(), "g" + i);
            LiveResource rule = new SecurityGroupRuleProvider(clients).create(spec("app/sgr.r" + i,
                    SecurityGroupRuleProvider.TYPE, Map.of("securityGroupId", sg.id(), "direction", "ingress",
                            "protocol", "tcp", "fromPort", 80L, "toPort", 80L, "cidrIpv4", "10.0.0.0/8"), Map.of()),
                    ctx("sgr" + n));
            for (LiveResource r : List.of(vpc, subnet, igw, eip, nat, rtb, sg, rule)) {
                ids.computeIfAbsent(typeOf(r), t -> new ArrayList<>()).add(r.id());
            }
        }

        try (AwsClients counted = Emulator.clients(region())) {
            ApiCallCounter counter = counted.counter();
            // The network types this test makes resources of (other types have their own readAll call tests).
            for (ResourceProvider provider : AwsProviders.registry(counted).all().stream()
                    .filter(p -> DESCRIBE.containsKey(p.type())).toList()) {
                counter.reset();
                // The ids from state are all in the stack: no second call for them.
                List<LiveResource> found = provider.readAll(ReadRequest.of(stack, Set.copyOf(ids.get(provider.type()))));

                assertThat(found).extracting(LiveResource::id)
                        .as(provider.type()).containsExactlyInAnyOrderElementsOf(ids.get(provider.type()));
                Map<String, Long> expected = new TreeMap<>(Map.of(DESCRIBE.get(provider.type()), 1L));
                if (provider.type().equals(VpcProvider.TYPE)) {
                    // DescribeVpcs does not report the DNS settings: one DescribeVpcAttribute per setting and VPC.
                    expected.put("DescribeVpcAttribute", 2L * N);
                }
                assertThat(counter.snapshot()).as(provider.type()).isEqualTo(Map.of("Ec2", expected));
            }
        }
    }

    @Test
    void idsOutsideTheStackCostOneMoreCall() {
        LiveResource inStack = vpc("net/vpc.in", "10.110.0.0/16");
        LiveResource elsewhere = new VpcProvider(clients).create(spec("other-" + stack, "net/vpc.out",
                VpcProvider.TYPE, Map.of("cidrBlock", "10.111.0.0/16"), Map.of()), ctx("out"));

        try (AwsClients counted = Emulator.clients(region())) {
            List<LiveResource> found = new VpcProvider(counted)
                    .readAll(ReadRequest.of(stack, Set.of(inStack.id(), elsewhere.id())));

            assertThat(found).extracting(LiveResource::id).containsExactlyInAnyOrder(inStack.id(), elsewhere.id());
            assertThat(counted.counter().count("Ec2", "DescribeVpcs")).isEqualTo(2);
        }
    }

    private static String typeOf(LiveResource r) {
        String prefix = r.id().substring(0, r.id().indexOf('-'));
        return switch (prefix) {
            case "vpc" -> VpcProvider.TYPE;
            case "subnet" -> SubnetProvider.TYPE;
            case "igw" -> InternetGatewayProvider.TYPE;
            case "eipalloc" -> ElasticIpProvider.TYPE;
            case "nat" -> NatGatewayProvider.TYPE;
            case "rtb" -> RouteTableProvider.TYPE;
            case "sg" -> SecurityGroupProvider.TYPE;
            case "sgr" -> SecurityGroupRuleProvider.TYPE;
            default -> throw new IllegalArgumentException(r.id());
        };
    }
}
