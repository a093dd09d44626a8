package dev.infra.providers.elbv2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * {@code aws_lb_target_group}: name, port (Long), protocol, vpcId, targetType, healthCheckPath (updatable through
 * ModifyTargetGroup), tags. Delete retries while a listener or rule still forwards to the group (ResourceInUse).
 * readAll: DescribeTargetGroups (400 a page) + DescribeTags (20 ARNs a call) over every target group in the region.
 */
public final class TargetGroupProvider extends Elbv2Provider<TargetGroup> {

    public static final String TYPE = "aws_lb_target_group";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required("healthCheckPath", Kind.STRING).updatable(),
            Attribute.required("name", Kind.STRING).rule(AwsRules.TARGET_GROUP),
            Attribute.required("port", Kind.NUMBER).rule(new Rule.Range("port", 1, 65535)),
            Attribute.required("protocol", Kind.STRING).rule(Rule.OneOf.of("target group protocol", "HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE")),
            Attribute.required("targetType", Kind.STRING).rule(Rule.OneOf.of("target type", "instance", "ip", "lambda", "alb")),
            Attribute.required("vpcId", Kind.REFERENCE))
            // A listener forwarding to it makes AWS refuse its deletion (ResourceInUse): replace it under another name
            // (the expansion puts the port in it), point the listener there, then delete it.
            .with(Trait.TAGGED, Trait.CREATE_BEFORE_DESTROY)
            .id("TG ARN")
            .notes("Replaced create-before-destroy (AWS refuses to delete a group a listener forwards to), so a replacement needs another name: the expansion names it `<stack>-<lb>-<port>`");

    public TargetGroupProvider(AwsClients clients) {
        super(clients, ENTRY, TargetGroup::targetGroupArn, TargetGroup::targetGroupName);
    }

    @Override
    protected List<TargetGroup> candidates(String stack) {
        return call("DescribeTargetGroups", () -> elbv2().describeTargetGroupsPaginator(b -> b.pageSize(PAGE_SIZE))
                .targetGroups().stream().toList());
    }

    @Override
    protected List<TargetGroup> describeArns(List<String> arns) {
        return call("DescribeTargetGroups",
                () -> elbv2().describeTargetGroups(b -> b.targetGroupArns(arns)).targetGroups());
    }

    /** By name, unique per region and account. */
    @Override
    protected Optional<TargetGroup> byNaturalKey(ResourceSpec spec) {
        String name = SpecValues.string(spec, "name");
        return named(name, () -> call("DescribeTargetGroups",
                () -> elbv2().describeTargetGroups(b -> b.names(name)).targetGroups()));
    }

    @Override
    protected Map<String, Object> attributesOf(TargetGroup tg) {
        Map<String, Object> a = new TreeMap<>();
        a.put("name", tg.targetGroupName());
        putIfPresent(a, "port", tg.port() == null ? null : tg.port().longValue());
        putIfPresent(a, "protocol", tg.protocolAsString());
        putIfPresent(a, "vpcId", tg.vpcId());
        putIfPresent(a, "targetType", tg.targetTypeAsString());
        putIfPresent(a, "healthCheckPath", tg.healthCheckPath());
        return a;
    }

    @Override
    protected String create(ElasticLoadBalancingV2Client once, ResourceSpec spec, List<Tag> tags) {
        String targetType = SpecValues.optionalString(spec, "targetType");
        return call("CreateTargetGroup", () -> once.createTargetGroup(b -> b
                .name(SpecValues.string(spec, "name"))
                .port(port(spec))
                .protocol(SpecValues.string(spec, "protocol"))
                .vpcId(SpecValues.string(spec, "vpcId"))
                .targetType(targetType == null ? "instance" : targetType)
                .healthCheckPath(SpecValues.optionalString(spec, "healthCheckPath"))
                .tags(tags))).targetGroups().get(0).targetGroupArn();
    }

    @Override
    protected void updateAttributes(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
        if (changed.contains("healthCheckPath")) {
            call("ModifyTargetGroup", () -> elbv2().modifyTargetGroup(b -> b.targetGroupArn(current.id())
                    .healthCheckPath(SpecValues.string(spec, "healthCheckPath"))));
        }
    }

    /** ResourceInUse while a listener or rule still forwards here (the listener's delete may still be going on). */
    @Override
    protected void delete(String arn, OperationContext ctx) {
        retrying(ctx, "DeleteTargetGroup " + arn, DELETE_TIMEOUT, POLL_INTERVAL, e -> "ResourceInUse".equals(e.code()),
                () -> call("DeleteTargetGroup", () -> elbv2().deleteTargetGroup(b -> b.targetGroupArn(arn))));
    }
}
