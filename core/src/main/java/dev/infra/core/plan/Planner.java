package dev.infra.core.plan;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.graph.ResourceGraph;
import dev.infra.core.model.OtherRegions;
import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.model.Unknown;
import dev.infra.core.model.Values;
import dev.infra.core.provider.HeldData;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ProviderRegistry;
import dev.infra.core.provider.ReadRequest;
import dev.infra.core.provider.ResourceProvider;
import dev.infra.core.provider.ResourceSchema;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * Prior state + live reads + desired resources → {@link Plan}. Reads are batched: one
 * {@code readAll} per resource type, up to {@value #READ_THREADS} types at once (so added latency
 * costs about the slowest type's chain of calls, not the sum). Resources tagged with the stack that
 * neither the topology nor the state knows (left by a crash) are adopted when the topology wants
 * them and deleted otherwise, so nothing is orphaned.
 */
public final class Planner {

    /** About the number of types a stack uses: their listings all go at once; throttling is the providers' business. */
    private static final int READ_THREADS = 64;

    private final ProviderRegistry providers;
    private final OtherRegions others;

    public Planner(ProviderRegistry providers, OtherRegions others) {
        this.providers = providers;
        this.others = others;
    }

    /**
     * Plans the topology's resources; {@code desired} is empty for a destroy plan. Deletes of data {@code data} does
     * not give up are refused.
     */
    public Plan plan(ResourceGraph desired, State state, String topologyDigest, boolean destroy, DataOptIn data) {
        checkPrerequisites(destroy ? List.of() : desired.order().stream().map(desired::spec).toList(), state);
        Live live = readLive(state, destroy ? null : desired.specs().values().stream()
                .map(ResourceSpec::type).collect(Collectors.toSet()));
        Map<String, ResourceChange> changes = new LinkedHashMap<>();
        List<Drift> drift = new ArrayList<>();
        Set<String> claimed = new HashSet<>();
        // A state never written (serial 0, nothing in it): every tagged resource found is unknown to it.
        Adoption unrecorded = state.serial() == 0 && state.resources().isEmpty() ? Adoption.STATE_MISSING
                : Adoption.NOT_IN_STATE;
        List<Diagnostic> refused = new ArrayList<>();

        if (!destroy) {
            for (String address : desired.order()) {
                ResourceSpec spec = desired.spec(address);
                ResourceState prior = state.resources().get(address);
                LiveResource current = live.forAddress(spec.type(), address, prior);
                Adoption cause = unrecorded;
                ResourceProvider provider = providers.get(spec.type());
                Optional<Diagnostic> switched = switchedAdoption(spec, prior, provider);
                if (switched.isPresent()) {
                    refused.add(switched.get());
                    continue;
                }
                if (current == null && provider.singleton()) {
                    // The account's one per region: borrowed, or left to the stack that holds it.
                    current = provider.findExisting(state.stack(), spec).orElse(null);
                    cause = Adoption.BORROWED;
                } else if (current == null && prior == null && provider.adoptsNamed(spec)) {
                    try {
                        current = provider.findExisting(state.stack(), spec).orElse(null);
                    } catch (ProviderException e) {
                        // What the topology names is not there, or not what it says: at the line that names it.
                        String prefix = address + ": ";
                        String m = e.getMessage();
                        refused.add(Diagnostic.error(spec.origin(), address,
                                m.startsWith(prefix) ? m.substring(prefix.length()) : m));
                        continue;
                    }
                    cause = Adoption.NAMED;
                }
                if (current != null) {
                    claimed.add(Live.key(spec.type(), current.id()));
                }
                driftOf(spec.type(), prior, current).ifPresent(drift::add);
                changes.put(address, change(spec, prior, current, changes, live, cause));
                refused.addAll(refusals(spec, current, changes, live));
            }
        }
        if (!refused.isEmpty()) {
            throw new InvalidInputException(refused);
        }
        // What state or the stack's tags hold that the topology no longer wants: delete, dependents first.
        Map<String, ResourceChange> deletes = new TreeMap<>();
        for (ResourceState r : state.resources().values()) {
            if (changes.containsKey(r.address())) {
                continue;
            }
            LiveResource current = r.id() == null ? live.firstTagged(r.type(), r.address(), claimed)
                    : live.get(r.type(), r.id());
            if (destroy && current != null) {
                driftOf(r.type(), r, current).ifPresent(drift::add);
            }
            if (current == null && r.id() != null && destroy) {
                drift.add(new Drift(r.address(), r.type(), true, List.of()));
            }
            if (current != null) {
                claimed.add(Live.key(r.type(), current.id()));
            }
            Adoption found = r.id() == null && current != null ? Adoption.INTERRUPTED : null;
            // What the stack adopted by name is the user's: forgotten (out of the state, left in AWS), never deleted.
            boolean named = r.id() != null && providers.get(r.type()).named(r.attributes()).isPresent();
            deletes.put(r.address(), deletion(named ? Action.FORGET : Action.DELETE, r.address(), r.type(),
                    current == null ? r.id() : current.id(),
                    withRecorded(current == null ? Map.of() : current.attributes(), r), r.dependencies(),
                    destroy ? "destroy" : "no longer in the topology", named ? Adoption.NAMED : found));
        }
        Set<String> leftovers = new HashSet<>();
        for (LiveResource orphan : live.all) {
            String orphanType = live.typeOf.get(orphan);
            if (!claimed.contains(Live.key(orphanType, orphan.id())) && orphan.address() != null) {
                boolean duplicate = deletes.containsKey(orphan.address()) || changes.containsKey(orphan.address());
                String address = orphan.address() + (duplicate ? " (duplicate " + orphan.id() + ")" : "");
                leftovers.add(address);
                deletes.put(address, deletion(Action.DELETE, address, orphanType, orphan.id(), orphan.attributes(), List.of(),
                        duplicate ? "a second resource tagged with this address; the state or the topology has the first"
                                : "tagged with this stack but not in the state (" + unrecorded.cause() + ")"
                                + (destroy ? "" : ", and no longer in the topology"),
                        unrecorded));
            }
        }
        orderLeftovers(deletes, leftovers).values().stream()
                .sorted(Comparator.comparing(ResourceChange::address))
                .forEach(d -> changes.put(d.address(), d));
        guardDeletes(changes, data);
        return new Plan(Plan.FORMAT_VERSION, state.stack(), state.region(), destroy, topologyDigest,
                state.lineage(), state.serial(), List.copyOf(changes.values()), drift);
    }

    /**
     * A type whose provider lacks a program it runs ({@link ResourceProvider#prerequisite}: Helm) fails the plan before
     * anything is read or changed: one error per type, at the first resource of it the topology (else the state) has.
     */
    private void checkPrerequisites(List<ResourceSpec> desired, State state) {
        Map<String, Diagnostic> missing = new TreeMap<>();
        desired.forEach(spec -> providers.get(spec.type()).prerequisite().ifPresent(reason ->
                missing.putIfAbsent(spec.type(), Diagnostic.error(spec.origin(), spec.address(), reason))));
        state.resources().values().stream().filter(r -> r.id() != null).forEach(r ->
                providers.get(r.type()).prerequisite().ifPresent(reason -> missing.putIfAbsent(r.type(), refusal(r.address(), reason))));
        if (!missing.isEmpty()) {
            throw new InvalidInputException(List.copyOf(missing.values()));
        }
    }

    /**
     * Leftovers (found by tag, unknown to state) carry no recorded dependencies. One whose attributes
     * name another leftover's id (a duplicate subnet's vpcId) depends on it, so it is deleted first.
     */
    private static Map<String, ResourceChange> orderLeftovers(Map<String, ResourceChange> deletes, Set<String> leftovers) {
        Map<String, String> addressById = new HashMap<>();
        deletes.values().forEach(d -> {
            if (d.id() != null) {
                addressById.put(d.id(), d.address());
            }
        });
        Map<String, ResourceChange> out = new TreeMap<>();
        deletes.forEach((address, d) -> {
            if (!leftovers.contains(address)) {
                out.put(address, d);
                return;
            }
            Set<String> deps = new TreeSet<>();
            collectIds(d.prior(), addressById, deps);
            deps.remove(address);
            // Two leftovers naming each other would make a cycle: neither then goes first (the deletes retry).
            deps.removeIf(other -> {
                Set<String> back = new TreeSet<>();
                collectIds(deletes.get(other).prior(), addressById, back);
                return leftovers.contains(other) && back.contains(address);
            });
            out.put(address, new ResourceChange(d.address(), d.type(), d.action(), d.id(), d.desired(), d.prior(),
                    d.changes(), d.dependencies(), List.copyOf(deps), d.reason(), d.adoption(), d.dataLoss()));
        });
        return out;
    }

    private static void collectIds(Object value, Map<String, String> addressById, Set<String> out) {
        if (value instanceof String s && addressById.containsKey(s)) {
            out.add(addressById.get(s));
        } else if (value instanceof Map<?, ?> m) {
            m.values().forEach(v -> collectIds(v, addressById, out));
        } else if (value instanceof List<?> l) {
            l.forEach(v -> collectIds(v, addressById, out));
        }
    }

    /**
     * What AWS would refuse of a planned update or replacement ({@link ResourceProvider#refusals}), as errors at the
     * spec's origin: the plan fails with all of them before anything changes.
     */
    private List<Diagnostic> refusals(ResourceSpec spec, LiveResource current, Map<String, ResourceChange> planned,
                                      Live live) {
        Action action = planned.get(spec.address()).action();
        if (action != Action.UPDATE && action != Action.REPLACE) {
            return List.of();
        }
        Map<String, Object> desired = Values.resolve(spec.attributes(), ref -> resolveAtPlan(ref, planned, live));
        return providers.get(spec.type()).refusals(current, desired).stream()
                .map(reason -> Diagnostic.error(spec.origin(), spec.address(), reason)).toList();
    }

    /**
     * Deleting what AWS protects would fail halfway through, and deleting data the user did not give up loses it: the
     * plan fails instead, before anything changes, naming each one. A delete that goes ahead notes the data it takes
     * and carries {@link HeldData#FORCE_DESTROY}, so that its provider empties the resource first.
     */
    private void guardDeletes(Map<String, ResourceChange> changes, DataOptIn data) {
        List<Diagnostic> refused = new ArrayList<>();
        changes.replaceAll((address, c) -> {
            if (c.action() != Action.DELETE && c.action() != Action.REPLACE || c.type() == null || c.id() == null) {
                return c;
            }
            ResourceProvider provider = providers.get(c.type());
            String verb = c.action() == Action.DELETE ? "deleted" : "replaced";
            if (provider.schema().protectsFromDeletion(c.prior())) {
                String attribute = provider.schema().deletionProtection();
                refused.add(refusal(address, "deletion protection is on (" + attribute + "), so it cannot be " + verb
                        + "; set " + attribute + ": false and apply first"));
                return c;
            }
            Map<String, Object> prior = data.prior(c);
            Optional<HeldData> held = provider.heldData(LiveResource.of(c.id(), address, prior));
            if (held.isPresent() && !data.allows(prior, held.get())) {
                HeldData h = held.get();
                refused.add(refusal(address, "holds " + h.summary() + ", which would go if it were " + verb + "; "
                        + (h.guard() == HeldData.Guard.KEPT_UNLESS_OWN
                        ? "audit logs go only when the resource itself says " + HeldData.FORCE_DESTROY
                                + ": true in the topology (--force-delete-data does not cover them)"
                        : "infra deletes no data unless told to: set " + HeldData.FORCE_DESTROY
                                + ": true on it in the topology, or pass --force-delete-data")));
                return c;
            }
            if (held.isPresent() && held.get().kept()) {
                prior = new TreeMap<>(prior);
                prior.put(HeldData.FORCE_DESTROY, true);
            }
            return c.deleting(prior, held.map(HeldData::summary).orElse(null));
        });
        if (!refused.isEmpty()) {
            throw new InvalidInputException(refused);
        }
    }

    private static Diagnostic refusal(String address, String message) {
        return Diagnostic.error(SourceLocation.wholeFile(address), "", message);
    }

    /**
     * What a delete needs to know: the live attributes, plus what only state holds (write-only
     * attributes such as a key's deletion window, which AWS does not report back).
     */
    private static Map<String, Object> withRecorded(Map<String, Object> live, ResourceState recorded) {
        Map<String, Object> merged = new LinkedHashMap<>(recorded == null ? Map.of() : recorded.attributes());
        merged.putAll(live);
        return merged;
    }

    /** A resource the topology does not want: {@code action} is a delete, or a forget of one adopted by name. */
    private static ResourceChange deletion(Action action, String address, String type, String id,
                                           Map<String, Object> prior, List<String> priorDeps, String reason,
                                           Adoption adoption) {
        return new ResourceChange(address, type, action, id, Map.of(), prior, List.of(), List.of(),
                priorDeps, reason, adoption, null);
    }

    /**
     * A resource stays what the state records the stack adopted by name, or made: a spec naming another one (or none,
     * or one where the stack made its own) is refused at its YAML origin rather than switched in place, because what
     * the stack made in it (a zone's records) would move while what names it outside infra (a parent domain's
     * delegation) would not. The two applies it takes are the user's to make, knowingly.
     */
    private static Optional<Diagnostic> switchedAdoption(ResourceSpec spec, ResourceState prior,
                                                         ResourceProvider provider) {
        if (prior == null || prior.id() == null) {
            return Optional.empty();
        }
        String was = provider.named(prior.attributes()).orElse(null);
        String now = provider.named(spec.attributes()).orElse(null);
        if (Objects.equals(was, now)) {
            return Optional.empty();
        }
        String message = was == null
                ? "names " + now + " to adopt, but the stack made its own (" + prior.id() + "), which the state records;"
                + " infra does not switch it in place: name none, or drop it from the topology and apply (infra"
                + " deletes " + prior.id() + "), then name " + now
                : now == null
                ? "no longer names " + was + ", which the stack adopted: infra would hold it as its own; name " + was
                + " again, or drop it from the topology and apply (" + was + " is left in place, forgotten) first"
                : "names " + now + " to adopt, but the stack adopted " + was + " (the state records it); infra does"
                + " not switch adoptions in place (what the stack made in " + was + " would move to " + now + ", what"
                + " names " + was + " outside infra would not): name " + was + " again, or drop it from the topology"
                + " and apply (" + was + " is left in place, forgotten), then name " + now;
        return Optional.of(Diagnostic.error(spec.origin(), spec.address(), message));
    }

    private ResourceChange change(ResourceSpec spec, ResourceState prior, LiveResource current,
                                  Map<String, ResourceChange> planned, Live live, Adoption unrecorded) {
        List<String> deps = List.copyOf(spec.dependencies());
        List<String> priorDeps = prior == null ? List.of() : prior.dependencies();
        if (current == null) {
            String reason = prior != null && prior.id() != null ? "deleted outside infra; will be created again"
                    : prior != null ? "creation was interrupted; no resource found, creating" : "new resource";
            return new ResourceChange(spec.address(), spec.type(), Action.CREATE, null, spec.attributes(),
                    Map.of(), List.of(), deps, priorDeps, reason, null, null);
        }
        if (current.attributes().get(LiveResource.HELD_BY) instanceof String holder) {
            return new ResourceChange(spec.address(), spec.type(), Action.NO_OP, null, spec.attributes(),
                    current.attributes(), List.of(), deps, priorDeps, "held by stack " + holder
                    + " (the account has one per region): left as it is", null, null);
        }
        ResourceSchema schema = providers.get(spec.type()).schema();
        Map<String, Object> resolved = Values.resolve(spec.attributes(), ref -> resolveAtPlan(ref, planned, live));
        List<AttributeChange> diffs = diff(schema, resolved, current.attributes());
        boolean replace = diffs.stream().anyMatch(AttributeChange::forcesReplacement);
        Action action = replace ? Action.REPLACE : diffs.isEmpty() ? Action.NO_OP : Action.UPDATE;
        String reason = switch (action) {
            case REPLACE -> "forces replacement: " + diffs.stream().filter(AttributeChange::forcesReplacement)
                    .map(AttributeChange::name).collect(Collectors.joining(", "));
            case UPDATE -> "update in place";
            default -> "up to date";
        };
        Adoption adoption = prior == null ? unrecorded : prior.id() == null ? Adoption.INTERRUPTED : null;
        if (adoption != null) {
            String found = adoption == Adoption.NAMED ? "" : ", found by its infra:address tag";
            reason = "adopting " + current.id() + found + " (" + adoption.cause() + "); " + reason;
        }
        return new ResourceChange(spec.address(), spec.type(), action, current.id(), spec.attributes(),
                withRecorded(current.attributes(), prior), diffs, deps, priorDeps, reason, adoption, null);
    }

    /**
     * At plan time a ref to a resource being created or replaced is unknown until apply, and so is a
     * computed attribute an update changes (a launch template's new version).
     */
    private Object resolveAtPlan(Ref ref, Map<String, ResourceChange> planned, Live live) {
        if (!ref.local()) {
            return others.atPlan(ref);
        }
        ResourceChange dep = planned.get(ref.address());
        if (dep == null || dep.action() == Action.CREATE || dep.action() == Action.REPLACE) {
            return Unknown.VALUE;
        }
        if (ref.attribute().equals("id")) {
            return dep.id();
        }
        if (dep.action() == Action.UPDATE && providers.get(dep.type()).schema().recomputedOnUpdate().contains(ref.attribute())) {
            return Unknown.VALUE;
        }
        LiveResource l = live.get(dep.type(), dep.id());
        return l == null ? Unknown.VALUE : l.attributes().get(ref.attribute());
    }

    /** Attribute-level differences between what the topology wants and what AWS holds. */
    public static List<AttributeChange> diff(ResourceSchema schema, Map<String, Object> desired, Map<String, Object> actual) {
        List<AttributeChange> out = new ArrayList<>();
        desired.forEach((name, want) -> {
            if (!schema.diffed(name)) {
                return;
            }
            Object have = actual.get(name);
            boolean unordered = schema.unordered().contains(name);
            if (Values.containsUnknown(want) || !Values.same(normal(want, unordered), normal(have, unordered))) {
                out.add(new AttributeChange(name, have, want, schema.forcesReplacement(name)));
            }
        });
        schema.absentMeansNone().stream().sorted()
                .filter(name -> !desired.containsKey(name) && actual.get(name) != null)
                .forEach(name -> out.add(new AttributeChange(name, actual.get(name), null, schema.forcesReplacement(name))));
        return out;
    }

    private static Object normal(Object value, boolean unordered) {
        if (unordered && value instanceof List<?> l) {
            return l.stream().map(String::valueOf).sorted().toList();
        }
        return value;
    }

    private java.util.Optional<Drift> driftOf(String type, ResourceState prior, LiveResource current) {
        if (prior == null || prior.id() == null) {
            return java.util.Optional.empty();
        }
        if (current == null) {
            return java.util.Optional.of(new Drift(prior.address(), type, true, List.of()));
        }
        // What changed outside infra reads from the record to what AWS holds now (the plan's fix goes the other way).
        List<AttributeChange> changed = diff(providers.get(type).schema(), prior.attributes(), current.attributes()).stream()
                .map(a -> new AttributeChange(a.name(), a.after(), a.before(), a.forcesReplacement())).toList();
        return changed.isEmpty() ? java.util.Optional.empty()
                : java.util.Optional.of(new Drift(prior.address(), type, false, changed));
    }

    /**
     * Reads the types the topology or the state has ({@code types} plus the state's); a destroy
     * ({@code types} null) reads every type, so nothing tagged with the stack is left behind.
     */
    private Live readLive(State state, Set<String> types) {
        Map<String, Set<String>> idsByType = new TreeMap<>();
        state.resources().values().forEach(r -> {
            Set<String> ids = idsByType.computeIfAbsent(r.type(), t -> new TreeSet<>());
            if (r.id() != null) {
                ids.add(r.id());
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(READ_THREADS);
        try {
            Map<String, CompletableFuture<List<LiveResource>>> reads = new TreeMap<>();
            for (ResourceProvider p : providers.all()) {
                if (types != null && !types.contains(p.type()) && !idsByType.containsKey(p.type())) {
                    continue;
                }
                ReadRequest req = ReadRequest.of(state.stack(), idsByType.getOrDefault(p.type(), Set.of()));
                reads.put(p.type(), CompletableFuture.supplyAsync(() -> p.readAll(req), pool));
            }
            Live live = new Live();
            // Another region's S3 buckets, IAM roles and Route 53 zones show in this region's listings too.
            reads.forEach((type, f) -> live.add(type, f.join().stream()
                    .filter(r -> !r.ownedByOtherRegion(state.region())).toList()));
            return live;
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : e;
        } finally {
            pool.shutdown();
        }
    }

    /** Everything read, indexed by type and id (names double as ids across types: a role, a profile) and by address tag. */
    private static final class Live {
        final List<LiveResource> all = new ArrayList<>();
        final Map<String, LiveResource> byKey = new HashMap<>();
        final Map<LiveResource, String> typeOf = new java.util.IdentityHashMap<>();
        final Map<String, List<LiveResource>> byAddress = new HashMap<>();

        static String key(String type, String id) {
            return type + "\u0000" + id;
        }

        LiveResource get(String type, String id) {
            return byKey.get(key(type, id));
        }

        void add(String type, List<LiveResource> resources) {
            for (LiveResource r : resources) {
                if (byKey.putIfAbsent(key(type, r.id()), r) == null) {
                    all.add(r);
                    typeOf.put(r, type);
                    if (r.address() != null) {
                        byAddress.computeIfAbsent(key(type, r.address()), a -> new ArrayList<>()).add(r);
                    }
                }
            }
            all.sort(Comparator.comparing((LiveResource r) -> Objects.toString(r.address(), ""))
                    .thenComparing(LiveResource::id));
        }

        /** The resource state names, else one of the type carrying the address tag (adoption). */
        LiveResource forAddress(String type, String address, ResourceState prior) {
            if (prior != null && prior.id() != null) {
                LiveResource known = get(type, prior.id());
                if (known != null) {
                    return known;
                }
            }
            return firstTagged(type, address, Set.of());
        }

        LiveResource firstTagged(String type, String address, Set<String> claimed) {
            return byAddress.getOrDefault(key(type, address), List.of()).stream()
                    .filter(r -> !claimed.contains(key(type, r.id())))
                    .min(Comparator.comparing(LiveResource::id)).orElse(null);
        }
    }
}
