package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Address;

/**
 * Replacing a NAT gateway reuses its Elastic IP: deleting the gateway must disassociate the address
 * (AWS DeleteNatGateway). Covers the launcher's patch_nat_gateway_delete_releases_association.
 */
class NatGatewayReplaceIT extends Ec2TestBase {

    @Override
    protected String region() {
        return "sa-east-1";
    }

    @Test
    void deletingANatGatewayFreesItsElasticIpForTheNextOne() {
        LiveResource vpc = vpc("network/vpc", "10.0.0.0/16");
        LiveResource subnet = subnet("network/subnet.public-a", vpc.id(), "10.0.1.0/24", "sa-east-1a");
        internetGateway("network/internet-gateway", vpc.id());
        LiveResource eip = elasticIp("network/eip.nat-a");
        NatGatewayProvider nats = new NatGatewayProvider(clients);
        ResourceSpec spec = spec("network/nat-gateway.a", NatGatewayProvider.TYPE, Map.of("subnetId", subnet.id(),
                "allocationId", eip.id(), "connectivityType", "public"), Map.of());

        LiveResource first = nats.create(spec, ctx(spec.address()));
        nats.delete(first, ctx(spec.address()));

        Address raw = ec2.describeAddresses(b -> b.allocationIds(eip.id())).addresses().get(0);
        assertThat(raw.associationId()).isNull();
        LiveResource second = nats.create(spec, ctx(spec.address()));
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(ec2.describeAddresses(b -> b.allocationIds(eip.id())).addresses().get(0).associationId()).isNotNull();
        nats.delete(second, ctx(spec.address()));
    }
}
