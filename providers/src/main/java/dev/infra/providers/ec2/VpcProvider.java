package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.ParallelReads;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.DescribeVpcAttributeResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Vpc;
import software.amazon.awssdk.services.ec2.model.VpcAttributeName;

/**
 * {@code aws_vpc}: cidrBlock, enableDnsSupport, enableDnsHostnames, tags; computed ownerId. DescribeVpcs does not
 * report the DNS settings, so a read costs one DescribeVpcAttribute call per setting and VPC besides.
 */
public final class VpcProvider extends Ec2Provider<Vpc> {

    public static final String TYPE = "aws_vpc";
    private static final String DNS_SUPPORT = "enableDnsSupport";
    private static final String DNS_HOSTNAMES = "enableDnsHostnames";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final dev.infra.core.catalogue.ResourceType ENTRY = dev.infra.core.catalogue.ResourceType.of(TYPE,
            Attribute.required("cidrBlock", Kind.STRING),
            Attribute.required(DNS_HOSTNAMES, Kind.BOOL).updatable(),
            Attribute.required(DNS_SUPPORT, Kind.BOOL).updatable(),
            Attribute.computed("ownerId", Kind.STRING))
            .with(Trait.TAGGED)
            .id("vpc-…");

    public VpcProvider(AwsClients clients) {
        super(clients, ENTRY, ResourceType.VPC, "InvalidVpcID.NotFound", Vpc::vpcId, Vpc::tags);
    }

    @Override
    protected List<Vpc> describe(List<Filter> filters, Collection<String> ids) {
        return call("DescribeVpcs", () -> ec2().describeVpcsPaginator(
                b -> b.filters(filtersOrNull(filters)).vpcIds(idsOrNull(ids))).vpcs().stream().toList());
    }

    @Override
    protected Map<String, Object> attributesOf(Vpc vpc) {
        Map<String, Object> a = new TreeMap<>();
        a.put("cidrBlock", vpc.cidrBlock());
        putIfPresent(a, "ownerId", vpc.ownerId());
        var support = ParallelReads.fork(() -> dnsAttribute(vpc.vpcId(), VpcAttributeName.ENABLE_DNS_SUPPORT));
        a.put(DNS_HOSTNAMES, dnsAttribute(vpc.vpcId(), VpcAttributeName.ENABLE_DNS_HOSTNAMES));
        a.put(DNS_SUPPORT, support.join());
        return a;
    }

    private boolean dnsAttribute(String vpcId, VpcAttributeName name) {
        DescribeVpcAttributeResponse r = call("DescribeVpcAttribute",
                () -> ec2().describeVpcAttribute(b -> b.vpcId(vpcId).attribute(name)));
        AttributeBooleanValue v = name == VpcAttributeName.ENABLE_DNS_SUPPORT ? r.enableDnsSupport() : r.enableDnsHostnames();
        return v != null && Boolean.TRUE.equals(v.value());
    }

    @Override
    protected String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken) {
        String cidr = SpecValues.string(spec, "cidrBlock");
        return call("CreateVpc", () -> once.createVpc(b -> b.cidrBlock(cidr).tagSpecifications(tags))).vpc().vpcId();
    }

    @Override
    protected void afterCreate(String id, ResourceSpec spec, OperationContext ctx) {
        // AWS defaults: DNS support on, DNS hostnames off.
        setDns(ctx, id, DNS_SUPPORT, true, SpecValues.bool(spec, DNS_SUPPORT, true));
        setDns(ctx, id, DNS_HOSTNAMES, false, SpecValues.bool(spec, DNS_HOSTNAMES, false));
    }

    @Override
    protected void updateAttributes(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
        for (String name : List.of(DNS_SUPPORT, DNS_HOSTNAMES)) {
            Boolean desired = SpecValues.optionalBoolean(spec, name);
            if (desired != null) {
                setDns(ctx, current.id(), name, current.attributes().get(name), desired);
            }
        }
    }

    /** ModifyVpcAttribute takes one attribute per call. */
    private void setDns(OperationContext ctx, String vpcId, String name, Object current, boolean desired) {
        if (Objects.equals(current, desired)) {
            return;
        }
        AttributeBooleanValue value = AttributeBooleanValue.builder().value(desired).build();
        whenVisible(ctx, vpcId, () -> call("ModifyVpcAttribute", () -> ec2().modifyVpcAttribute(b -> {
            b.vpcId(vpcId);
            if (name.equals(DNS_SUPPORT)) {
                b.enableDnsSupport(value);
            } else {
                b.enableDnsHostnames(value);
            }
        })));
    }

    /**
     * DeleteVpc, retried while what the stack deleted releases it; a VPC still in use after that (by what another tool,
     * a GuardDuty agent or an in-cluster controller made in it) fails naming what uses it.
     */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        try {
            retryWhileInUse(ctx, "DeleteVpc " + current.id() + " (DependencyViolation: waiting for what uses it to go)",
                    () -> call("DeleteVpc", () -> ec2().deleteVpc(b -> b.vpcId(current.id()))));
        } catch (ProviderException e) {
            if (!(e.getCause() instanceof AwsCallException a) || !"DependencyViolation".equals(a.code())) {
                throw e;
            }
            throw new ProviderException(ctx.address(), "VPC " + current.id() + " cannot be deleted: "
                    + NetworkInterfaces.usersOf(ec2(), clients().region(), current.id()), e);
        }
    }
}
