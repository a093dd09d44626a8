package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.SecurityGroupRule;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.UserIdGroupPair;

/**
 * {@code aws_security_group_rule}: one ingress or egress rule as its own EC2 resource (sgr-…), created by
 * AuthorizeSecurityGroupIngress/Egress with tags (whose answer is the rule: nothing is read back after a create),
 * read by DescribeSecurityGroupRules, deleted by
 * Revoke…(SecurityGroupRuleIds). Attributes: securityGroupId, direction ({@code ingress}|{@code egress}),
 * protocol, fromPort, toPort (Long; AWS reports -1 for both when protocol is -1), exactly one of cidrIpv4 or
 * referencedGroupId, description (absent when empty), tags. Only tags change in place.
 */
public final class SecurityGroupRuleProvider extends Ec2Provider<SecurityGroupRule> {

    public static final String TYPE = "aws_security_group_rule";
    static final String INGRESS = "ingress";
    static final String EGRESS = "egress";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final dev.infra.core.catalogue.ResourceType ENTRY = dev.infra.core.catalogue.ResourceType.of(TYPE,
            Attribute.optional("cidrIpv4", Kind.STRING),
            Attribute.optional("description", Kind.STRING).rule(AwsRules.SECURITY_GROUP_DESCRIPTION),
            Attribute.required("direction", Kind.STRING).rule(Rule.OneOf.of("rule direction", "ingress", "egress")),
            Attribute.required("fromPort", Kind.NUMBER).rule(new Rule.Range("port", -1, 65535)),
            Attribute.required("protocol", Kind.STRING),
            Attribute.optional("referencedGroupId", Kind.REFERENCE),
            Attribute.required("securityGroupId", Kind.REFERENCE),
            Attribute.required("toPort", Kind.NUMBER).rule(new Rule.Range("port", -1, 65535)))
            .with(Trait.TAGGED)
            .id("sgr-…")
            .notes("CidrIpv4 F \\| referencedGroupId F");

    /** What Authorize… answered for the rules just made, until {@link #describedByCreate} takes it. */
    private final Map<String, SecurityGroupRule> answered = new ConcurrentHashMap<>();

    public SecurityGroupRuleProvider(AwsClients clients) {
        super(clients, ENTRY, ResourceType.SECURITY_GROUP_RULE, "InvalidSecurityGroupRuleId.NotFound", SecurityGroupRule::securityGroupRuleId, SecurityGroupRule::tags);
    }

    @Override
    protected List<SecurityGroupRule> describe(List<Filter> filters, Collection<String> ids) {
        return call("DescribeSecurityGroupRules", () -> ec2().describeSecurityGroupRulesPaginator(
                        b -> b.filters(filtersOrNull(filters)).securityGroupRuleIds(idsOrNull(ids)))
                .securityGroupRules().stream().toList());
    }

    @Override
    protected Map<String, Object> attributesOf(SecurityGroupRule rule) {
        Map<String, Object> a = new TreeMap<>();
        a.put("securityGroupId", rule.groupId());
        a.put("direction", Boolean.TRUE.equals(rule.isEgress()) ? EGRESS : INGRESS);
        a.put("protocol", rule.ipProtocol());
        putIfPresent(a, "fromPort", toLong(rule.fromPort()));
        putIfPresent(a, "toPort", toLong(rule.toPort()));
        putIfPresent(a, "cidrIpv4", rule.cidrIpv4());
        putIfPresent(a, "cidrIpv6", rule.cidrIpv6());
        putIfPresent(a, "prefixListId", rule.prefixListId());
        if (rule.referencedGroupInfo() != null) {
            putIfPresent(a, "referencedGroupId", rule.referencedGroupInfo().groupId());
        }
        if (rule.description() != null && !rule.description().isEmpty()) {
            a.put("description", rule.description());
        }
        return a;
    }

    @Override
    protected String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken) {
        String groupId = SpecValues.string(spec, "securityGroupId");
        String direction = SpecValues.string(spec, "direction");
        IpPermission permission = permission(spec);
        List<SecurityGroupRule> created = switch (direction) {
            case INGRESS -> call("AuthorizeSecurityGroupIngress", () -> once.authorizeSecurityGroupIngress(b -> b
                    .groupId(groupId).ipPermissions(permission).tagSpecifications(tags))).securityGroupRules();
            case EGRESS -> call("AuthorizeSecurityGroupEgress", () -> once.authorizeSecurityGroupEgress(b -> b
                    .groupId(groupId).ipPermissions(permission).tagSpecifications(tags))).securityGroupRules();
            default -> throw new ProviderException(spec.address(),
                    "direction must be " + INGRESS + " or " + EGRESS + ", got " + direction);
        };
        if (created.size() != 1) {
            throw new ProviderException(spec.address(), "expected AWS to report one new rule, got " + created.size());
        }
        SecurityGroupRule rule = created.get(0);
        answered.put(rule.securityGroupRuleId(), rule);
        return rule.securityGroupRuleId();
    }

    /** Authorize… answers with the whole rule, tags included: DescribeSecurityGroupRules would add nothing. */
    @Override
    protected Optional<SecurityGroupRule> describedByCreate(String id) {
        return Optional.ofNullable(answered.remove(id));
    }

    private static IpPermission permission(ResourceSpec spec) {
        String cidr = SpecValues.optionalString(spec, "cidrIpv4");
        String group = SpecValues.optionalString(spec, "referencedGroupId");
        String description = SpecValues.optionalString(spec, "description");
        if ((cidr == null) == (group == null)) {
            throw new ProviderException(spec.address(), "exactly one of cidrIpv4 or referencedGroupId is required");
        }
        IpPermission.Builder p = IpPermission.builder()
                .ipProtocol(SpecValues.string(spec, "protocol"))
                .fromPort(Math.toIntExact(SpecValues.number(spec, "fromPort")))
                .toPort(Math.toIntExact(SpecValues.number(spec, "toPort")));
        if (cidr != null) {
            p.ipRanges(IpRange.builder().cidrIp(cidr).description(description).build());
        } else {
            p.userIdGroupPairs(UserIdGroupPair.builder().groupId(group).description(description).build());
        }
        return p.build();
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String groupId = (String) current.attributes().get("securityGroupId");
        String id = current.id();
        if (EGRESS.equals(current.attributes().get("direction"))) {
            call("RevokeSecurityGroupEgress",
                    () -> ec2().revokeSecurityGroupEgress(b -> b.groupId(groupId).securityGroupRuleIds(id)));
        } else {
            call("RevokeSecurityGroupIngress",
                    () -> ec2().revokeSecurityGroupIngress(b -> b.groupId(groupId).securityGroupRuleIds(id)));
        }
    }
}
