package dev.infra.providers.elbv2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;

/**
 * What the ELBv2 resource types (load balancers, target groups, listeners) share. ELBv2 has no tag filter on its
 * Describe calls, so readAll lists the candidates (all pages) and reads their tags with DescribeTags, 20 ARNs a call
 * (that API's limit), keeping those tagged {@code infra:stack=<stack>}; ids from state not among them are described
 * by ARN, 20 a call. Tags are given at creation and changed with AddTags/RemoveTags. A resource is found again by its
 * natural key (a name; a load balancer and port), never duplicated: AWS answers a second create of a load balancer or
 * target group with the same name with the existing one, and an emulator may make a second.
 *
 * @param <R> the SDK's model class, e.g. {@code LoadBalancer}
 */
public abstract class Elbv2Provider<R> extends AwsResourceProvider {

    /** DescribeTags and Describe* by ARN take at most 20 ARNs a call. */
    static final int ARN_BATCH = 20;
    /** The largest page the Describe calls return. */
    static final int PAGE_SIZE = 400;
    static final Duration POLL_INTERVAL = Duration.ofSeconds(5);
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(10);

    private final Function<R, String> arnOf;
    private final Function<R, String> keyOf;

    /**
     * @param arnOf the SDK model's ARN, e.g. {@code LoadBalancer::loadBalancerArn}
     * @param keyOf how messages name a resource found by its natural key, e.g. {@code LoadBalancer::loadBalancerName}
     * @param updatable attributes changed in place, besides {@code tags}
     * @param computed attributes AWS sets
     */
    protected Elbv2Provider(AwsClients clients, ResourceType entry, Function<R, String> arnOf,
                            Function<R, String> keyOf) {
        super(clients, entry);
        this.arnOf = arnOf;
        this.keyOf = keyOf;
    }

    protected final ElasticLoadBalancingV2Client elbv2() {
        return clients().elbv2();
    }

    // ---- what each type supplies -------------------------------------------------------------------

    /** Every resource of the type that may belong to {@code stack}, all pages; their tags decide. */
    protected abstract List<R> candidates(String stack);

    /** The resources with these ARNs (at most {@value #ARN_BATCH}); AWS fails the call if one is gone. */
    protected abstract List<R> describeArns(List<String> arns);

    /** The resource with the spec's natural key (its unique name; for a listener, its load balancer and port). */
    protected abstract Optional<R> byNaturalKey(ResourceSpec spec);

    /** The attributes other than {@code tags}, named and shaped as in the spec. */
    protected abstract Map<String, Object> attributesOf(R resource);

    /**
     * Makes the one create call through {@code once} (a client that retries only what AWS did not run), with these
     * tags; returns the new ARN.
     */
    protected abstract String create(ElasticLoadBalancingV2Client once, ResourceSpec spec, List<Tag> tags);

    /** What completes a create, e.g. waiting until the load balancer is active. */
    protected void afterCreate(String arn, ResourceSpec spec, OperationContext ctx) {
    }

    /** Changes the updatable attributes named in {@code changed}, other than tags. */
    protected abstract void updateAttributes(LiveResource current, ResourceSpec spec, Set<String> changed,
                                             OperationContext ctx);

    /**
     * Whether AWS refused a call because something it names was made moments ago and is not visible to it yet (a
     * listener's new certificate): such calls are retried for the propagation window. None by default.
     */
    protected boolean notYetSeen(AwsCallException e) {
        return false;
    }

    /** The delete call; NotFound counts as done, and the base then waits until the ARN is gone. */
    protected abstract void delete(String arn, OperationContext ctx);

    // ---- AwsResourceProvider ------------------------------------------------------------------------

    /** One pass over the candidates (see {@link #candidates}), then ceil(candidates / 20) DescribeTags calls. */
    @Override
    protected List<LiveResource> readStack(String stack) {
        List<R> candidates = candidates(stack);
        Map<String, Map<String, String>> tags = describeTags(candidates.stream().map(arnOf).toList());
        return readDetails(candidates.stream()
                .filter(r -> tags.containsKey(arnOf.apply(r)) && stack.equals(tags.get(arnOf.apply(r)).get(STACK_TAG)))
                .toList(), r -> Optional.of(toLive(r, tags.get(arnOf.apply(r)))));
    }

    /** ceil(ids / 20) Describe and DescribeTags calls. */
    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        List<String> arns = List.copyOf(ids);
        List<LiveResource> out = new ArrayList<>();
        for (int i = 0; i < arns.size(); i += ARN_BATCH) {
            List<R> described = describeSome(arns.subList(i, Math.min(arns.size(), i + ARN_BATCH)));
            Map<String, Map<String, String>> tags = describeTags(described.stream().map(arnOf).toList());
            out.addAll(readDetails(described, r -> Optional.of(toLive(r, tags.getOrDefault(arnOf.apply(r), Map.of())))));
        }
        return out;
    }

    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return byNaturalKey(spec).flatMap(r -> {
            Map<String, String> t = tagsOf(arnOf.apply(r));
            ProviderSupport.claim(spec.address(), stack, type() + " " + keyOf.apply(r), t);
            return Optional.of(toLive(r, t));
        });
    }

    /**
     * The create call, never repeated blindly ({@link #createOnce}): AWS answers a repeated create with the same name
     * and settings with what the first made, but an emulator makes a second load balancer, so after a failure that may
     * have run the resource is looked up by its natural key (and claimed) first.
     */
    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String stack = spec.tags().get(STACK_TAG);
        String arn = createOnce(ctx, spec.address(),
                () -> create(clients().forCreates(ElasticLoadBalancingV2Client.class, ElasticLoadBalancingV2Client::builder),
                        spec, sdkTags(spec.tags())),
                () -> find(stack, spec).map(LiveResource::id), this::notYetSeen);
        afterCreate(arn, spec, ctx);
        return readBack(arn, ctx);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        TagChanges t = tagChanges(tags(current), spec.tags());
        if (!t.put().isEmpty()) {
            call("AddTags", () -> elbv2().addTags(b -> b.resourceArns(current.id()).tags(sdkTags(t.put()))));
        }
        if (!t.remove().isEmpty()) {
            call("RemoveTags", () -> elbv2().removeTags(b -> b.resourceArns(current.id()).tagKeys(t.remove())));
        }
        updateAttributes(current, spec, changed, ctx);
        return readBack(current.id(), ctx);
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        ignoreGone(() -> {
            delete(current.id(), ctx);
            return null;
        });
        ctx.await(current.id() + " to be deleted", DELETE_TIMEOUT, POLL_INTERVAL,
                () -> describeOne(current.id()).isEmpty() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    // ---- helpers for subclasses ---------------------------------------------------------------------

    /** The resource by ARN; NotFound means absent. */
    protected final Optional<R> describeOne(String arn) {
        return describeSome(List.of(arn)).stream().findFirst();
    }

    /**
     * The resource named {@code name}, for types whose names are unique per region: {@code describeByName} is the
     * Describe call with that name, which answers NotFound when there is none.
     */
    protected final Optional<R> named(String name, Supplier<List<R>> describeByName) {
        return ProviderSupport.unless(this::isGone,
                () -> describeByName.get().stream().filter(r -> name.equals(keyOf.apply(r))).findFirst());
    }

    /** The spec's {@code port}, as the SDK wants it. */
    protected static int port(ResourceSpec spec) {
        return Math.toIntExact(SpecValues.number(spec, "port"));
    }

    /** Every load balancer in the region, all pages. */
    protected final List<LoadBalancer> allLoadBalancers() {
        return call("DescribeLoadBalancers", () -> elbv2().describeLoadBalancersPaginator(b -> b.pageSize(PAGE_SIZE))
                .loadBalancers().stream().toList());
    }

    /**
     * Tags by ARN, {@value #ARN_BATCH} ARNs a DescribeTags call. An ARN that disappeared meanwhile fails its whole
     * batch; that batch is then read one ARN at a time and the gone one left out.
     */
    protected final Map<String, Map<String, String>> describeTags(List<String> arns) {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (int i = 0; i < arns.size(); i += ARN_BATCH) {
            List<String> batch = arns.subList(i, Math.min(arns.size(), i + ARN_BATCH));
            try {
                out.putAll(tagBatch(batch));
            } catch (AwsCallException e) {
                if (!isGone(e)) {
                    throw e;
                }
                batch.forEach(arn -> ignoreGone(() -> {
                    out.putAll(tagBatch(List.of(arn)));
                    return null;
                }));
            }
        }
        return out;
    }

    // ---- internals ----------------------------------------------------------------------------------

    private Map<String, Map<String, String>> tagBatch(List<String> arns) {
        Map<String, Map<String, String>> out = new HashMap<>();
        List<TagDescription> descriptions = call("DescribeTags",
                () -> elbv2().describeTags(b -> b.resourceArns(arns)).tagDescriptions());
        for (TagDescription d : descriptions) {
            Map<String, String> t = new TreeMap<>();
            d.tags().forEach(tag -> t.put(tag.key(), tag.value()));
            out.put(d.resourceArn(), t);
        }
        return out;
    }

    private Map<String, String> tagsOf(String arn) {
        return describeTags(List.of(arn)).getOrDefault(arn, Map.of());
    }

    /**
     * Describes ARNs, keeping only those asked for; when AWS fails the call because one is gone, asks one by one and
     * leaves the gone out.
     */
    private List<R> describeSome(List<String> arns) {
        try {
            return describeArns(arns).stream().filter(r -> arns.contains(arnOf.apply(r))).toList();
        } catch (AwsCallException e) {
            if (!isGone(e)) {
                throw e;
            }
            if (arns.size() == 1) {
                return List.of();
            }
            List<R> out = new ArrayList<>();
            arns.forEach(arn -> out.addAll(describeSome(List.of(arn))));
            return out;
        }
    }

    private LiveResource readBack(String arn, OperationContext ctx) {
        R r = awaitPropagation(ctx, arn + " to become readable", () -> describeOne(arn));
        return toLive(r, tagsOf(arn));
    }

    private LiveResource toLive(R r, Map<String, String> tags) {
        return live(arnOf.apply(r), tags, attributesOf(r));
    }

    static List<Tag> sdkTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }
}
