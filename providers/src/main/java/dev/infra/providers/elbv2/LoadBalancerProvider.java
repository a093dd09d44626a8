package dev.infra.providers.elbv2;

import static dev.infra.providers.AwsCallException.call;

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
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AvailabilityZone;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/**
 * {@code aws_lb}: name, scheme, type, subnetIds (set), securityGroupIds (set), tags; computed dnsName,
 * canonicalHostedZoneId and arnSuffix (the ARN after {@code :loadbalancer/}, e.g.
 * {@code app/shop-public/50dc6c495c0c9188}: CloudWatch's LoadBalancer dimension). Create waits until the load balancer is {@code active}; delete until it is gone.
 * readAll: DescribeLoadBalancers (400 a page) + DescribeTags (20 ARNs a call) over every load balancer in the region.
 */
public final class LoadBalancerProvider extends Elbv2Provider<LoadBalancer> {

    public static final String TYPE = "aws_lb";
    static final Duration ACTIVE_TIMEOUT = Duration.ofMinutes(10);
    static final Duration ACTIVE_INTERVAL = Duration.ofSeconds(10);
    static final String ARN_SUFFIX = "arnSuffix";
    /** What precedes the ARN suffix in a load balancer's ARN. */
    static final String ARN_RESOURCE = ":loadbalancer/";

    public LoadBalancerProvider(AwsClients clients) {
        super(clients, TYPE, LoadBalancer::loadBalancerArn, LoadBalancer::loadBalancerName,
                Set.of("subnetIds", "securityGroupIds"),
                Set.of("dnsName", "canonicalHostedZoneId", ARN_SUFFIX));
        unordered("subnetIds", "securityGroupIds");
    }

    @Override
    protected List<LoadBalancer> candidates(String stack) {
        return allLoadBalancers();
    }

    @Override
    protected List<LoadBalancer> describeArns(List<String> arns) {
        return call("DescribeLoadBalancers",
                () -> elbv2().describeLoadBalancers(b -> b.loadBalancerArns(arns)).loadBalancers());
    }

    /** By name, unique per region: AWS answers a second create with the same name with the first load balancer. */
    @Override
    protected Optional<LoadBalancer> byNaturalKey(ResourceSpec spec) {
        String name = SpecValues.string(spec, "name");
        return named(name, () -> call("DescribeLoadBalancers",
                () -> elbv2().describeLoadBalancers(b -> b.names(name)).loadBalancers()));
    }

    @Override
    protected Map<String, Object> attributesOf(LoadBalancer lb) {
        Map<String, Object> a = new TreeMap<>();
        a.put("name", lb.loadBalancerName());
        putIfPresent(a, "scheme", lb.schemeAsString());
        putIfPresent(a, "type", lb.typeAsString());
        a.put("subnetIds", sorted(lb.availabilityZones().stream().map(AvailabilityZone::subnetId).toList()));
        a.put("securityGroupIds", sorted(lb.securityGroups()));
        putIfPresent(a, "dnsName", lb.dnsName());
        putIfPresent(a, "canonicalHostedZoneId", lb.canonicalHostedZoneId());
        putIfPresent(a, ARN_SUFFIX, arnSuffix(lb.loadBalancerArn()));
        return a;
    }

    /** The part of a load balancer ARN after {@code :loadbalancer/}, e.g. {@code app/shop-public/50dc6c495c0c9188}. */
    static String arnSuffix(String arn) {
        int at = arn == null ? -1 : arn.indexOf(ARN_RESOURCE);
        return at < 0 ? null : arn.substring(at + ARN_RESOURCE.length());
    }

    @Override
    protected String create(ResourceSpec spec, List<Tag> tags) {
        String scheme = SpecValues.optionalString(spec, "scheme");
        String type = SpecValues.optionalString(spec, "type");
        return call("CreateLoadBalancer", () -> elbv2().createLoadBalancer(b -> b
                .name(SpecValues.string(spec, "name"))
                .scheme(scheme == null ? "internet-facing" : scheme)
                .type(type == null ? "application" : type)
                .subnets(SpecValues.strings(spec, "subnetIds"))
                .securityGroups(SpecValues.strings(spec, "securityGroupIds"))
                .tags(tags))).loadBalancers().get(0).loadBalancerArn();
    }

    /** Waits until {@code active}; {@code failed} fails the create with AWS's reason. */
    @Override
    protected void afterCreate(String arn, ResourceSpec spec, OperationContext ctx) {
        ctx.await(arn + " to become active", ACTIVE_TIMEOUT, ACTIVE_INTERVAL, () -> {
            Optional<LoadBalancer> lb = describeOne(arn);
            if (lb.isPresent() && lb.get().state() != null && lb.get().state().code() == LoadBalancerStateEnum.FAILED) {
                throw new ProviderException(spec.address(),
                        "load balancer " + arn + " failed: " + lb.get().state().reason());
            }
            return lb.filter(l -> l.state() != null && l.state().code() == LoadBalancerStateEnum.ACTIVE);
        });
    }

    @Override
    protected void updateAttributes(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
        if (changed.contains("subnetIds")) {
            call("SetSubnets", () -> elbv2().setSubnets(b -> b.loadBalancerArn(current.id())
                    .subnets(SpecValues.strings(spec, "subnetIds"))));
        }
        if (changed.contains("securityGroupIds")) {
            call("SetSecurityGroups", () -> elbv2().setSecurityGroups(b -> b.loadBalancerArn(current.id())
                    .securityGroups(SpecValues.strings(spec, "securityGroupIds"))));
        }
    }

    @Override
    protected void delete(String arn, OperationContext ctx) {
        call("DeleteLoadBalancer", () -> elbv2().deleteLoadBalancer(b -> b.loadBalancerArn(arn)));
    }

    /** Sorted, so that a set reads the same however AWS orders it. */
    private static List<String> sorted(Collection<String> values) {
        return values.stream().sorted().toList();
    }
}
