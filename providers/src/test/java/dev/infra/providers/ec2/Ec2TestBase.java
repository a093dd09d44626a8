package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.diag.SourceLocation;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.model.Values;
import dev.infra.core.provider.LiveResource;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.SleepingOperationContext;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Shared set-up of the EC2 integration tests: one region per class, a fresh stack name per test instance. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class Ec2TestBase {

    protected AwsClients clients;
    /** For raw assertions: what AWS itself returns, not what a provider makes of it. */
    protected Ec2Client ec2;
    /** A fresh stack per test, so that each test's readAll sees only its own resources. */
    protected String stack;

    /** Each class uses its own region, so classes never see each other's resources. */
    protected abstract String region();

    @BeforeAll
    void connect() {
        clients = Emulator.clients(region());
        ec2 = clients.ec2();
    }

    @BeforeEach
    void newStack() {
        stack = "it-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterAll
    void disconnect() {
        if (clients != null) {
            clients.close();
        }
    }

    protected SleepingOperationContext ctx(String address) {
        return new SleepingOperationContext(address);
    }

    protected ResourceSpec spec(String address, String type, Map<String, Object> attributes, Map<String, String> userTags) {
        return spec(stack, address, type, attributes, userTags);
    }

    /** A resolved spec as the engine hands it over: tags always carry stack, address and Name. */
    protected static ResourceSpec spec(String stack, String address, String type, Map<String, Object> attributes,
                                       Map<String, String> userTags) {
        Map<String, String> tags = new TreeMap<>(userTags);
        tags.put("infra:stack", stack);
        tags.put("infra:address", address);
        tags.put("Name", stack + "-" + address.substring(address.lastIndexOf('.') + 1));
        Map<String, Object> attrs = new TreeMap<>(attributes);
        attrs.put("tags", tags);
        return ResourceSpec.of(address, type, attrs, SourceLocation.wholeFile("test.yaml"));
    }

    protected static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> out = new TreeMap<>();
        tags.forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    /** Every spec attribute reads back with the same value and shape, so the engine sees no difference. */
    protected static void assertMatchesSpec(LiveResource live, ResourceSpec spec) {
        assertThat(live.address()).isEqualTo(spec.address());
        spec.attributes().forEach((name, value) -> assertThat(Values.same(value, live.attributes().get(name)))
                .as("attribute %s: spec %s, live %s", name, value, live.attributes().get(name))
                .isTrue());
    }

    protected static void assertAwsError(Executable call, String code) {
        assertThatThrownBy(call::execute)
                .isInstanceOf(Ec2Exception.class)
                .satisfies(e -> assertThat(((Ec2Exception) e).awsErrorDetails().errorCode()).isEqualTo(code));
    }

    // ---- prerequisites made through the providers ----------------------------------------------------

    protected LiveResource vpc(String address, String cidr) {
        return new VpcProvider(clients).create(spec(address, VpcProvider.TYPE, Map.of("cidrBlock", cidr), Map.of()),
                ctx(address));
    }

    protected LiveResource subnet(String address, String vpcId, String cidr, String az) {
        return new SubnetProvider(clients).create(spec(address, SubnetProvider.TYPE,
                Map.of("vpcId", vpcId, "cidrBlock", cidr, "availabilityZone", az), Map.of()), ctx(address));
    }

    protected LiveResource internetGateway(String address, String vpcId) {
        return new InternetGatewayProvider(clients).create(
                spec(address, InternetGatewayProvider.TYPE, Map.of("vpcId", vpcId), Map.of()), ctx(address));
    }

    protected LiveResource elasticIp(String address) {
        return new ElasticIpProvider(clients).create(
                spec(address, ElasticIpProvider.TYPE, Map.of("domain", "vpc"), Map.of()), ctx(address));
    }

    protected LiveResource natGateway(String address, String subnetId, String allocationId) {
        return new NatGatewayProvider(clients).create(spec(address, NatGatewayProvider.TYPE,
                Map.of("subnetId", subnetId, "allocationId", allocationId, "connectivityType", "public"), Map.of()),
                ctx(address));
    }

    protected LiveResource securityGroup(String address, String vpcId, String name) {
        return new SecurityGroupProvider(clients).create(spec(address, SecurityGroupProvider.TYPE,
                Map.of("vpcId", vpcId, "groupName", name, "description", "test group " + name), Map.of()), ctx(address));
    }
}
