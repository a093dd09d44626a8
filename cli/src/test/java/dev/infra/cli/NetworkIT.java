package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.state.LocalBackend;
import dev.infra.core.state.StateBackend;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NatGatewayState;
import software.amazon.awssdk.services.ec2.model.Route;
import software.amazon.awssdk.services.ec2.model.RouteTable;
import software.amazon.awssdk.services.ec2.model.RouteTableAssociation;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Vpc;

/**
 * The network layer end to end through the CLI against the emulator. Every assertion on what exists
 * reads it back through the SDK, not through infra's state. Steps run in order, each building on the last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NetworkIT {

    static final String REGION = "us-east-1";
    static final String STACK = "netit";

    @TempDir
    static Path dir;

    static AwsClients aws;
    static Ec2Client ec2;

    @BeforeAll
    static void start() {
        Emulator.endpoint();
        aws = Emulator.clients(REGION);
        ec2 = aws.ec2();
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    static Path topology(String cidr, int zones, String owner) throws IOException {
        Path f = dir.resolve("infra.yaml");
        Files.writeString(f, """
                stack: %s
                region: %s
                tags: {owner: %s}
                network:
                  cidr: %s
                  zones: %d
                  natGateways: one-per-zone
                  securityGroups:
                    web:
                      ingress:
                        - {protocol: tcp, ports: 443, cidr: 0.0.0.0/0}
                    app:
                      ingress:
                        - {protocol: tcp, ports: 8080, source: web, description: from web}
                """.formatted(STACK, REGION, owner, cidr, zones));
        return f;
    }

    static Cli.Result infra(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve("infra.yaml").toString(), "--state-dir", dir.resolve(".infra").toString(),
                "--endpoint-url", Emulator.endpoint().toString(), "--max-attempts", "2"));
        return Cli.run(all.toArray(String[]::new));
    }

    static Filter stackTag() {
        return Filter.builder().name("tag:infra:stack").values(STACK).build();
    }

    static List<Vpc> vpcs() {
        return ec2.describeVpcs(b -> b.filters(stackTag())).vpcs();
    }

    static List<Subnet> subnets() {
        return ec2.describeSubnets(b -> b.filters(stackTag())).subnets();
    }

    /** moto ignores tag filters on NAT gateways: filter here too. */
    static List<NatGateway> natGateways() {
        return ec2.describeNatGateways(b -> b.filter(stackTag())).natGateways().stream()
                .filter(n -> n.tags().stream().anyMatch(t -> t.key().equals("infra:stack") && t.value().equals(STACK)))
                .filter(n -> n.state() != NatGatewayState.DELETED && n.state() != NatGatewayState.DELETING)
                .toList();
    }

    static String tag(List<Tag> tags, String key) {
        return tags.stream().filter(t -> t.key().equals(key)).map(Tag::value).findFirst().orElse(null);
    }

    @Test
    @Order(0)
    void aZoneTheRegionLacksFailsThePlan() throws IOException {
        topology("10.20.0.0/16", 4, "platform");
        Cli.Result r = infra("plan", "--region", "eu-central-1");
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err().strip()).endsWith("error: network.zones: the network spans 4 zones but eu-central-1 has 3"
                + " (a, b, c): give regions.eu-central-1.network.zones, or fewer zones");
    }

    /** A copy in a region without zone b takes that region's zones, in order: a, c, d. */
    @Test
    @Order(0)
    void aCopyTakesTheZonesItsRegionHas() throws IOException {
        topology("10.20.0.0/16", 3, "platform");
        Cli.Result r = infra("plan", "--region", "ap-northeast-1");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("\"ap-northeast-1a\"").contains("\"ap-northeast-1c\"").contains("\"ap-northeast-1d\"")
                .doesNotContain("ap-northeast-1b");
    }

    @Test
    @Order(1)
    void applyWithoutTerminalIsRefusedAndChangesNothing() throws IOException {
        topology("10.20.0.0/16", 3, "platform");
        Cli.Result r = infra("apply");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("pass --auto-approve");
        assertThat(vpcs()).isEmpty();
    }

    @Test
    @Order(2)
    void applyCreatesTheWiredNetwork() throws IOException {
        topology("10.20.0.0/16", 3, "platform");
        Cli.Result r = infra("apply", "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("Apply complete! Resources: 22 added");

        List<Vpc> vpcs = vpcs();
        assertThat(vpcs).hasSize(1);
        Vpc vpc = vpcs.get(0);
        assertThat(vpc.cidrBlock()).isEqualTo("10.20.0.0/16");
        assertThat(tag(vpc.tags(), "infra:address")).isEqualTo("network/vpc");
        assertThat(tag(vpc.tags(), "Name")).isEqualTo("netit-vpc");
        assertThat(tag(vpc.tags(), "owner")).isEqualTo("platform");

        List<Subnet> subnets = subnets();
        assertThat(subnets).hasSize(6).allSatisfy(s -> {
            assertThat(s.vpcId()).isEqualTo(vpc.vpcId());
            assertThat(tag(s.tags(), "infra:stack")).isEqualTo(STACK);
            assertThat(tag(s.tags(), "owner")).isEqualTo("platform");
        });
        Map<String, Subnet> byAddress = subnets.stream().collect(Collectors.toMap(s -> tag(s.tags(), "infra:address"), s -> s));
        assertThat(byAddress.get("network/subnet.public-a").mapPublicIpOnLaunch()).isTrue();
        assertThat(byAddress.get("network/subnet.private-a").mapPublicIpOnLaunch()).isFalse();

        // NAT gateways sit in public subnets, one per zone, each with an Elastic IP.
        List<NatGateway> nats = natGateways();
        assertThat(nats).hasSize(3).allSatisfy(n -> {
            Subnet s = subnets.stream().filter(x -> x.subnetId().equals(n.subnetId())).findFirst().orElseThrow();
            assertThat(tag(s.tags(), "infra:address")).startsWith("network/subnet.public-");
            assertThat(n.natGatewayAddresses()).singleElement().satisfies(a -> assertThat(a.allocationId()).startsWith("eipalloc-"));
        });

        // Each private subnet routes 0.0.0.0/0 to the NAT gateway of its own zone; public ones to the IGW.
        List<RouteTable> tables = ec2.describeRouteTables(b -> b.filters(stackTag())).routeTables();
        for (Subnet s : subnets) {
            RouteTable rt = tables.stream().filter(t -> t.associations().stream()
                    .map(RouteTableAssociation::subnetId).anyMatch(s.subnetId()::equals)).findFirst().orElseThrow();
            Route def = rt.routes().stream().filter(x -> "0.0.0.0/0".equals(x.destinationCidrBlock())).findFirst().orElseThrow();
            if (tag(s.tags(), "infra:address").contains("private")) {
                NatGateway nat = nats.stream().filter(n -> n.natGatewayId().equals(def.natGatewayId())).findFirst().orElseThrow();
                Subnet natSubnet = subnets.stream().filter(x -> x.subnetId().equals(nat.subnetId())).findFirst().orElseThrow();
                assertThat(natSubnet.availabilityZone()).isEqualTo(s.availabilityZone());
            } else {
                assertThat(def.gatewayId()).startsWith("igw-");
            }
        }
        // The group-referencing rule points at the web group.
        String web = ec2.describeSecurityGroups(b -> b.filters(stackTag())).securityGroups().stream()
                .filter(g -> "network/security-group.web".equals(tag(g.tags(), "infra:address"))).findFirst().orElseThrow().groupId();
        assertThat(ec2.describeSecurityGroupRules(b -> b.filters(stackTag())).securityGroupRules())
                .anySatisfy(rule -> {
                    assertThat(rule.referencedGroupInfo()).isNotNull();
                    assertThat(rule.referencedGroupInfo().groupId()).isEqualTo(web);
                    assertThat(rule.fromPort()).isEqualTo(8080);
                });
    }

    @Test
    @Order(3)
    void planAgainHasNoChanges() {
        Cli.Result r = infra("plan", "--detailed-exitcode", "--stats", "-v");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("No changes.");
        assertThat(r.err()).containsPattern("aws: Ec2\\.DescribeVpcs us-east-1 -> 200 in \\d+ ms");
        assertThat(r.err()).contains("DescribeVpcs: 1").contains("DescribeSubnets: 1").contains("DescribeNatGateways: 1");
    }

    @Test
    @Order(4)
    void changingATagUpdatesInPlace() throws IOException {
        topology("10.20.0.0/16", 3, "payments");
        Cli.Result plan = infra("plan", "--detailed-exitcode");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(ExitCodes.CHANGES);
        assertThat(plan.out()).contains("~ network/vpc (aws_vpc)").contains("~ tags.owner: \"platform\" -> \"payments\"")
                .contains("0 to add").contains("0 to replace").contains("0 to destroy");
        Cli.Result apply = infra("apply", "--auto-approve");
        assertThat(apply.exit()).as(apply.toString()).isEqualTo(0);
        assertThat(vpcs()).singleElement().satisfies(v -> assertThat(tag(v.tags(), "owner")).isEqualTo("payments"));
        assertThat(subnets()).allSatisfy(s -> assertThat(tag(s.tags(), "owner")).isEqualTo("payments"));
    }

    @Test
    @Order(5)
    void addingAZoneOnlyAdds() throws IOException {
        topology("10.20.0.0/16", 4, "payments");
        Cli.Result plan = infra("plan");
        assertThat(plan.out()).as(plan.toString()).contains("+ network/subnet.private-d").contains("+ network/nat-gateway.d")
                .contains("0 to replace, 0 to destroy");
        Cli.Result apply = infra("apply", "--auto-approve");
        assertThat(apply.exit()).as(apply.toString()).isEqualTo(0);
        assertThat(subnets()).hasSize(8);
        assertThat(natGateways()).hasSize(4);
    }

    @Test
    @Order(6)
    void aSavedPlanIsRefusedOnceTheStateMoved() throws IOException {
        topology("10.20.0.0/16", 4, "team-a");
        Path planFile = dir.resolve("plan.json");
        assertThat(infra("plan", "-o", planFile.toString()).exit()).isEqualTo(0);
        topology("10.20.0.0/16", 4, "team-b");
        assertThat(infra("apply", "--auto-approve").exit()).isEqualTo(0);
        topology("10.20.0.0/16", 4, "team-a");
        Cli.Result stale = infra("apply", planFile.toString());
        assertThat(stale.exit()).isEqualTo(1);
        assertThat(stale.err()).contains("is stale: the state changed since it was made");
        assertThat(vpcs()).singleElement().satisfies(v -> assertThat(tag(v.tags(), "owner")).isEqualTo("team-b"));

        // A fresh saved plan applies exactly.
        assertThat(infra("plan", "-o", planFile.toString()).exit()).isEqualTo(0);
        Cli.Result applied = infra("apply", planFile.toString());
        assertThat(applied.exit()).as(applied.toString()).isEqualTo(0);
        assertThat(vpcs()).singleElement().satisfies(v -> assertThat(tag(v.tags(), "owner")).isEqualTo("team-a"));
    }

    @Test
    @Order(7)
    void aSecondApplyIsRefusedWhileTheLockIsHeld() {
        StateBackend backend = LocalBackend.of(dir.resolve(".infra"), STACK, REGION);
        try (StateBackend.Lock lock = backend.lock("apply")) {
            Cli.Result r = infra("apply", "--auto-approve");
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).contains("is locked by").contains("(apply, pid " + ProcessHandle.current().pid() + ")");
        }
    }

    @Test
    @Order(8)
    void changingTheVpcCidrReplacesTheNetwork() throws IOException {
        String oldVpc = vpcs().get(0).vpcId();
        topology("10.30.0.0/16", 4, "team-a");
        Cli.Result plan = infra("plan");
        assertThat(plan.out()).as(plan.toString()).contains("-/+ network/vpc (aws_vpc)")
                .contains("forces replacement: cidrBlock").contains("~ cidrBlock: \"10.20.0.0/16\" -> \"10.30.0.0/16\"");
        Cli.Result apply = infra("apply", "--auto-approve");
        assertThat(apply.exit()).as(apply.toString()).isEqualTo(0);
        assertThat(vpcs()).singleElement().satisfies(v -> {
            assertThat(v.cidrBlock()).isEqualTo("10.30.0.0/16");
            assertThat(v.vpcId()).isNotEqualTo(oldVpc);
        });
        assertThat(subnets()).hasSize(8).allSatisfy(s -> assertThat(s.cidrBlock()).startsWith("10.30."));
        assertThat(natGateways()).hasSize(4);
        assertThat(infra("plan", "--detailed-exitcode").exit()).isEqualTo(0);
    }

    @Test
    @Order(9)
    void destroyLeavesNothingOfTheStack() {
        Cli.Result r = infra("destroy", "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("Destroy complete! Resources: 27 destroyed.");
        assertThat(vpcs()).isEmpty();
        assertThat(subnets()).isEmpty();
        assertThat(natGateways()).isEmpty();
        assertThat(ec2.describeAddresses(b -> b.filters(stackTag())).addresses()).isEmpty();
        assertThat(ec2.describeInternetGateways(b -> b.filters(stackTag())).internetGateways()).isEmpty();
        assertThat(ec2.describeSecurityGroups(b -> b.filters(stackTag())).securityGroups()).isEmpty();
        assertThat(infra("state", "list").out()).isEmpty();
    }
}
