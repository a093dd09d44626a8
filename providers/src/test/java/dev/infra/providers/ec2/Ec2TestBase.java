package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.providers.testing.ProviderTestSupport;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Shared set-up of the EC2 integration tests: the common provider test set-up plus the EC2 client and prerequisites. */
abstract class Ec2TestBase extends ProviderTestSupport {

    /** For raw assertions: what AWS itself returns, not what a provider makes of it. */
    protected Ec2Client ec2;

    @BeforeAll
    void ec2Client() {
        ec2 = clients.ec2();
    }

    protected static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> out = new TreeMap<>();
        tags.forEach(t -> out.put(t.key(), t.value()));
        return out;
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
