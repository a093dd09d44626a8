package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttachmentStatus;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.InternetGateway;
import software.amazon.awssdk.services.ec2.model.InternetGatewayAttachment;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * {@code aws_internet_gateway}: vpcId (the VPC it is attached to; absent when detached), tags; computed ownerId.
 * Create = create then attach; an update of vpcId detaches and attaches (as Terraform's); delete = detach then delete.
 * So a gateway a killed apply made but did not attach is adopted and attached, not replaced.
 */
public final class InternetGatewayProvider extends Ec2Provider<InternetGateway> {

    public static final String TYPE = "aws_internet_gateway";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final dev.infra.core.catalogue.ResourceType ENTRY = dev.infra.core.catalogue.ResourceType.of(TYPE,
            Attribute.required("vpcId", Kind.REFERENCE).updatable(),
            Attribute.computed("ownerId", Kind.STRING))
            .with(Trait.TAGGED)
            .id("igw-…");

    public InternetGatewayProvider(AwsClients clients) {
        super(clients, ENTRY, ResourceType.INTERNET_GATEWAY, "InvalidInternetGatewayID.NotFound", InternetGateway::internetGatewayId, InternetGateway::tags);
    }

    @Override
    protected List<InternetGateway> describe(List<Filter> filters, Collection<String> ids) {
        return call("DescribeInternetGateways", () -> ec2().describeInternetGatewaysPaginator(
                        b -> b.filters(filtersOrNull(filters)).internetGatewayIds(idsOrNull(ids)))
                .internetGateways().stream().toList());
    }

    @Override
    protected Map<String, Object> attributesOf(InternetGateway igw) {
        Map<String, Object> a = new TreeMap<>();
        attachedVpcs(igw).stream().findFirst().ifPresent(vpc -> a.put("vpcId", vpc));
        putIfPresent(a, "ownerId", igw.ownerId());
        return a;
    }

    /** VPCs the gateway is attached (or attaching) to. EC2 reports an attached gateway's state as "available". */
    private static List<String> attachedVpcs(InternetGateway igw) {
        return igw.attachments().stream()
                .filter(at -> at.state() != AttachmentStatus.DETACHED && at.state() != AttachmentStatus.DETACHING)
                .map(InternetGatewayAttachment::vpcId)
                .sorted()
                .toList();
    }

    @Override
    protected String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken) {
        SpecValues.string(spec, "vpcId");
        return call("CreateInternetGateway", () -> once.createInternetGateway(b -> b.tagSpecifications(tags)))
                .internetGateway().internetGatewayId();
    }

    @Override
    protected void afterCreate(String id, ResourceSpec spec, OperationContext ctx) {
        attach(id, SpecValues.string(spec, "vpcId"), ctx);
    }

    @Override
    protected void updateAttributes(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
        if (changed.contains("vpcId")) {
            detach(current.id(), ctx);
            attach(current.id(), SpecValues.string(spec, "vpcId"), ctx);
        }
    }

    private void attach(String id, String vpcId, OperationContext ctx) {
        whenVisible(ctx, id, () -> {
            addLink(() -> call("AttachInternetGateway",
                            () -> ec2().attachInternetGateway(b -> b.internetGatewayId(id).vpcId(vpcId))),
                    () -> describeOne(id).map(InternetGatewayProvider::attachedVpcs).orElse(List.of()).contains(vpcId));
            return vpcId;
        });
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String id = current.id();
        if (detach(id, ctx)) {
            retryWhileInUse(ctx, "DeleteInternetGateway " + id,
                    () -> call("DeleteInternetGateway", () -> ec2().deleteInternetGateway(b -> b.internetGatewayId(id))));
        }
    }

    /** Detaches the gateway from every VPC it is attached to; false when the gateway is gone. */
    private boolean detach(String id, OperationContext ctx) {
        List<String> vpcs = describeOne(id).map(InternetGatewayProvider::attachedVpcs).orElse(null);
        if (vpcs == null) {
            return false;
        }
        // Detaching fails with DependencyViolation while the VPC still has mapped public addresses (NAT, EIPs).
        for (String vpcId : vpcs) {
            retryWhileInUse(ctx, "DetachInternetGateway " + id, () -> {
                try {
                    call("DetachInternetGateway", () -> ec2().detachInternetGateway(b -> b.internetGatewayId(id).vpcId(vpcId)));
                } catch (AwsCallException e) {
                    if (!"Gateway.NotAttached".equals(e.code())) {
                        throw e;
                    }
                }
            });
        }
        return true;
    }
}
