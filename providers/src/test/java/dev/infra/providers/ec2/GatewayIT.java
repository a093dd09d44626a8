package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.DescribeNatGatewaysResponse;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NatGatewayState;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Internet gateways, Elastic IPs and NAT gateways. */
class GatewayIT extends Ec2TestBase {

    private LiveResource vpc;
    private LiveResource subnet;

    @Override
    protected String region() {
        return "eu-west-1";
    }

    @BeforeEach
    void network() {
        vpc = vpc("network/vpc.main", "10.0.0.0/16");
        subnet = subnet("network/subnet.public-a", vpc.id(), "10.0.1.0/24", "eu-west-1a");
    }

    @Test
    void internetGatewayLifecycle() {
        InternetGatewayProvider igws = new InternetGatewayProvider(clients);
        String address = "network/igw.main";
        ResourceSpec spec = spec(address, InternetGatewayProvider.TYPE, Map.of("vpcId", vpc.id()), Map.of("a", "1"));

        LiveResource created = igws.create(spec, ctx(address));

        assertThat(created.id()).startsWith("igw-");
        InternetGateway raw = ec2.describeInternetGateways(b -> b.internetGatewayIds(created.id())).internetGateways().get(0);
        assertThat(raw.attachments()).singleElement().satisfies(a -> assertThat(a.vpcId()).isEqualTo(vpc.id()));
        assertThat(tagMap(raw.tags())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);

        ResourceSpec changed = spec(address, InternetGatewayProvider.TYPE, Map.of("vpcId", vpc.id()), Map.of("b", "2"));
        LiveResource updated = igws.update(created, changed, Set.of("tags"), ctx(address));
        raw = ec2.describeInternetGateways(b -> b.internetGatewayIds(created.id())).internetGateways().get(0);
        assertThat(tagMap(raw.tags())).isEqualTo(changed.tags());
        assertMatchesSpec(updated, changed);

        assertThat(igws.readAll(ReadRequest.of(stack, Set.of()))).containsExactly(updated);
        assertThat(igws.findExisting(stack, changed)).contains(updated);

        igws.delete(updated, ctx(address));
        assertAwsError(() -> ec2.describeInternetGateways(b -> b.internetGatewayIds(created.id())),
                "InvalidInternetGatewayID.NotFound");
        igws.delete(updated, ctx(address));
    }

    @Test
    void aGatewayLeftDetachedIsAttachedByAnUpdateAndMovesToAnotherVpc() {
        InternetGatewayProvider igws = new InternetGatewayProvider(clients);
        String address = "network/igw.main";
        ResourceSpec spec = spec(address, InternetGatewayProvider.TYPE, Map.of("vpcId", vpc.id()), Map.of());
        // As a killed apply leaves it: created and tagged, never attached.
        String id = ec2.createInternetGateway(b -> b.tagSpecifications(t -> t.resourceType("internet-gateway")
                .tags(spec.tags().entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                        .toList()))).internetGateway().internetGatewayId();
        LiveResource detached = igws.findExisting(stack, spec).orElseThrow();
        assertThat(detached.attributes()).doesNotContainKey("vpcId");

        LiveResource attached = igws.update(detached, spec, Set.of("vpcId"), ctx(address));
        assertThat(ec2.describeInternetGateways(b -> b.internetGatewayIds(id)).internetGateways().get(0).attachments())
                .singleElement().satisfies(a -> assertThat(a.vpcId()).isEqualTo(vpc.id()));
        assertThat(attached.attributes()).containsEntry("vpcId", vpc.id());

        LiveResource other = vpc("network/vpc.other", "10.1.0.0/16");
        ResourceSpec moved = spec(address, InternetGatewayProvider.TYPE, Map.of("vpcId", other.id()), Map.of());
        igws.update(attached, moved, Set.of("vpcId"), ctx(address));
        assertThat(ec2.describeInternetGateways(b -> b.internetGatewayIds(id)).internetGateways().get(0).attachments())
                .singleElement().satisfies(a -> assertThat(a.vpcId()).isEqualTo(other.id()));
        igws.delete(attached, ctx(address));
    }

    @Test
    void elasticIpLifecycle() {
        ElasticIpProvider eips = new ElasticIpProvider(clients);
        String address = "network/eip.nat-a";
        ResourceSpec spec = spec(address, ElasticIpProvider.TYPE, Map.of("domain", "vpc"), Map.of("a", "1"));

        LiveResource created = eips.create(spec, ctx(address));

        assertThat(created.id()).startsWith("eipalloc-");
        Address raw = ec2.describeAddresses(b -> b.allocationIds(created.id())).addresses().get(0);
        assertThat(raw.domainAsString()).isEqualTo("vpc");
        assertThat(tagMap(raw.tags())).isEqualTo(spec.tags());
        assertThat(created.attributes()).containsEntry("publicIp", raw.publicIp());
        assertMatchesSpec(created, spec);

        ResourceSpec changed = spec(address, ElasticIpProvider.TYPE, Map.of("domain", "vpc"), Map.of());
        LiveResource updated = eips.update(created, changed, Set.of("tags"), ctx(address));
        raw = ec2.describeAddresses(b -> b.allocationIds(created.id())).addresses().get(0);
        assertThat(tagMap(raw.tags())).isEqualTo(changed.tags());

        assertThat(eips.readAll(ReadRequest.of(stack, Set.of()))).containsExactly(updated);
        assertThat(eips.findExisting(stack, changed)).contains(updated);

        eips.delete(updated, ctx(address));
        assertAwsError(() -> ec2.describeAddresses(b -> b.allocationIds(created.id())), "InvalidAllocationID.NotFound");
        eips.delete(updated, ctx(address));
    }

    @Test
    void natGatewayLifecycle() {
        internetGateway("network/igw.main", vpc.id());
        LiveResource eip = elasticIp("network/eip.nat-a");
        NatGatewayProvider nats = new NatGatewayProvider(clients);
        String address = "network/nat.a";
        ResourceSpec spec = spec(address, NatGatewayProvider.TYPE, Map.of("subnetId", subnet.id(),
                "allocationId", eip.id(), "connectivityType", "public"), Map.of("a", "1"));

        LiveResource created = nats.create(spec, ctx(address));

        assertThat(created.id()).startsWith("nat-");
        NatGateway raw = ec2.describeNatGateways(b -> b.natGatewayIds(created.id())).natGateways().get(0);
        assertThat(raw.state()).isEqualTo(NatGatewayState.AVAILABLE);
        assertThat(raw.subnetId()).isEqualTo(subnet.id());
        assertThat(raw.natGatewayAddresses()).singleElement()
                .satisfies(a -> assertThat(a.allocationId()).isEqualTo(eip.id()));
        assertThat(tagMap(raw.tags())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).containsEntry("vpcId", vpc.id())
                .containsEntry("publicIp", eip.attributes().get("publicIp"));

        ResourceSpec changed = spec(address, NatGatewayProvider.TYPE, Map.of("subnetId", subnet.id(),
                "allocationId", eip.id(), "connectivityType", "public"), Map.of("b", "2"));
        LiveResource updated = nats.update(created, changed, Set.of("tags"), ctx(address));
        raw = ec2.describeNatGateways(b -> b.natGatewayIds(created.id())).natGateways().get(0);
        assertThat(tagMap(raw.tags())).isEqualTo(changed.tags());

        // Another stack's NAT gateway: DescribeNatGateways may ignore the tag filter, readAll must not.
        LiveResource otherEip = elasticIp("network/eip.other");
        LiveResource other = new NatGatewayProvider(clients).create(spec("other-stack", "network/nat.a",
                NatGatewayProvider.TYPE, Map.of("subnetId", subnet.id(), "allocationId", otherEip.id()), Map.of()),
                ctx("other"));
        assertThat(nats.readAll(ReadRequest.of(stack, Set.of()))).containsExactly(updated);
        assertThat(nats.findExisting(stack, changed)).contains(updated);

        nats.delete(updated, ctx(address));
        raw = ec2.describeNatGateways(b -> b.natGatewayIds(created.id())).natGateways().get(0);
        assertThat(raw.state()).isEqualTo(NatGatewayState.DELETED);
        assertThat(nats.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        assertThat(nats.findExisting(stack, changed)).isEmpty();
        nats.delete(updated, ctx(address)); // deleted already: no second DeleteNatGateway
        nats.delete(other, ctx("other"));
    }

    @Test
    void natGatewayCreateFailsWithAwsFailureMessage() {
        LiveResource eip = elasticIp("network/eip.nat-b");
        ExecutionInterceptor failed = new ExecutionInterceptor() {
            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                if (context.response() instanceof DescribeNatGatewaysResponse r) {
                    return r.toBuilder().natGateways(r.natGateways().stream().map(n -> n.toBuilder()
                            .state(NatGatewayState.FAILED)
                            .failureCode("Gateway.NotAttached")
                            .failureMessage("Network vpc-x has no Internet gateway attached").build()).toList()).build();
                }
                return context.response();
            }
        };
        try (AwsClients failing = Emulator.clients(region(), failed)) {
            String address = "network/nat.b";
            ResourceSpec spec = spec(address, NatGatewayProvider.TYPE,
                    Map.of("subnetId", subnet.id(), "allocationId", eip.id(), "connectivityType", "public"), Map.of());

            assertThatThrownBy(() -> new NatGatewayProvider(failing).create(spec, ctx(address)))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageStartingWith(address + ": ")
                    .hasMessageContaining("Gateway.NotAttached: Network vpc-x has no Internet gateway attached");
            // A failed gateway counts as absent.
            assertThat(new NatGatewayProvider(failing).readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
        }
    }
}
