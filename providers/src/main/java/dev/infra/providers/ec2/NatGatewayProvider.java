package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NatGateway;
import software.amazon.awssdk.services.ec2.model.NatGatewayAddress;
import software.amazon.awssdk.services.ec2.model.NatGatewayState;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * {@code aws_nat_gateway}: subnetId, allocationId, connectivityType, tags; computed vpcId, publicIp. Create waits
 * for {@code available}, delete for {@code deleted}; gateways deleting, deleted or failed count as absent.
 */
public final class NatGatewayProvider extends Ec2Provider<NatGateway> {

    public static final String TYPE = "aws_nat_gateway";
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(10);
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(30);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final dev.infra.core.catalogue.ResourceType ENTRY = dev.infra.core.catalogue.ResourceType.of(TYPE,
            Attribute.required("allocationId", Kind.REFERENCE),
            Attribute.required("connectivityType", Kind.STRING).rule(Rule.OneOf.of("connectivity type", "public", "private")),
            Attribute.required("subnetId", Kind.REFERENCE),
            Attribute.computed("publicIp", Kind.STRING),
            Attribute.computed("vpcId", Kind.STRING))
            .with(Trait.TAGGED)
            .id("nat-…");

    public NatGatewayProvider(AwsClients clients) {
        super(clients, ENTRY, ResourceType.NATGATEWAY, "NatGatewayNotFound", NatGateway::natGatewayId, NatGateway::tags);
    }

    @Override
    protected List<NatGateway> describe(List<Filter> filters, Collection<String> ids) {
        return call("DescribeNatGateways", () -> ec2().describeNatGatewaysPaginator(
                b -> b.filter(filtersOrNull(filters)).natGatewayIds(idsOrNull(ids))).natGateways().stream().toList());
    }

    @Override
    protected boolean isLive(NatGateway nat) {
        NatGatewayState s = nat.state();
        return s != NatGatewayState.DELETED && s != NatGatewayState.DELETING && s != NatGatewayState.FAILED;
    }

    @Override
    protected Map<String, Object> attributesOf(NatGateway nat) {
        Map<String, Object> a = new TreeMap<>();
        a.put("subnetId", nat.subnetId());
        putIfPresent(a, "connectivityType", nat.connectivityTypeAsString());
        putIfPresent(a, "vpcId", nat.vpcId());
        primaryAddress(nat).ifPresent(addr -> {
            putIfPresent(a, "allocationId", addr.allocationId());
            putIfPresent(a, "publicIp", addr.publicIp());
        });
        return a;
    }

    /** The address the gateway was created with: the one marked primary, else the first. */
    private static Optional<NatGatewayAddress> primaryAddress(NatGateway nat) {
        return nat.natGatewayAddresses().stream()
                .filter(a -> Boolean.TRUE.equals(a.isPrimary()))
                .findFirst()
                .or(() -> nat.natGatewayAddresses().stream().findFirst());
    }

    @Override
    protected String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken) {
        String subnetId = SpecValues.string(spec, "subnetId");
        String allocationId = SpecValues.optionalString(spec, "allocationId");
        String connectivity = SpecValues.optionalString(spec, "connectivityType");
        return call("CreateNatGateway", () -> once.createNatGateway(b -> b
                .subnetId(subnetId)
                .allocationId(allocationId)
                .connectivityType(connectivity == null ? "public" : connectivity)
                .clientToken(clientToken)
                .tagSpecifications(tags))).natGateway().natGatewayId();
    }

    /** Waits until {@code available}; a gateway that goes {@code failed} fails the create with AWS's reason. */
    @Override
    protected void afterCreate(String id, ResourceSpec spec, OperationContext ctx) {
        ctx.await(id + " to become available", CREATE_TIMEOUT, POLL_INTERVAL, () -> {
            Optional<NatGateway> nat = describeOne(id);
            if (nat.isPresent() && nat.get().state() == NatGatewayState.FAILED) {
                throw new ProviderException(spec.address(), "NAT gateway " + id + " failed: "
                        + nat.get().failureCode() + ": " + nat.get().failureMessage());
            }
            return nat.filter(n -> n.state() == NatGatewayState.AVAILABLE);
        });
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String id = current.id();
        // Look first: a gateway already deleted (kept visible for about an hour) must not be deleted again.
        Optional<NatGateway> nat = describeOne(id);
        if (nat.isEmpty() || nat.get().state() == NatGatewayState.DELETED) {
            return;
        }
        if (nat.get().state() != NatGatewayState.DELETING) {
            call("DeleteNatGateway", () -> ec2().deleteNatGateway(b -> b.natGatewayId(id)));
        }
        ctx.await(id + " to be deleted", DELETE_TIMEOUT, POLL_INTERVAL, () -> {
            Optional<NatGateway> now = describeOne(id);
            return now.isEmpty() || now.get().state() == NatGatewayState.DELETED ? Optional.of(Boolean.TRUE) : Optional.empty();
        });
    }
}
