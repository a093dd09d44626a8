package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttributeBooleanValue;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** {@code aws_subnet}: vpcId, cidrBlock, availabilityZone, mapPublicIpOnLaunch, tags; computed arn, ownerId. */
public final class SubnetProvider extends Ec2Provider<Subnet> {

    public static final String TYPE = "aws_subnet";
    private static final String MAP_PUBLIC_IP = "mapPublicIpOnLaunch";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final dev.infra.core.catalogue.ResourceType ENTRY = dev.infra.core.catalogue.ResourceType.of(TYPE,
            Attribute.required("availabilityZone", Kind.STRING),
            Attribute.required("cidrBlock", Kind.STRING),
            Attribute.required(MAP_PUBLIC_IP, Kind.BOOL).updatable(),
            Attribute.required("vpcId", Kind.REFERENCE),
            Attribute.computed("arn", Kind.STRING),
            Attribute.computed("ownerId", Kind.STRING))
            .with(Trait.TAGGED)
            .id("subnet-…");

    public SubnetProvider(AwsClients clients) {
        super(clients, ENTRY, ResourceType.SUBNET, "InvalidSubnetID.NotFound", Subnet::subnetId, Subnet::tags);
    }

    @Override
    protected List<Subnet> describe(List<Filter> filters, Collection<String> ids) {
        return call("DescribeSubnets", () -> ec2().describeSubnetsPaginator(
                b -> b.filters(filtersOrNull(filters)).subnetIds(idsOrNull(ids))).subnets().stream().toList());
    }

    @Override
    protected Map<String, Object> attributesOf(Subnet subnet) {
        Map<String, Object> a = new TreeMap<>();
        a.put("vpcId", subnet.vpcId());
        a.put("cidrBlock", subnet.cidrBlock());
        a.put("availabilityZone", subnet.availabilityZone());
        a.put(MAP_PUBLIC_IP, Boolean.TRUE.equals(subnet.mapPublicIpOnLaunch()));
        putIfPresent(a, "arn", subnet.subnetArn());
        putIfPresent(a, "ownerId", subnet.ownerId());
        return a;
    }

    @Override
    protected String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken) {
        return call("CreateSubnet", () -> once.createSubnet(b -> b
                .vpcId(SpecValues.string(spec, "vpcId"))
                .cidrBlock(SpecValues.string(spec, "cidrBlock"))
                .availabilityZone(SpecValues.string(spec, "availabilityZone"))
                .tagSpecifications(tags))).subnet().subnetId();
    }

    @Override
    protected void afterCreate(String id, ResourceSpec spec, OperationContext ctx) {
        setMapPublicIp(ctx, id, false, SpecValues.bool(spec, MAP_PUBLIC_IP, false));
    }

    @Override
    protected void updateAttributes(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
        Boolean desired = SpecValues.optionalBoolean(spec, MAP_PUBLIC_IP);
        if (desired != null) {
            setMapPublicIp(ctx, current.id(), current.attributes().get(MAP_PUBLIC_IP), desired);
        }
    }

    private void setMapPublicIp(OperationContext ctx, String subnetId, Object current, boolean desired) {
        if (!Objects.equals(current, desired)) {
            whenVisible(ctx, subnetId, () -> call("ModifySubnetAttribute", () -> ec2().modifySubnetAttribute(b -> b
                    .subnetId(subnetId)
                    .mapPublicIpOnLaunch(AttributeBooleanValue.builder().value(desired).build()))));
        }
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        retryWhileInUse(ctx, "DeleteSubnet " + current.id(),
                () -> call("DeleteSubnet", () -> ec2().deleteSubnet(b -> b.subnetId(current.id()))));
    }
}
