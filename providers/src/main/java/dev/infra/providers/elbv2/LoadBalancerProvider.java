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
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import dev.infra.providers.ec2.NetworkInterfaces;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.AvailabilityZone;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerAttribute;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerStateEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/**
 * {@code aws_lb}: name, scheme, type, subnetIds (set), securityGroupIds (set), tags; computed dnsName,
 * canonicalHostedZoneId and arnSuffix (the ARN after {@code :loadbalancer/}, e.g.
 * {@code app/shop-public/50dc6c495c0c9188}: CloudWatch's LoadBalancer dimension). Create waits until the load balancer is {@code active}; delete until it is gone.
 * {@code accessLogsBucket} (absent: access logs off) and {@code accessLogsPrefix}: the {@code access_logs.s3.*}
 * load balancer attributes, set with ModifyLoadBalancerAttributes once the load balancer is active (AWS checks there
 * that it may write to the bucket) and read back with DescribeLoadBalancerAttributes, one call per load balancer of
 * the stack. readAll: DescribeLoadBalancers (400 a page) + DescribeTags (20 ARNs a call) over every load balancer in
 * the region, then DescribeLoadBalancerAttributes for each of the stack's.
 */
public final class LoadBalancerProvider extends Elbv2Provider<LoadBalancer> {

    public static final String TYPE = "aws_lb";
    static final Duration ACTIVE_TIMEOUT = Duration.ofMinutes(10);
    static final Duration ACTIVE_INTERVAL = Duration.ofSeconds(10);
    static final String ARN_SUFFIX = "arnSuffix";
    /** What precedes the ARN suffix in a load balancer's ARN. */
    static final String ARN_RESOURCE = ":loadbalancer/";
    static final String LOGS_BUCKET = "accessLogsBucket";
    static final String LOGS_PREFIX = "accessLogsPrefix";
    static final String LOGS_ENABLED_KEY = "access_logs.s3.enabled";
    static final String LOGS_BUCKET_KEY = "access_logs.s3.bucket";
    static final String LOGS_PREFIX_KEY = "access_logs.s3.prefix";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.optional(LOGS_BUCKET, Kind.REFERENCE).updatable()
                    .doc("absent = access logs off"),
            Attribute.optional(LOGS_PREFIX, Kind.STRING).updatable()
                    .doc("absent = none"),
            Attribute.required("name", Kind.STRING).rule(AwsRules.LOAD_BALANCER),
            Attribute.required("scheme", Kind.STRING).rule(Rule.OneOf.of("scheme", "internet-facing", "internal")),
            Attribute.required("securityGroupIds", Kind.SET).updatable(),
            Attribute.required("subnetIds", Kind.SET).updatable(),
            Attribute.required("type", Kind.STRING).rule(Rule.OneOf.of("load balancer type", "application", "network", "gateway"))
                    .doc("infra makes application load balancers"),
            Attribute.computed(ARN_SUFFIX, Kind.STRING)
                    .doc("the ARN after `:loadbalancer/`, e.g. `app/shop-public/50dc6c495c0c9188`: CloudWatch's LoadBalancer dimension"),
            Attribute.computed("canonicalHostedZoneId", Kind.STRING),
            Attribute.computed("dnsName", Kind.STRING))
            .with(Trait.TAGGED)
            .id("LB ARN")
            .notes("accessLogsBucket and accessLogsPrefix are the `access_logs.s3.*` attributes (ModifyLoadBalancerAttributes once active, read back with DescribeLoadBalancerAttributes, one call per load balancer of the stack)");

    public LoadBalancerProvider(AwsClients clients) {
        super(clients, ENTRY, LoadBalancer::loadBalancerArn, LoadBalancer::loadBalancerName);
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
        a.putAll(accessLogsOf(lb.loadBalancerArn()));
        return a;
    }

    /** accessLogsBucket and accessLogsPrefix while access logs are on (an empty prefix is none); nothing while off. */
    private Map<String, Object> accessLogsOf(String arn) {
        Map<String, String> attrs = new TreeMap<>();
        call("DescribeLoadBalancerAttributes", () -> elbv2().describeLoadBalancerAttributes(b -> b.loadBalancerArn(arn))
                .attributes()).forEach(at -> attrs.put(at.key(), at.value()));
        Map<String, Object> a = new TreeMap<>();
        String bucket = attrs.get(LOGS_BUCKET_KEY);
        if ("true".equals(attrs.get(LOGS_ENABLED_KEY)) && bucket != null && !bucket.isEmpty()) {
            a.put(LOGS_BUCKET, bucket);
            String prefix = attrs.get(LOGS_PREFIX_KEY);
            if (prefix != null && !prefix.isEmpty()) {
                a.put(LOGS_PREFIX, prefix);
            }
        }
        return a;
    }

    /**
     * Turns access logs on to the spec's bucket and prefix, or off when the spec names no bucket. ELB checks there that
     * it may write to the bucket; a bucket policy put moments before may not be in effect yet ("Access Denied for
     * bucket"), so that refusal is retried for the propagation window.
     */
    private void setAccessLogs(String arn, ResourceSpec spec, OperationContext ctx) {
        String bucket = SpecValues.optionalString(spec, LOGS_BUCKET);
        String prefix = SpecValues.optionalString(spec, LOGS_PREFIX);
        List<LoadBalancerAttribute> attrs = bucket == null
                ? List.of(attribute(LOGS_ENABLED_KEY, "false"))
                : List.of(attribute(LOGS_ENABLED_KEY, "true"), attribute(LOGS_BUCKET_KEY, bucket),
                        attribute(LOGS_PREFIX_KEY, prefix == null ? "" : prefix));
        whenPropagated(ctx, "ModifyLoadBalancerAttributes " + arn + " (InvalidConfigurationRequest: the log bucket's"
                + " policy not in effect yet)", LoadBalancerProvider::bucketPolicyNotYetInEffect,
                () -> call("ModifyLoadBalancerAttributes", () -> elbv2().modifyLoadBalancerAttributes(b -> b
                        .loadBalancerArn(arn).attributes(attrs))));
    }

    static boolean bucketPolicyNotYetInEffect(AwsCallException e) {
        return "InvalidConfigurationRequest".equals(e.code()) && e.getMessage() != null
                && e.getMessage().contains("Access Denied for bucket");
    }

    private static LoadBalancerAttribute attribute(String key, String value) {
        return LoadBalancerAttribute.builder().key(key).value(value).build();
    }

    /** The part of a load balancer ARN after {@code :loadbalancer/}, e.g. {@code app/shop-public/50dc6c495c0c9188}. */
    static String arnSuffix(String arn) {
        int at = arn == null ? -1 : arn.indexOf(ARN_RESOURCE);
        return at < 0 ? null : arn.substring(at + ARN_RESOURCE.length());
    }

    @Override
    protected String create(ElasticLoadBalancingV2Client once, ResourceSpec spec, List<Tag> tags) {
        String scheme = SpecValues.optionalString(spec, "scheme");
        String type = SpecValues.optionalString(spec, "type");
        return call("CreateLoadBalancer", () -> once.createLoadBalancer(b -> b
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
        if (SpecValues.optionalString(spec, LOGS_BUCKET) != null) {
            setAccessLogs(arn, spec, ctx);
        }
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
        if (changed.contains(LOGS_BUCKET) || changed.contains(LOGS_PREFIX)) {
            setAccessLogs(current.id(), spec, ctx);
        }
    }

    /**
     * DeleteLoadBalancer, then a wait until the load balancer's network interfaces ({@code ELB app/<name>/<id>}, one
     * per subnet) are released: they outlive the delete, and until they go their subnets and security groups cannot
     * be deleted.
     */
    @Override
    protected void delete(String arn, OperationContext ctx) {
        call("DeleteLoadBalancer", () -> elbv2().deleteLoadBalancer(b -> b.loadBalancerArn(arn)));
        String suffix = arnSuffix(arn);
        if (suffix != null) {
            NetworkInterfaces.awaitReleased(clients(), ctx, "load balancer " + suffix, "ELB " + suffix);
        }
    }

    /** Sorted, so that a set reads the same however AWS orders it. */
    private static List<String> sorted(Collection<String> values) {
        return values.stream().sorted().toList();
    }
}
