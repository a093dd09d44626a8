package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/** {@code aws_eip}: domain, tags; computed publicIp. The id is the allocation id (eipalloc-…). */
public final class ElasticIpProvider extends Ec2Provider<Address> {

    public static final String TYPE = "aws_eip";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final dev.infra.core.catalogue.ResourceType ENTRY = dev.infra.core.catalogue.ResourceType.of(TYPE,
            Attribute.required("domain", Kind.STRING).rule(Rule.OneOf.of("address domain", "vpc", "standard")),
            Attribute.computed("publicIp", Kind.STRING))
            .with(Trait.TAGGED)
            .id("eipalloc-…");

    public ElasticIpProvider(AwsClients clients) {
        super(clients, ENTRY, ResourceType.ELASTIC_IP, "InvalidAllocationID.NotFound", Address::allocationId, Address::tags);
    }

    /** DescribeAddresses has no pagination: one call returns every address. */
    @Override
    protected List<Address> describe(List<Filter> filters, Collection<String> ids) {
        return call("DescribeAddresses", () -> ec2().describeAddresses(
                b -> b.filters(filtersOrNull(filters)).allocationIds(idsOrNull(ids)))).addresses();
    }

    @Override
    protected Map<String, Object> attributesOf(Address address) {
        Map<String, Object> a = new TreeMap<>();
        putIfPresent(a, "domain", address.domainAsString());
        putIfPresent(a, "publicIp", address.publicIp());
        return a;
    }

    @Override
    protected String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken) {
        String domain = SpecValues.optionalString(spec, "domain");
        return call("AllocateAddress", () -> once.allocateAddress(
                b -> b.domain(domain == null ? "vpc" : domain).tagSpecifications(tags))).allocationId();
    }

    /** An address still held by a NAT gateway that is being deleted answers InvalidIPAddress.InUse for a while. */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        retryWhileInUse(ctx, "ReleaseAddress " + current.id(),
                () -> call("ReleaseAddress", () -> ec2().releaseAddress(b -> b.allocationId(current.id()))),
                "InvalidIPAddress.InUse");
    }
}
