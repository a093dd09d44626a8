package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
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
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroup;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * {@code aws_security_group}: vpcId, groupName, description, tags; computed arn, ownerId. Rules are
 * {@code aws_security_group_rule} resources; the allow-all egress rule AWS adds to a new group is left alone.
 */
public final class SecurityGroupProvider extends Ec2Provider<SecurityGroup> {

    public static final String TYPE = "aws_security_group";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final dev.infra.core.catalogue.ResourceType ENTRY = dev.infra.core.catalogue.ResourceType.of(TYPE,
            Attribute.required("description", Kind.STRING).rule(AwsRules.SECURITY_GROUP_DESCRIPTION),
            Attribute.required("groupName", Kind.STRING).rule(AwsRules.SECURITY_GROUP_NAME),
            Attribute.required("vpcId", Kind.REFERENCE),
            Attribute.computed("arn", Kind.STRING),
            Attribute.computed("ownerId", Kind.STRING))
            .with(Trait.TAGGED)
            .id("sg-…");

    public SecurityGroupProvider(AwsClients clients) {
        super(clients, ENTRY, ResourceType.SECURITY_GROUP, "InvalidGroup.NotFound", SecurityGroup::groupId, SecurityGroup::tags);
    }

    @Override
    protected List<SecurityGroup> describe(List<Filter> filters, Collection<String> ids) {
        return call("DescribeSecurityGroups", () -> ec2().describeSecurityGroupsPaginator(
                b -> b.filters(filtersOrNull(filters)).groupIds(idsOrNull(ids))).securityGroups().stream().toList());
    }

    @Override
    protected Map<String, Object> attributesOf(SecurityGroup sg) {
        Map<String, Object> a = new TreeMap<>();
        a.put("vpcId", sg.vpcId());
        a.put("groupName", sg.groupName());
        a.put("description", sg.description());
        putIfPresent(a, "arn", sg.securityGroupArn());
        putIfPresent(a, "ownerId", sg.ownerId());
        return a;
    }

    @Override
    protected String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken) {
        return call("CreateSecurityGroup", () -> once.createSecurityGroup(b -> b
                .vpcId(SpecValues.string(spec, "vpcId"))
                .groupName(SpecValues.string(spec, "groupName"))
                .description(SpecValues.string(spec, "description"))
                .tagSpecifications(tags))).groupId();
    }

    /** DependencyViolation while instances, ENIs or other groups' rules still use the group. */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        retryWhileInUse(ctx, "DeleteSecurityGroup " + current.id(),
                () -> call("DeleteSecurityGroup", () -> ec2().deleteSecurityGroup(b -> b.groupId(current.id()))));
    }
}
