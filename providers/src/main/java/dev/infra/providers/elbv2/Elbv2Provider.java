package dev.infra.providers.elbv2;

import static dev.infra.providers.AwsCallException.call;
import static dev.infra.providers.ProviderSupport.ADDRESS_TAG;
import static dev.infra.providers.ProviderSupport.STACK_TAG;
import static dev.infra.providers.ProviderSupport.TAGS;
import static dev.infra.providers.ProviderSupport.wrap;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ReadRequest;
import dev.infra.core.provider.ResourceProvider;
import dev.infra.core.provider.ResourceSchema;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.ProviderSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;

/**
 * What the ELBv2 resource types (load balancers, target groups, listeners) share. ELBv2 has no tag filter on its
 * Describe calls, so {@link #readAll} lists the candidates (all pages) and reads their tags with DescribeTags, 20
 * ARNs a call (that API's limit), keeping those tagged {@code infra:stack=<stack>}; ids from state not among them are
 * described by ARN, 20 a call. Tags are given at creation and changed with AddTags/RemoveTags. A resource is found
 * again by its natural key (a name, a load balancer and port), never duplicated: AWS returns the existing load
 * balancer or target group for a second create with the same name, and an emulator may not.
 *
 * @param <R> the SDK's model class, e.g. {@code LoadBalancer}
 */
public abstract class Elbv2Provider<R> implements ResourceProvider {

    /** DescribeTags and Describe* by ARN take at most 20 ARNs a call. */
    static final int ARN_BATCH = 20;
    /** The largest page the Describe calls return. */
    static final int PAGE_SIZE = 400;
    static final Duration VISIBLE_TIMEOUT = Duration.ofMinutes(2);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(5);
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(10);

    private final AwsClients clients;
    private final String type;
    private final Function<R, String> arnOf;
    private final ResourceSchema schema;

    /**
     * @param updatable attributes changed in place, besides {@code tags}
     * @param computed attributes AWS sets
     * @param unordered list attributes compared as sets
     */
    protected Elbv2Provider(AwsClients clients, String type, Function<R, String> arnOf, Set<String> updatable,
                            Set<String> computed, String... unordered) {
        this.clients = Objects.requireNonNull(clients);
        this.type = type;
        this.arnOf = arnOf;
        Set<String> all = new HashSet<>(updatable);
        all.add(TAGS);
        this.schema = ResourceSchema.of(all, computed).withUnordered(unordered);
    }

    protected final ElasticLoadBalancingV2Client elbv2() {
        return clients.elbv2();
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

    /** Makes the one create call, with these tags; returns the new ARN. */
    protected abstract String createResource(ResourceSpec spec, List<Tag> tags);

    /** What completes a create, e.g. waiting until the load balancer is active. */
    protected void afterCreate(String arn, ResourceSpec spec, OperationContext ctx) {
    }

    /** Changes the updatable attributes named in {@code changed}, other than tags. */
    protected abstract void updateAttributes(LiveResource current, ResourceSpec spec, Set<String> changed,
                                             OperationContext ctx);

    /** The delete call; a NotFound error counts as done. {@link #delete} then waits until the ARN is gone. */
    protected abstract void deleteResource(LiveResource current, OperationContext ctx);

    // ---- ResourceProvider ---------------------------------------------------------------------------

    @Override
    public final String type() {
        return type;
    }

    @Override
    public final ResourceSchema schema() {
        return schema;
    }

    /**
     * One pass over the candidates (see {@link #candidates}), then ceil(candidates / 20) DescribeTags calls, then,
     * only for ids from state that are not in the stack, ceil(missing / 20) Describe and DescribeTags calls.
     */
    @Override
    public List<LiveResource> readAll(ReadRequest request) {
        return wrap(type + " (stack " + request.stack() + ")", () -> {
            Map<String, R> found = new LinkedHashMap<>();
            Map<String, Map<String, String>> tags = new HashMap<>();
            List<R> candidates = candidates(request.stack());
            Map<String, Map<String, String>> candidateTags = describeTags(candidates.stream().map(arnOf).toList());
            for (R r : candidates) {
                Map<String, String> t = candidateTags.get(arnOf.apply(r));
                if (t != null && request.stack().equals(t.get(STACK_TAG))) {
                    found.put(arnOf.apply(r), r);
                    tags.put(arnOf.apply(r), t);
                }
            }
            List<String> missing = request.ids().stream().filter(id -> !found.containsKey(id)).sorted().toList();
            for (int i = 0; i < missing.size(); i += ARN_BATCH) {
                List<String> batch = missing.subList(i, Math.min(missing.size(), i + ARN_BATCH));
                List<R> described = describeSome(batch);
                tags.putAll(describeTags(described.stream().map(arnOf).toList()));
                described.forEach(r -> found.putIfAbsent(arnOf.apply(r), r));
            }
            return found.values().stream()
                    .map(r -> toLive(r, tags.getOrDefault(arnOf.apply(r), Map.of())))
                    .toList();
        });
    }

    @Override
    public Optional<LiveResource> findExisting(String stack, ResourceSpec spec) {
        return wrap(spec.address(), () -> byNaturalKey(spec).flatMap(r -> {
            Map<String, String> t = tagsOf(arnOf.apply(r));
            String what = type + " " + naturalKey(r);
            return ProviderSupport.adoptable(spec.address(), stack, what, t) ? Optional.of(toLive(r, t)) : Optional.empty();
        }));
    }

    @Override
    public LiveResource create(ResourceSpec spec, OperationContext ctx) {
        return wrap(spec.address(), () -> {
            String arn = createResource(spec, sdkTags(spec.tags()));
            afterCreate(arn, spec, ctx);
            return readBack(arn, ctx);
        });
    }

    @Override
    public LiveResource update(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
        return wrap(spec.address(), () -> {
            ProviderSupport.TagChanges t = ProviderSupport.tagChanges(ProviderSupport.tags(current), spec.tags());
            if (!t.put().isEmpty()) {
                call("AddTags", () -> elbv2().addTags(b -> b.resourceArns(current.id()).tags(sdkTags(t.put()))));
            }
            if (!t.remove().isEmpty()) {
                call("RemoveTags", () -> elbv2().removeTags(b -> b.resourceArns(current.id()).tagKeys(t.remove())));
            }
            updateAttributes(current, spec, changed, ctx);
            return readBack(current.id(), ctx);
        });
    }

    @Override
    public void delete(LiveResource current, OperationContext ctx) {
        wrap(ProviderSupport.addressOf(current, ctx), () -> {
            try {
                deleteResource(current, ctx);
            } catch (AwsCallException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
            return ctx.await(current.id() + " to be deleted", DELETE_TIMEOUT, POLL_INTERVAL,
                    () -> describeOne(current.id()).isEmpty() ? Optional.of(Boolean.TRUE) : Optional.empty());
        });
    }

    // ---- helpers for subclasses ---------------------------------------------------------------------

    /** How messages name a resource found by its natural key; its ARN unless a subclass says better. */
    protected String naturalKey(R resource) {
        return arnOf.apply(resource);
    }

    /** The resource by ARN; NotFound means absent. */
    protected final Optional<R> describeOne(String arn) {
        return describeSome(List.of(arn)).stream().filter(r -> arn.equals(arnOf.apply(r))).findFirst();
    }

    /** Every load balancer in the region, all pages. */
    protected final List<LoadBalancer> allLoadBalancers() {
        return call("DescribeLoadBalancers", () -> elbv2().describeLoadBalancersPaginator(b -> b.pageSize(PAGE_SIZE))
                .loadBalancers().stream().toList());
    }

    /**
     * Tags by ARN (without AWS's own), {@value #ARN_BATCH} ARNs a DescribeTags call. An ARN that disappeared meanwhile
     * fails its whole batch; that batch is then read one ARN at a time and the gone one left out.
     */
    protected final Map<String, Map<String, String>> describeTags(List<String> arns) {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (int i = 0; i < arns.size(); i += ARN_BATCH) {
            List<String> batch = arns.subList(i, Math.min(arns.size(), i + ARN_BATCH));
            try {
                out.putAll(tagBatch(batch));
            } catch (AwsCallException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
                for (String arn : batch) {
                    try {
                        out.putAll(tagBatch(List.of(arn)));
                    } catch (AwsCallException gone) {
                        if (!gone.isNotFound()) {
                            throw gone;
                        }
                    }
                }
            }
        }
        return out;
    }

    /** A numeric string as a Long (ports), anything else as it is. */
    protected static Object number(String s) {
        if (s != null && s.matches("\\d{1,9}")) {
            return Long.valueOf(s);
        }
        return s;
    }

    // ---- internals ----------------------------------------------------------------------------------

    private Map<String, Map<String, String>> tagBatch(List<String> arns) {
        Map<String, Map<String, String>> out = new HashMap<>();
        List<TagDescription> descriptions = call("DescribeTags",
                () -> elbv2().describeTags(b -> b.resourceArns(arns)).tagDescriptions());
        for (TagDescription d : descriptions) {
            Map<String, String> t = new TreeMap<>();
            d.tags().forEach(tag -> t.put(tag.key(), tag.value()));
            out.put(d.resourceArn(), ProviderSupport.userTags(t));
        }
        return out;
    }

    private Map<String, String> tagsOf(String arn) {
        return describeTags(List.of(arn)).getOrDefault(arn, Map.of());
    }

    /** Describes ARNs; when AWS fails the call because one is gone, asks one by one and leaves the gone out. */
    private List<R> describeSome(List<String> arns) {
        try {
            return describeArns(arns).stream().filter(r -> arns.contains(arnOf.apply(r))).toList();
        } catch (AwsCallException e) {
            if (!e.isNotFound()) {
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
        R r = ctx.await(arn + " to become readable", VISIBLE_TIMEOUT, POLL_INTERVAL, () -> describeOne(arn));
        return toLive(r, tagsOf(arn));
    }

    private LiveResource toLive(R r, Map<String, String> tags) {
        Map<String, Object> attributes = new TreeMap<>(attributesOf(r));
        attributes.put(TAGS, new TreeMap<>(tags));
        return LiveResource.of(arnOf.apply(r), tags.get(ADDRESS_TAG), attributes);
    }

    static List<Tag> sdkTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }

    /** Sorted, so that a set compares equal however AWS orders it. */
    static List<String> sorted(Collection<String> values) {
        return values.stream().sorted().toList();
    }
}
