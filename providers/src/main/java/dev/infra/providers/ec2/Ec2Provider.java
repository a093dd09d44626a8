package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.ParallelReads;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * The {@link AwsResourceProvider} of EC2 types: one Describe call (with {@code tag:} filters for the stack or the
 * address tag, or by ids) gives the SDK model a subclass maps to attributes; tags are set at creation through
 * TagSpecifications and changed with CreateTags/DeleteTags; a batch read by ids that fails because one is gone is
 * asked again id by id; calls right after a create are retried while EC2 answers the type's NotFound code, deletes
 * while it answers DependencyViolation. A subclass supplies the type's Describe, Create, Delete and attribute mapping.
 *
 * @param <R> the SDK's model class for the resource, e.g. {@code Vpc}
 */
public abstract class Ec2Provider<R> extends AwsResourceProvider {

    /**
     * How long a delete waits for dependents (ENIs, attachments, rules) to go away: like Terraform's delete timeouts of
     * subnets (20 min) and security groups (15 min), as services release their network interfaces late.
     */
    static final Duration DEPENDENCY_TIMEOUT = Duration.ofMinutes(20);
    static final Duration DEPENDENCY_INTERVAL = Duration.ofSeconds(5);

    private final ResourceType tagType;
    private final String notFoundCode;
    private final Function<R, String> idOf;
    private final Function<R, List<Tag>> tagsOf;

    /**
     * @param entry the type's catalogue entry
     * @param tagType the EC2 resource type of TagSpecifications at creation
     * @param notFoundCode the error code EC2 gives for this type's missing ids, e.g. {@code InvalidVpcID.NotFound}
     * @param idOf the SDK model's id, e.g. {@code Vpc::vpcId}
     * @param tagsOf the SDK model's tags, e.g. {@code Vpc::tags}
     */
    protected Ec2Provider(AwsClients clients, dev.infra.core.catalogue.ResourceType entry, ResourceType tagType,
                          String notFoundCode, Function<R, String> idOf, Function<R, List<Tag>> tagsOf) {
        super(clients, entry);
        this.tagType = tagType;
        this.notFoundCode = notFoundCode;
        this.idOf = idOf;
        this.tagsOf = tagsOf;
    }

    /**
     * For a type without tags of its own (an attachment, a per-Region setting): no {@code tags} attribute, readAll
     * reads only the ids state knows (there is no stack tag to filter on), and findExisting goes through
     * {@link #lookup}, which such a type overrides to find by natural key.
     */
    protected Ec2Provider(AwsClients clients, dev.infra.core.catalogue.ResourceType entry, String notFoundCode,
                          Function<R, String> idOf) {
        this(clients, entry, null, notFoundCode, idOf, r -> List.of());
    }

    /** The EC2 client, built on first use. */
    protected final Ec2Client ec2() {
        return clients().ec2();
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
     * Makes the one create call (CreateVpc, AllocateAddress…) through {@code once}, a client that retries only what
     * AWS did not run (see {@link AwsClients#forCreates}), tagging the resource with {@code tags}; returns the new id. {@code clientToken} stays the same across
     * the attempts of one create: pass it where the API takes one.
     */
    protected abstract String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken);

    /** Whether a create failed on something it names that AWS does not show yet (then retried for a while); none by default. */
    protected boolean notYet(AwsCallException e) {
        return false;
    }

    /** What completes a create (attach, modify an attribute, wait until available), each call in {@link #whenVisible}. */
    protected void afterCreate(String id, ResourceSpec spec, OperationContext ctx) {
    }

    /** Changes updatable attributes other than tags where {@code spec} differs from {@code current}. */
    protected void updateAttributes(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
    }

    /**
     * The resource {@code spec} stands for, if it exists: for a tagged type the one tagged with this stack and the
     * spec's address (the lowest id, should there be several); an untagged type overrides this to find by natural
     * key (none by default). A tagged type keeps this one: {@link #foundByTagsAlone} says so of it.
     */
    protected Optional<R> lookup(String stack, ResourceSpec spec) {
        if (tagType == null) {
            return Optional.empty();
        }
        String address = spec.address();
        return describe(List.of(tagFilter(ADDRESS_TAG, address), tagFilter(STACK_TAG, stack)), List.of())
                .stream()
                .filter(this::isLive)
                .filter(r -> address.equals(tagMap(r).get(ADDRESS_TAG)) && stack.equals(tagMap(r).get(STACK_TAG)))
                .min(Comparator.comparing(idOf));
    }

    // ---- AwsResourceProvider ------------------------------------------------------------------------

    /** A tagged type's {@link #lookup} is {@link #readStack}'s listing (which readAll makes) narrowed to the address tag. */
    @Override
    public final boolean foundByTagsAlone() {
        return tagType != null && tagged();
    }

    /** Also filtered on the client side: some endpoints ignore tag filters (moto's DescribeNatGateways). */
    @Override
    protected final List<LiveResource> readStack(String stack) {
        // attributesOf may read more per resource (a VPC's attributes, a template's version): concurrently.
        return readDetails(describe(List.of(tagFilter(STACK_TAG, stack)), List.of()).stream()
                .filter(r -> isLive(r) && stack.equals(tagMap(r).get(STACK_TAG))).toList(), r -> Optional.of(toLive(r)));
    }

    @Override
    protected final List<LiveResource> readIds(Collection<String> ids) {
        List<R> found;
        try {
            found = describe(List.of(), ids);
        } catch (AwsCallException e) {
            if (!e.isNotFound()) {
                throw e;
            }
            // One of the ids is gone and AWS failed the whole batch: ask one by one.
            found = ParallelReads.each(ids, this::describeOne);
        }
        return readDetails(found.stream().filter(r -> isLive(r) && ids.contains(idOf.apply(r))).toList(),
                r -> Optional.of(toLive(r)));
    }

    @Override
    protected final Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return lookup(stack, spec).map(this::toLive);
    }

    /**
     * The create call, never repeated blindly (see {@link #createOnce}): after a failure that may have taken effect
     * the resource is looked up (by its address tag, or an untagged type's natural key) and adopted. A tagged spec
     * without a stack tag has nothing to look for: its create is made once.
     */
    @Override
    protected final LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        TagSpecification tags = tagType != null ? tagSpecification(tagType, spec.tags()) : null;
        String clientToken = UUID.randomUUID().toString();
        String stack = spec.tags().get(STACK_TAG);
        Supplier<String> create = () -> createResource(clients().ec2ForCreates(), spec, tags, clientToken);
        String id = stack == null && tagType != null ? create.get()
                : createOnce(ctx, spec.address(), create, () -> lookup(stack, spec).map(idOf), this::notYet);
        afterCreate(id, spec, ctx);
        return describedByCreate(id).map(this::toLive).orElseGet(() -> readBack(id, ctx));
    }

    /**
     * The resource {@code id} as the answer of its create (just made) described it, when that answer holds all that
     * {@link #describe} would and {@link #afterCreate} changes nothing: then no call reads it back. Empty by default,
     * and for a create found made by an earlier attempt (looked up, not answered).
     */
    protected Optional<R> describedByCreate(String id) {
        return Optional.empty();
    }

    @Override
    protected final LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                                OperationContext ctx) {
        if (tagType != null) {
            updateTags(current.id(), tags(current), spec.tags());
        }
        updateAttributes(current, spec, changed, ctx);
        return readBack(current.id(), ctx);
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

    /** Runs a call on a resource just created, retrying while EC2 still answers with this type's NotFound code. */
    protected <T> T whenVisible(OperationContext ctx, String id, Supplier<T> call) {
        return whenPropagated(ctx, id + " to become visible", e -> notFoundCode.equals(e.code()), call);
    }

    /**
     * Runs a delete-like call, retrying for a bounded time while AWS answers DependencyViolation (or one of
     * {@code moreRetryCodes}); NotFound counts as done.
     */
    protected void retryWhileInUse(OperationContext ctx, String what, Runnable call, String... moreRetryCodes) {
        Set<String> retry = new HashSet<>(List.of(moreRetryCodes));
        retry.add("DependencyViolation");
        ignoreGone(() -> retrying(ctx, what, DEPENDENCY_TIMEOUT, DEPENDENCY_INTERVAL,
                e -> !e.isNotFound() && e.code() != null && retry.contains(e.code()), () -> {
                    call.run();
                    return Boolean.TRUE;
                }));
    }

    /** The resource as the engine sees it: its attributes, plus {@code tags} and the address tag for a tagged type. */
    protected final LiveResource toLive(R r) {
        return live(idOf.apply(r), tagMap(r), attributesOf(r));
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

    protected static List<Tag> sdkTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }

    protected static TagSpecification tagSpecification(ResourceType resourceType, Map<String, String> tags) {
        return TagSpecification.builder().resourceType(resourceType).tags(sdkTags(tags)).build();
    }

    /** Makes the resource's tags {@code desired}: CreateTags for new or changed ones, DeleteTags for the rest. */
    protected final void updateTags(String id, Map<String, String> current, Map<String, String> desired) {
        TagChanges t = tagChanges(current, desired);
        if (!t.put().isEmpty()) {
            call("CreateTags", () -> ec2().createTags(b -> b.resources(id).tags(sdkTags(t.put()))));
        }
        if (!t.remove().isEmpty()) {
            List<Tag> remove = t.remove().stream().map(k -> Tag.builder().key(k).build()).toList();
            call("DeleteTags", () -> ec2().deleteTags(b -> b.resources(id).tags(remove)));
        }
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

    // ---- internals ----------------------------------------------------------------------------------

    private LiveResource readBack(String id, OperationContext ctx) {
        return toLive(awaitPropagation(ctx, id + " to become readable", () -> describeOne(id)));
    }

    /** The resource's tags without AWS's own ({@code aws:…}), sorted by key. */
    private Map<String, String> tagMap(R r) {
        return tagMap(tagsOf.apply(r));
    }
}
