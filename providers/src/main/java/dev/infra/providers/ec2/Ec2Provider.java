package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.core.provider.ResourceProvider;
import dev.infra.core.provider.ResourceSchema;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * What every EC2 resource type shares: tags (at creation, on read, diffed on update), reads by stack tag and
 * by id, lookup by address tag, error wrapping, retry of NotFound right after a create and of
 * DependencyViolation on delete. A subclass supplies the type's Describe, Create, Delete and attribute mapping.
 *
 * @param <R> the SDK's model class for the resource, e.g. {@code Vpc}
 */
public abstract class Ec2Provider<R> implements ResourceProvider {

    public static final String STACK_TAG = "infra:stack";
    public static final String ADDRESS_TAG = "infra:address";
    public static final String TAGS = "tags";

    /** How long a resource just created may stay invisible to other calls (EC2 is eventually consistent). */
    static final Duration VISIBLE_TIMEOUT = Duration.ofMinutes(2);
    static final Duration VISIBLE_INTERVAL = Duration.ofSeconds(2);
    /** How long a delete waits for dependents (ENIs, attachments, rules) to go away. */
    static final Duration DEPENDENCY_TIMEOUT = Duration.ofMinutes(5);
    static final Duration DEPENDENCY_INTERVAL = Duration.ofSeconds(5);
    /** Pause before looking for what a failed create call may have made, and trying again if nothing. */
    static final Duration CREATE_RETRY_INTERVAL = Duration.ofSeconds(2);
    static final Duration CREATE_RETRY_TIMEOUT = Duration.ofMinutes(2);

    private final AwsClients clients;
    private final String type;
    private final ResourceType tagType;
    private final String notFoundCode;
    private final Function<R, String> idOf;
    private final Function<R, List<Tag>> tagsOf;
    /** Whether the type carries tags; an untagged one is read by the ids state knows and found by natural key. */
    private final boolean tagged;
    private ResourceSchema schema;

    /**
     * @param type the resource type name, e.g. {@code aws_vpc}
     * @param tagType the EC2 resource type of TagSpecifications at creation
     * @param notFoundCode the error code EC2 gives for this type's missing ids, e.g. {@code InvalidVpcID.NotFound}
     * @param idOf the SDK model's id, e.g. {@code Vpc::vpcId}
     * @param tagsOf the SDK model's tags, e.g. {@code Vpc::tags}
     * @param updatable attributes changed in place, besides {@code tags}
     * @param computed attributes AWS sets
     */
    protected Ec2Provider(AwsClients clients, String type, ResourceType tagType, String notFoundCode,
                          Function<R, String> idOf, Function<R, List<Tag>> tagsOf,
                          Set<String> updatable, Set<String> computed) {
        this(clients, type, tagType, notFoundCode, idOf, tagsOf, true, updatable, computed);
    }

    /**
     * For a type without tags of its own (an attachment, a per-Region setting): no {@code tags} attribute, readAll
     * reads only the ids state knows (there is no stack tag to filter on), and findExisting goes through
     * {@link #lookup}, which such a type overrides to find by natural key.
     */
    protected Ec2Provider(AwsClients clients, String type, String notFoundCode, Function<R, String> idOf,
                          Set<String> updatable, Set<String> computed) {
        this(clients, type, null, notFoundCode, idOf, r -> List.of(), false, updatable, computed);
    }

    private Ec2Provider(AwsClients clients, String type, ResourceType tagType, String notFoundCode,
                        Function<R, String> idOf, Function<R, List<Tag>> tagsOf, boolean tagged,
                        Set<String> updatable, Set<String> computed) {
        this.clients = Objects.requireNonNull(clients);
        this.type = type;
        this.tagType = tagType;
        this.notFoundCode = notFoundCode;
        this.idOf = idOf;
        this.tagsOf = tagsOf;
        this.tagged = tagged;
        this.schema = ResourceSchema.of(tagged, updatable, computed);
    }

    /** For a subclass constructor: list attributes whose order AWS does not keep (the planner compares them as sets). */
    protected final void unordered(String... attributes) {
        schema = schema.withUnordered(attributes);
    }

    /** For a subclass constructor: computed attributes an in-place update changes (what refers to them follows). */
    protected final void recomputedOnUpdate(String... attributes) {
        schema = schema.withRecomputedOnUpdate(attributes);
    }

    /** The EC2 client, built on first use. */
    protected final Ec2Client ec2() {
        return clients.ec2();
    }

    // ---- what each type supplies -------------------------------------------------------------------

    /** One Describe call (all pages) with these filters and, when not empty, these ids. Uses {@link AwsCallException#call}. */
    protected abstract List<R> describe(List<Filter> filters, Collection<String> ids);

    /** The attributes other than {@code tags}, named and shaped as in the spec. */
    protected abstract Map<String, Object> attributesOf(R resource);

    /** Whether the resource counts as existing (not deleted, deleting or failed). */
    protected boolean isLive(R resource) {
        return true;
    }

    /**
     * Makes the one create call (CreateVpc, AllocateAddress…) through {@code once}, a client that does not retry by
     * itself, tagging the resource with {@code tags}; returns the new id. {@code clientToken} stays the same across
     * the attempts of one create: pass it where the API takes one.
     */
    protected abstract String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken);

    /** What completes a create (attach, modify an attribute, wait until available), each call in {@link #whenVisible}. */
    protected void afterCreate(String id, ResourceSpec spec, OperationContext ctx) {
    }

    /** Changes updatable attributes other than tags where {@code spec} differs from {@code current}. */
    protected void updateAttributes(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
    }

    /** Deletes and waits until gone. A NotFound error thrown from here counts as success. */
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

    @Override
    public List<LiveResource> readAll(ReadRequest request) {
        return wrap(type + " (stack " + request.stack() + ")", () -> {
            Map<String, R> found = new LinkedHashMap<>();
            for (R r : tagged ? describe(List.of(tagFilter(STACK_TAG, request.stack())), List.of()) : List.<R>of()) {
                // Also on the client side: some endpoints ignore tag filters (moto's DescribeNatGateways).
                if (isLive(r) && request.stack().equals(tagMap(r).get(STACK_TAG))) {
                    found.put(idOf.apply(r), r);
                }
            }
            List<String> missing = request.ids().stream().filter(id -> !found.containsKey(id)).sorted().toList();
            if (!missing.isEmpty()) {
                for (R r : describeIds(missing)) {
                    if (isLive(r) && missing.contains(idOf.apply(r))) {
                        found.putIfAbsent(idOf.apply(r), r);
                    }
                }
            }
            return found.values().stream().map(this::toLive).toList();
        });
    }

    @Override
    public Optional<LiveResource> findExisting(String stack, ResourceSpec spec) {
        return wrap(spec.address(), () -> lookup(stack, spec).map(this::toLive));
    }

    @Override
    public LiveResource create(ResourceSpec spec, OperationContext ctx) {
        return wrap(spec.address(), () -> {
            String id = createOnce(spec, ctx);
            afterCreate(id, spec, ctx);
            return readBack(id, ctx);
        });
    }

    @Override
    public LiveResource update(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
        return wrap(spec.address(), () -> {
            if (tagged) {
                updateTags(current.id(), tags(current), spec.tags());
            }
            updateAttributes(current, spec, changed, ctx);
            return readBack(current.id(), ctx);
        });
    }

    @Override
    public void delete(LiveResource current, OperationContext ctx) {
        String address = ctx.address() != null ? ctx.address() : current.address() != null ? current.address() : current.id();
        wrap(address, () -> {
            try {
                deleteResource(current, ctx);
            } catch (AwsCallException e) {
                if (!e.isNotFound()) {
                    throw e;
                }
            }
            return null;
        });
    }

    // ---- helpers for subclasses ---------------------------------------------------------------------

    /** The resource by id in whatever state (deleted NAT gateways included); NotFound means absent. */
    protected Optional<R> describeOne(String id) {
        try {
            return describe(List.of(), List.of(id)).stream().filter(r -> id.equals(idOf.apply(r))).findFirst();
        } catch (AwsCallException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /**
     * Runs a call on a resource just created, retrying while EC2 still answers with this type's NotFound code.
     */
    protected <T> T whenVisible(OperationContext ctx, String id, Supplier<T> call) {
        return ctx.await(id + " to become visible", VISIBLE_TIMEOUT, VISIBLE_INTERVAL, () -> {
            try {
                return Optional.of(call.get());
            } catch (AwsCallException e) {
                if (notFoundCode.equals(e.code())) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /**
     * Runs a delete-like call, retrying for a bounded time while AWS answers DependencyViolation (or one of
     * {@code moreRetryCodes}); NotFound counts as done.
     */
    protected void retryWhileInUse(OperationContext ctx, String what, Runnable call, String... moreRetryCodes) {
        Set<String> retry = new HashSet<>(List.of(moreRetryCodes));
        retry.add("DependencyViolation");
        AtomicReference<AwsCallException> last = new AtomicReference<>();
        try {
            ctx.await(what, DEPENDENCY_TIMEOUT, DEPENDENCY_INTERVAL, () -> {
                try {
                    call.run();
                    return Optional.of(Boolean.TRUE);
                } catch (AwsCallException e) {
                    if (e.isNotFound()) {
                        return Optional.of(Boolean.TRUE);
                    }
                    if (e.code() != null && retry.contains(e.code())) {
                        last.set(e);
                        return Optional.empty();
                    }
                    throw e;
                }
            });
        } catch (AwsCallException e) {
            throw e;
        } catch (RuntimeException timeout) {
            // The context gave up: report what AWS kept saying, not just that time ran out.
            if (last.get() == null) {
                throw timeout;
            }
            ProviderException p = new ProviderException(ctx.address(),
                    "gave up after " + DEPENDENCY_TIMEOUT.toMinutes() + " min: " + last.get().getMessage(), last.get());
            p.addSuppressed(timeout);
            throw p;
        }
    }

    /**
     * The live resource {@code spec} stands for, if it exists: for a tagged type the one tagged with this stack and
     * the spec's address (the lowest id, should there be several); an untagged type overrides this to find by
     * natural key (none by default).
     */
    protected Optional<R> lookup(String stack, ResourceSpec spec) {
        if (!tagged) {
            return Optional.empty();
        }
        String address = spec.address();
        return describe(List.of(tagFilter(ADDRESS_TAG, address), tagFilter(STACK_TAG, stack)), List.of())
                .stream()
                .filter(this::isLive)
                .filter(r -> address.equals(tagMap(r).get(ADDRESS_TAG)) && stack.equals(tagMap(r).get(STACK_TAG)))
                .min(Comparator.comparing(idOf));
    }

    /** The resource as the engine sees it: its attributes, plus {@code tags} and the address tag for a tagged type. */
    protected final LiveResource toLive(R r) {
        Map<String, Object> attributes = new TreeMap<>(attributesOf(r));
        if (!tagged) {
            return LiveResource.of(idOf.apply(r), null, attributes);
        }
        Map<String, String> tags = tagMap(r);
        attributes.put(TAGS, tags);
        return LiveResource.of(idOf.apply(r), tags.get(ADDRESS_TAG), attributes);
    }

    /**
     * Tags for what a resource makes at launch (an instance's volumes, a launch template's instances and volumes):
     * the spec's tags without {@code infra:address}, which names the resource itself, so that what it makes is never
     * read back as a second copy of it (or of another resource) and deleted as such.
     */
    protected static Map<String, String> launchedTags(Map<String, String> tags) {
        Map<String, String> out = new TreeMap<>(tags);
        out.remove(ADDRESS_TAG);
        return out;
    }

    /** Tags as a sorted map, without AWS's own ({@code aws:…}). */
    protected static Map<String, String> tagMap(List<Tag> tags) {
        Map<String, String> out = new TreeMap<>();
        if (tags != null) {
            for (Tag t : tags) {
                if (t.key() != null && !t.key().startsWith("aws:")) {
                    out.put(t.key(), t.value() == null ? "" : t.value());
                }
            }
        }
        return out;
    }

    protected static TagSpecification tagSpecification(ResourceType resourceType, Map<String, String> tags) {
        return TagSpecification.builder().resourceType(resourceType).tags(sdkTags(tags)).build();
    }

    protected static Filter filter(String name, String... values) {
        return Filter.builder().name(name).values(values).build();
    }

    protected static Filter tagFilter(String key, String value) {
        return filter("tag:" + key, value);
    }

    /** Ids as the SDK wants them: {@code null} (not sent) when empty. */
    protected static List<String> idsOrNull(Collection<String> ids) {
        return ids.isEmpty() ? null : List.copyOf(ids);
    }

    /** Filters as the SDK wants them: {@code null} (not sent) when empty. */
    protected static List<Filter> filtersOrNull(List<Filter> filters) {
        return filters.isEmpty() ? null : filters;
    }

    protected static Long toLong(Integer i) {
        return i == null ? null : i.longValue();
    }

    /** Puts {@code value} unless it is null, so absent values stay absent rather than null. */
    protected static void putIfPresent(Map<String, Object> attributes, String name, Object value) {
        if (value != null) {
            attributes.put(name, value);
        }
    }

    @SuppressWarnings("unchecked")
    protected static Map<String, String> tags(LiveResource r) {
        Object t = r.attributes().get(TAGS);
        return t instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    }

    /** Runs {@code body}, turning a failed AWS call into a {@link ProviderException} naming {@code address}. */
    protected static <T> T wrap(String address, Supplier<T> body) {
        try {
            return body.get();
        } catch (AwsCallException e) {
            throw e.toProviderException(address);
        }
    }

    // ---- internals ----------------------------------------------------------------------------------

    /**
     * The create call, never repeated blindly: EC2 creates are not idempotent, so after a failure that may have
     * taken effect (no answer, 5xx, throttling) this looks for the resource by its address tag and adopts it, and
     * calls again only when it is not there, up to the settings' maxAttempts calls in all.
     */
    private String createOnce(ResourceSpec spec, OperationContext ctx) {
        TagSpecification tags = tagged ? tagSpecification(tagType, spec.tags()) : null;
        String clientToken = UUID.randomUUID().toString();
        String stack = spec.tags().get(STACK_TAG);
        int maxAttempts = clients.settings().maxAttempts();
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<AwsCallException> failure = new AtomicReference<>();
        return ctx.await("create of " + spec.address(), CREATE_RETRY_TIMEOUT, CREATE_RETRY_INTERVAL, () -> {
            if (failure.get() != null) {
                Optional<R> made = lookup(stack, spec);
                if (made.isPresent()) {
                    return Optional.of(idOf.apply(made.get()));
                }
                if (attempts.get() >= maxAttempts) {
                    throw failure.get();
                }
            }
            attempts.incrementAndGet();
            try {
                return Optional.of(createResource(clients.ec2SingleAttempt(), spec, tags, clientToken));
            } catch (AwsCallException e) {
                if (!e.isTransient() || stack == null) {
                    throw e;
                }
                failure.set(e);
                return Optional.empty();
            }
        });
    }

    private List<R> describeIds(List<String> ids) {
        try {
            return describe(List.of(), ids);
        } catch (AwsCallException e) {
            if (!e.isNotFound()) {
                throw e;
            }
            // One of the ids is gone and AWS failed the whole batch: ask one by one.
            List<R> out = new ArrayList<>();
            ids.forEach(id -> describeOne(id).ifPresent(out::add));
            return out;
        }
    }

    private LiveResource readBack(String id, OperationContext ctx) {
        R r = ctx.await(id + " to become readable", VISIBLE_TIMEOUT, VISIBLE_INTERVAL, () -> describeOne(id));
        return toLive(r);
    }

    /** The resource's tags without AWS's own ({@code aws:…}), sorted by key. */
    private Map<String, String> tagMap(R r) {
        return tagMap(tagsOf.apply(r));
    }

    /** Makes the resource's tags {@code desired}: CreateTags for new or changed ones, DeleteTags for the rest. */
    protected final void updateTags(String id, Map<String, String> current, Map<String, String> desired) {
        Map<String, String> put = new TreeMap<>();
        desired.forEach((k, v) -> {
            if (!Objects.equals(current.get(k), v)) {
                put.put(k, v);
            }
        });
        List<Tag> remove = current.keySet().stream()
                .filter(k -> !desired.containsKey(k) && !k.startsWith("aws:"))
                .sorted()
                .map(k -> Tag.builder().key(k).build())
                .toList();
        if (!put.isEmpty()) {
            call("CreateTags", () -> ec2().createTags(b -> b.resources(id).tags(sdkTags(put))));
        }
        if (!remove.isEmpty()) {
            call("DeleteTags", () -> ec2().deleteTags(b -> b.resources(id).tags(remove)));
        }
    }

    protected static List<Tag> sdkTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }
}
