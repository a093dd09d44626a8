package dev.infra.providers;

import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.expand.Expansion;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.core.provider.ResourceProvider;
import dev.infra.core.provider.ResourceSchema;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.TagFilter;

/**
 * What the providers of every service share (EC2's through {@code ec2.Ec2Provider}, KMS, IAM, Auto Scaling…): the
 * {@link ResourceProvider} methods with every AWS failure turned into a {@link ProviderException} naming the
 * resource, readAll as "the stack's resources plus the state ids they miss", {@code tags} and {@code infra:address}
 * on {@link LiveResource}s, tag diffs, bounded retries of calls AWS may refuse for a while (eventual consistency,
 * propagation) and creates that are never repeated blindly. A service's base class adds its client and its own
 * NotFound codes; a type's class the calls.
 */
public abstract class AwsResourceProvider implements ResourceProvider {

    public static final String STACK_TAG = Expansion.TAG_STACK;
    public static final String ADDRESS_TAG = Expansion.TAG_ADDRESS;
    public static final String TAGS = ResourceType.TAGS;

    /** How long a resource just created (or one it names) may stay invisible to other calls. */
    protected static final Duration PROPAGATION_TIMEOUT = Duration.ofMinutes(2);
    protected static final Duration PROPAGATION_INTERVAL = Duration.ofSeconds(2);

    private final AwsClients clients;
    private final ResourceType entry;
    private final ResourceSchema schema;

    /** @param entry the type's catalogue entry: its schema, whether it carries tags, whether it is a singleton */
    protected AwsResourceProvider(AwsClients clients, ResourceType entry) {
        this.clients = Objects.requireNonNull(clients);
        this.entry = entry;
        this.schema = entry.schema();
    }

    protected final AwsClients clients() {
        return clients;
    }

    // ---- what each type supplies -------------------------------------------------------------------

    /**
     * The resources that may carry {@code infra:stack=stack}, read with about one call (the base keeps those that
     * do). Types without tags have nothing to discover: the default reads nothing.
     */
    protected List<LiveResource> readStack(String stack) {
        return List.of();
    }

    /** The resources with these ids (from state), whatever their tags; ids that are gone are left out. */
    protected abstract List<LiveResource> readIds(Collection<String> ids);

    /** The resource an earlier, interrupted create made for {@code spec}, by address tag or unique name. */
    protected abstract Optional<LiveResource> find(String stack, ResourceSpec spec);

    protected abstract LiveResource createResource(ResourceSpec spec, OperationContext ctx);

    protected abstract LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                                   OperationContext ctx);

    /** Deletes and waits until gone; an error {@link #isGone} accepts counts as success. */
    protected abstract void deleteResource(LiveResource current, OperationContext ctx);

    /** Whether AWS said the resource does not exist. Services whose codes do not end in NotFound override this. */
    protected boolean isGone(AwsCallException e) {
        return e.isNotFound();
    }

    // ---- ResourceProvider ---------------------------------------------------------------------------

    @Override
    public final String type() {
        return entry.name();
    }

    @Override
    public final ResourceSchema schema() {
        return schema;
    }

    @Override
    public final Optional<ResourceType> entry() {
        return Optional.of(entry);
    }

    @Override
    public final boolean singleton() {
        return entry.has(Trait.SINGLETON);
    }

    /** Whether the type carries tags: then readAll lists the stack's by its tag ({@link #readStack}). */
    protected final boolean tagged() {
        return entry.has(Trait.TAGGED);
    }

    @Override
    public final List<LiveResource> readAll(ReadRequest request) {
        return wrap(type() + " (stack " + request.stack() + ")", () -> {
            Map<String, LiveResource> found = new LinkedHashMap<>();
            if (tagged()) {
                for (LiveResource r : readStack(request.stack())) {
                    if (request.stack().equals(tags(r).get(STACK_TAG))) {
                        found.putIfAbsent(r.id(), r);
                    }
                }
            }
            List<String> missing = request.ids().stream().filter(id -> !found.containsKey(id)).sorted().toList();
            if (!missing.isEmpty()) {
                for (LiveResource r : readIds(missing)) {
                    if (missing.contains(r.id())) {
                        found.putIfAbsent(r.id(), r);
                    }
                }
            }
            return List.copyOf(found.values());
        });
    }

    @Override
    public final Optional<LiveResource> findExisting(String stack, ResourceSpec spec) {
        return wrap(spec.address(), () -> find(stack, spec));
    }

    @Override
    public final LiveResource create(ResourceSpec spec, OperationContext ctx) {
        return wrap(spec.address(), () -> createResource(spec, ctx));
    }

    @Override
    public final LiveResource update(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
        return wrap(spec.address(), () -> updateResource(current, spec, changed, ctx));
    }

    @Override
    public final void delete(LiveResource current, OperationContext ctx) {
        String address = ctx.address() != null ? ctx.address() : current.address() != null ? current.address() : current.id();
        wrap(address, () -> {
            try {
                deleteResource(current, ctx);
            } catch (AwsCallException e) {
                if (!isGone(e)) {
                    throw e;
                }
            }
            return null;
        });
    }

    // ---- helpers for subclasses ---------------------------------------------------------------------

    /**
     * A live resource: {@code attributes}, plus (for tagged types) {@code tags} without AWS's own {@code aws:…}
     * keys, and the {@code infra:address} tag as its address.
     */
    protected final LiveResource live(String id, Map<String, String> tags, Map<String, Object> attributes) {
        Map<String, Object> a = new TreeMap<>(attributes);
        if (!tagged()) {
            return LiveResource.of(id, null, a);
        }
        Map<String, String> own = new TreeMap<>();
        tags.forEach((k, v) -> {
            if (k != null && !k.startsWith("aws:")) {
                own.put(k, v == null ? "" : v);
            }
        });
        a.put(TAGS, own);
        return LiveResource.of(id, own.get(ADDRESS_TAG), a);
    }

    /** Whether {@code r} carries this stack's and this address's tags: the only kind findExisting adopts. */
    protected static boolean isOurs(LiveResource r, String stack, String address) {
        Map<String, String> t = tags(r);
        return stack != null && stack.equals(t.get(STACK_TAG)) && address.equals(t.get(ADDRESS_TAG));
    }

    /** The {@code tags} attribute of a live resource (empty when absent). */
    @SuppressWarnings("unchecked")
    protected static Map<String, String> tags(LiveResource r) {
        Object t = r.attributes().get(TAGS);
        return t instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
    }

    /** A copy of {@code live} with {@code name} set to {@code value} when not null: for write-only attributes. */
    protected static LiveResource with(LiveResource live, String name, Object value) {
        if (value == null) {
            return live;
        }
        Map<String, Object> a = new TreeMap<>(live.attributes());
        a.put(name, value);
        return LiveResource.of(live.id(), live.address(), a);
    }

    /** Runs a call whose target may already be gone (detaching, disassociating): {@link #isGone} errors are ignored. */
    protected final void ignoreGone(Supplier<?> call) {
        try {
            call.get();
        } catch (AwsCallException e) {
            if (!isGone(e)) {
                throw e;
            }
        }
    }

    /**
     * Runs {@code call}, which adds a link (attaches, associates, authorizes, adds a route) through a client that
     * retries 5xx and lost answers: when AWS answers that the link exists already ({@link
     * AwsCallException#isAlreadyExists}), an earlier attempt whose answer was lost made it, which is success if
     * {@code holds} finds the link as asked; else AWS's answer stands (the link is another's).
     */
    protected static void addLink(Supplier<?> call, BooleanSupplier holds) {
        try {
            call.get();
        } catch (AwsCallException e) {
            if (!e.isAlreadyExists() || !holds.getAsBoolean()) {
                throw e;
            }
        }
    }

    /** Puts {@code value} unless it is null, so absent values stay absent rather than null. */
    protected static void putIfPresent(Map<String, Object> attributes, String name, Object value) {
        if (value != null) {
            attributes.put(name, value);
        }
    }

    /**
     * The attributes of {@code changed} that still differ between {@code spec} and {@code now} (AWS's resource read
     * again) as the planner compares them: for an update whose resource another operation may have changed since the
     * plan (a secondary follows its primary's change), so that what is done already is not asked again. Never more
     * than {@code changed}: see {@link ResourceProvider#update}.
     */
    protected final Set<String> differing(LiveResource now, ResourceSpec spec, Set<String> changed) {
        Set<String> out = changesOf(now, spec);
        out.retainAll(changed);
        return out;
    }

    /**
     * The {@code changed} of an update of {@code found}, an existing resource taken over outside the engine's plan (a
     * key pending deletion taken back): as the engine computes it when it adopts one, the updatable attributes of
     * {@code spec} that differ from {@code found}'s.
     */
    protected final Set<String> changesOf(LiveResource found, ResourceSpec spec) {
        Set<String> out = new java.util.TreeSet<>();
        dev.infra.core.plan.Planner.diff(schema, spec.attributes(), found.attributes()).stream()
                .filter(c -> !c.forcesReplacement()).forEach(c -> out.add(c.name()));
        return out;
    }

    /** The resource as AWS has it now (an update's read back); fails when it is gone. */
    protected final LiveResource readNow(ResourceSpec spec, String id, Function<String, Optional<LiveResource>> read) {
        return read.apply(id).orElseThrow(() -> new ProviderException(spec.address(), type() + " " + id + " no longer exists"));
    }

    /**
     * Brings {@code live}'s tags to the spec's with the service's calls when {@code changed} names {@code tags}: {@code
     * tag} gets the tags to add or change, {@code untag} the keys to remove (each called only when there is something
     * to do).
     */
    protected static void updateTags(LiveResource live, ResourceSpec spec, Set<String> changed,
                                     Consumer<Map<String, String>> tag, Consumer<List<String>> untag) {
        if (!changed.contains(TAGS)) {
            return;
        }
        TagChanges t = tagChanges(tags(live), spec.tags());
        if (!t.put().isEmpty()) {
            tag.accept(t.put());
        }
        if (!t.remove().isEmpty()) {
            untag.accept(t.remove());
        }
    }

    /**
     * For services whose list calls have no tag filter: the resources the Resource Groups Tagging API finds with
     * {@code resourceType} (e.g. {@code cloudwatch:alarm}, or a whole service, {@code sns}) and every tag in
     * {@code tags}, as ARN → all their tags, from one GetResources call (all its pages).
     */
    protected final Map<String, Map<String, String>> taggedResources(String resourceType, Map<String, String> tags) {
        List<TagFilter> filters = tags.entrySet().stream()
                .map(e -> TagFilter.builder().key(e.getKey()).values(e.getValue()).build())
                .toList();
        Map<String, Map<String, String>> out = new TreeMap<>();
        AwsCallException.call("GetResources", () -> clients.resourceGroupsTagging()
                .getResourcesPaginator(b -> b.resourceTypeFilters(resourceType).tagFilters(filters))
                .resourceTagMappingList().stream().toList())
                .forEach(m -> {
                    Map<String, String> t = new TreeMap<>();
                    m.tags().forEach(tag -> t.put(tag.key(), tag.value()));
                    out.put(m.resourceARN(), t);
                });
        return out;
    }

    /**
     * {@code found}, a resource looked up by its unique name, once {@link ProviderSupport#claim} accepts it for
     * {@code address} in {@code stack}: a resource of another address or stack fails, saying its name is taken.
     */
    protected static Optional<LiveResource> claimed(String address, String stack, String what,
                                                    Optional<LiveResource> found) {
        found.ifPresent(r -> ProviderSupport.claim(address, stack, what, tags(r)));
        return found;
    }

    /**
     * The resources {@code read} finds by id, one read each, concurrently ({@link ParallelReads}): for services
     * without a batch read.
     */
    protected static List<LiveResource> readEach(Collection<String> ids, Function<String, Optional<LiveResource>> read) {
        return ParallelReads.each(ids, read);
    }

    /**
     * {@code detail} of every item a listing gave, concurrently ({@link ParallelReads}), in the listing's order: the
     * per-resource reads after a list call (a bucket's configuration, a role's policies).
     */
    protected static <T> List<LiveResource> readDetails(Collection<T> listed, Function<T, Optional<LiveResource>> detail) {
        return ParallelReads.each(listed, detail);
    }

    /** The tags to add or change and the keys to remove to go from {@code current} to {@code desired}. */
    protected static TagChanges tagChanges(Map<String, String> current, Map<String, String> desired) {
        Map<String, String> put = new TreeMap<>();
        desired.forEach((k, v) -> {
            if (!Objects.equals(current.get(k), v)) {
                put.put(k, v);
            }
        });
        List<String> remove = current.keySet().stream()
                .filter(k -> !desired.containsKey(k) && !k.startsWith("aws:"))
                .sorted()
                .toList();
        return new TagChanges(put, remove);
    }

    /** See {@link #tagChanges}. */
    public record TagChanges(Map<String, String> put, List<String> remove) {
    }

    /** Polls {@code poll} for up to {@link #PROPAGATION_TIMEOUT}: a resource just created becoming readable, or one just deleted going. */
    protected static <T> T awaitPropagation(OperationContext ctx, String what, Supplier<Optional<T>> poll) {
        return ctx.await(what, PROPAGATION_TIMEOUT, PROPAGATION_INTERVAL, poll);
    }

    /** Waits until {@code read} finds nothing: what "delete waits until gone" means for most types. */
    protected static void awaitGone(OperationContext ctx, String what, Supplier<? extends Optional<?>> read) {
        awaitGone(ctx, what, PROPAGATION_TIMEOUT, PROPAGATION_INTERVAL, read);
    }

    /** {@link #awaitGone(OperationContext, String, Supplier)} for deletes that take longer (instances terminating). */
    protected static void awaitGone(OperationContext ctx, String what, Duration timeout, Duration interval,
                                    Supplier<? extends Optional<?>> read) {
        ctx.await(what + " to be gone", timeout, interval,
                () -> read.get().isEmpty() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    /**
     * Runs {@code call}, trying again every {@code interval} while it fails with an error {@code retry} accepts, for
     * up to {@code timeout}; a timeout reports AWS's last answer rather than only that time ran out.
     */
    protected static <T> T retrying(OperationContext ctx, String what, Duration timeout, Duration interval,
                                    Predicate<AwsCallException> retry, Supplier<T> call) {
        AtomicReference<AwsCallException> last = new AtomicReference<>();
        // What the call itself threw (not retried) passes as it is; anything else is the wait timing out.
        AtomicReference<RuntimeException> failed = new AtomicReference<>();
        try {
            return ctx.await(what, timeout, interval, () -> {
                try {
                    return Optional.of(call.get());
                } catch (AwsCallException e) {
                    if (!retry.test(e)) {
                        failed.set(e);
                        throw e;
                    }
                    last.set(e);
                    // The progress names AWS's refusal, unless the caller's words already do.
                    ctx.waitingFor(e.code() == null || what.contains(e.code()) ? what : what + " (" + e.code() + ")");
                    return Optional.empty();
                } catch (RuntimeException e) {
                    failed.set(e);
                    throw e;
                }
            });
        } catch (RuntimeException timedOut) {
            if (timedOut == failed.get()) {
                throw timedOut;
            }
            AwsCallException cause = last.get();
            if (cause == null) {
                throw timedOut;
            }
            ProviderException p = new ProviderException(ctx.address(),
                    "gave up after " + timeout.toSeconds() + " s: " + cause.getMessage(), cause);
            p.addSuppressed(timedOut);
            throw p;
        }
    }

    /** {@link #retrying} for {@link #PROPAGATION_TIMEOUT}: a call naming something just created elsewhere. */
    protected static <T> T whenPropagated(OperationContext ctx, String what, Predicate<AwsCallException> notYet,
                                          Supplier<T> call) {
        return retrying(ctx, what, PROPAGATION_TIMEOUT, PROPAGATION_INTERVAL, notYet, call);
    }

    /**
     * The create call, never repeated blindly. {@code create} must use a {@link AwsClients#forCreates} client, which
     * retries only what AWS did not run (throttling). After a failure after which the call may have run
     * ({@link AwsCallException#mayHaveRun}: a 5xx, no answer), it waits {@link #PROPAGATION_INTERVAL} for what the call
     * made to show, then {@code lookup} looks for it: what it finds is adopted; the call is made again only when
     * nothing is there, up to the settings' maxAttempts calls. When such a repeated call answers that the resource
     * already exists ({@link AwsCallException#isAlreadyExists}), the earlier one made it: {@code lookup} is asked until
     * it shows, for up to {@link #PROPAGATION_TIMEOUT}; what exists but {@code lookup} does not take (another stack's)
     * fails with AWS's answer. Failures {@code notYet} accepts (something the call names is not visible yet) are
     * retried for {@link #PROPAGATION_TIMEOUT}.
     */
    protected final <T> T createOnce(OperationContext ctx, String address, Supplier<T> create,
                                     Supplier<Optional<T>> lookup, Predicate<AwsCallException> notYet) {
        int maxAttempts = clients.settings().maxAttempts();
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<AwsCallException> mayHaveRun = new AtomicReference<>();
        AtomicBoolean sentBefore = new AtomicBoolean();
        Predicate<AwsCallException> retry = e -> e == mayHaveRun.get() || notYet.test(e);
        return retrying(ctx, "create of " + address, PROPAGATION_TIMEOUT, PROPAGATION_INTERVAL, retry, () -> {
            AwsCallException earlier = mayHaveRun.getAndSet(null);
            if (earlier != null) {
                Optional<T> made = lookup.get();
                if (made.isPresent()) {
                    return made.get();
                }
                if (attempts.get() >= maxAttempts) {
                    throw earlier;
                }
            }
            attempts.incrementAndGet();
            try {
                return create.get();
            } catch (AwsCallException e) {
                if (e.mayHaveRun()) {
                    mayHaveRun.set(e);
                    sentBefore.set(true);
                } else if (sentBefore.get() && e.isAlreadyExists()) {
                    return madeBefore(ctx, address, lookup, e);
                }
                throw e;
            }
        });
    }

    /** What an earlier, unanswered create made, once {@code lookup} shows it; fails with {@code exists} if it never does. */
    private static <T> T madeBefore(OperationContext ctx, String address, Supplier<Optional<T>> lookup,
                                    AwsCallException exists) {
        return whenPropagated(ctx, "what the unanswered create of " + address + " made", e -> e == exists,
                () -> lookup.get().orElseThrow(() -> exists));
    }

    /** Runs {@code body}, turning a failed AWS call into a {@link ProviderException} naming {@code address}. */
    protected static <T> T wrap(String address, Supplier<T> body) {
        try {
            return body.get();
        } catch (AwsCallException e) {
            throw e.toProviderException(address);
        }
    }
}
