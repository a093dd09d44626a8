package dev.infra.providers.elbv2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
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
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Certificate;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RedirectActionStatusCodeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

/**
 * {@code aws_lb_listener}: loadBalancerArn, port (Long), protocol, certificateArn (absent for HTTP), defaultAction
 * ({@code {type: redirect, port, protocol}} — a permanent redirect; port a string as AWS keeps it, e.g. "443" — or
 * {@code {type: forward, targetGroupArn}}), tags. Found again by load balancer and port (one listener per port).
 * readAll: the stack's load balancers (DescribeLoadBalancers + DescribeTags, 20 ARNs a call), one DescribeListeners
 * per stack load balancer, then DescribeTags over the listeners, 20 a call.
 */
public final class ListenerProvider extends Elbv2Provider<Listener> {

    public static final String TYPE = "aws_lb_listener";
    static final String REDIRECT = "redirect";
    static final String FORWARD = "forward";
    /** What ModifyListener changes. */
    static final Set<String> MODIFIABLE = Set.of("protocol", "certificateArn", "defaultAction");

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required("defaultAction", Kind.MAP).updatable()
                    .doc("{type: redirect, port, protocol} or {type: forward, targetGroupArn}"),
            Attribute.required("loadBalancerArn", Kind.REFERENCE),
            Attribute.required("port", Kind.NUMBER).rule(new Rule.Range("port", 1, 65535)),
            Attribute.required("protocol", Kind.STRING).rule(Rule.OneOf.of("listener protocol", "HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE")).updatable(),
            Attribute.optional("certificateArn", Kind.REFERENCE).updatable()
                    .doc("absent for HTTP"))
            .with(Trait.TAGGED)
            .id("listener ARN");

    public ListenerProvider(AwsClients clients) {
        super(clients, ENTRY, Listener::listenerArn, l -> "on port " + l.port() + " of " + l.loadBalancerArn());
    }

    @Override
    protected List<Listener> candidates(String stack) {
        List<LoadBalancer> all = allLoadBalancers();
        Map<String, Map<String, String>> tags = describeTags(all.stream().map(LoadBalancer::loadBalancerArn).toList());
        List<Listener> out = new ArrayList<>();
        for (LoadBalancer lb : all) {
            Map<String, String> t = tags.get(lb.loadBalancerArn());
            if (t != null && stack.equals(t.get(STACK_TAG))) {
                out.addAll(listenersOf(lb.loadBalancerArn()));
            }
        }
        return out;
    }

    @Override
    protected List<Listener> describeArns(List<String> arns) {
        return call("DescribeListeners", () -> elbv2().describeListeners(b -> b.listenerArns(arns)).listeners());
    }

    /** By load balancer and port: a load balancer has one listener per port. */
    @Override
    protected Optional<Listener> byNaturalKey(ResourceSpec spec) {
        long port = SpecValues.number(spec, "port");
        return listenersOf(SpecValues.string(spec, "loadBalancerArn")).stream()
                .filter(l -> l.port() != null && l.port() == port)
                .findFirst();
    }

    @Override
    protected Map<String, Object> attributesOf(Listener l) {
        Map<String, Object> a = new TreeMap<>();
        a.put("loadBalancerArn", l.loadBalancerArn());
        putIfPresent(a, "port", l.port() == null ? null : l.port().longValue());
        putIfPresent(a, "protocol", l.protocolAsString());
        l.certificates().stream().map(Certificate::certificateArn).findFirst()
                .ifPresent(arn -> a.put("certificateArn", arn));
        l.defaultActions().stream()
                .min(Comparator.comparing(x -> x.order() == null ? Integer.MAX_VALUE : x.order()))
                .ifPresent(x -> a.put("defaultAction", actionAttribute(x)));
        return a;
    }

    /**
     * A certificate ACM has just issued may not be visible to Elastic Load Balancing yet (CertificateNotFound), which
     * Terraform's aws_lb_listener retries for its propagation window (internal/service/elbv2/listener.go).
     */
    @Override
    protected boolean notYetSeen(AwsCallException e) {
        return "CertificateNotFound".equals(e.code());
    }

    @Override
    protected String create(ElasticLoadBalancingV2Client once, ResourceSpec spec, List<Tag> tags) {
        String certificate = SpecValues.optionalString(spec, "certificateArn");
        return call("CreateListener", () -> once.createListener(b -> b
                .loadBalancerArn(SpecValues.string(spec, "loadBalancerArn"))
                .port(port(spec))
                .protocol(SpecValues.string(spec, "protocol"))
                .certificates(certificates(certificate))
                .defaultActions(action(spec))
                .tags(tags))).listeners().get(0).listenerArn();
    }

    /** ModifyListener with the protocol, the certificate (when there is one) and the default action as specified. */
    @Override
    protected void updateAttributes(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
        if (changed.stream().noneMatch(MODIFIABLE::contains)) {
            return;
        }
        String certificate = SpecValues.optionalString(spec, "certificateArn");
        whenPropagated(ctx, "ModifyListener " + current.id() + " (CertificateNotFound: ELB not seeing the new certificate"
                + " yet)", this::notYetSeen, () -> call("ModifyListener", () -> elbv2().modifyListener(b -> b
                .listenerArn(current.id())
                .protocol(SpecValues.string(spec, "protocol"))
                .certificates(certificates(certificate))
                .defaultActions(action(spec)))));
    }

    @Override
    protected void delete(String arn, OperationContext ctx) {
        call("DeleteListener", () -> elbv2().deleteListener(b -> b.listenerArn(arn)));
    }

    private List<Listener> listenersOf(String loadBalancerArn) {
        return ProviderSupport.unless(this::isGone, () -> Optional.of(call("DescribeListeners", () -> elbv2()
                .describeListenersPaginator(b -> b.loadBalancerArn(loadBalancerArn).pageSize(PAGE_SIZE))
                .listeners().stream().toList()))).orElse(List.of());
    }

    /** The listener's certificate as the SDK wants it; none ({@code null}, not sent) for HTTP. */
    private static List<Certificate> certificates(String certificateArn) {
        return certificateArn == null ? null : List.of(Certificate.builder().certificateArn(certificateArn).build());
    }

    /** The spec's defaultAction as the SDK's Action. */
    private static Action action(ResourceSpec spec) {
        Object value = spec.attributes().get("defaultAction");
        if (!(value instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)) {
            throw new ProviderException(spec.address(), "attribute defaultAction must be a map with a type, got " + value);
        }
        return switch (type) {
            case REDIRECT -> Action.builder().type(ActionTypeEnum.REDIRECT).redirectConfig(r -> r
                    .port(text(spec, m, "port"))
                    .protocol(text(spec, m, "protocol"))
                    .statusCode(RedirectActionStatusCodeEnum.HTTP_301)).build();
            case FORWARD -> Action.builder().type(ActionTypeEnum.FORWARD)
                    .targetGroupArn(text(spec, m, "targetGroupArn")).build();
            default -> throw new ProviderException(spec.address(),
                    "defaultAction type must be " + REDIRECT + " or " + FORWARD + ", got " + type);
        };
    }

    private static String text(ResourceSpec spec, Map<?, ?> action, String key) {
        Object v = action.get(key);
        if (v instanceof String || v instanceof Number) {
            return v.toString();
        }
        throw new ProviderException(spec.address(), "defaultAction." + key + " is required, got " + v);
    }

    /** AWS's action in the spec's shape; a type the tool does not make reads back as just its type. */
    private static Map<String, Object> actionAttribute(Action x) {
        Map<String, Object> out = new TreeMap<>();
        out.put("type", x.typeAsString());
        if (x.type() == ActionTypeEnum.REDIRECT && x.redirectConfig() != null) {
            putIfPresent(out, "port", x.redirectConfig().port());
            putIfPresent(out, "protocol", x.redirectConfig().protocol());
        } else if (x.type() == ActionTypeEnum.FORWARD) {
            String arn = x.targetGroupArn();
            if (arn == null && x.forwardConfig() != null && x.forwardConfig().targetGroups().size() == 1) {
                arn = x.forwardConfig().targetGroups().get(0).targetGroupArn();
            }
            putIfPresent(out, "targetGroupArn", arn);
        }
        return out;
    }
}
