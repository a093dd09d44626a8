package dev.infra.core.stack;

import dev.infra.core.apply.ApplyResult;
import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.model.OtherRegions;
import dev.infra.core.plan.Plan;
import dev.infra.core.state.State;
import dev.infra.core.state.StateBackend;
import dev.infra.core.topology.Cidrs;
import dev.infra.core.topology.Regions;
import dev.infra.core.topology.Topology;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The workflow the commands share, across the stack's regions: the primary (the file's region, or a copy made with
 * {@code --region}) and the replicas its state lists. Plans cover every region involved, grouped by region, and are
 * confirmed once; applies go primary first (replicas link to what it holds), destroys replicas first (a primary
 * table or key cannot go while replicas hang on it). Each region's lock is held from plan to apply.
 */
public final class StackEngine {

    private final Function<String, Engine> factory;
    private final Map<String, Engine> engines = new LinkedHashMap<>();

    private StackEngine(Function<String, Engine> factory) {
        this.factory = factory;
    }

    /** @param engines the engine of a region (its providers, state backend and zones) */
    public static StackEngine create(Function<String, Engine> engines) {
        return new StackEngine(engines);
    }

    /** One region's part of a stack plan. */
    public record RegionPlan(String region, Topology topology, Plan plan) {
        public boolean replica() {
            return topology.replica();
        }
    }

    /** The plans of every region involved; {@code rewrite} only for {@code replicate}. */
    public record StackPlan(List<RegionPlan> regions, Rewrite rewrite) {
        public boolean hasChanges() {
            return regions.stream().anyMatch(r -> r.plan().hasChanges());
        }

        /** The single region's plan (a saved plan is one region's). */
        public Plan only() {
            if (regions.size() != 1) {
                throw new IllegalStateException("a plan of " + regions.size() + " regions");
            }
            return regions.get(0).plan();
        }
    }

    /** What a plan-and-apply did: the plans shown, and each region's result (none when the plan was declined). */
    public record Outcome(StackPlan plan, Map<String, ApplyResult> results) {
        public boolean ok() {
            return results.values().stream().allMatch(ApplyResult::ok);
        }

        /** Whether changes were carried out (false for a plan without changes, or a declined one). */
        public boolean applied() {
            return plan.hasChanges() && !results.isEmpty();
        }

        /** The result of a single-region outcome. */
        public ApplyResult result() {
            if (results.size() != 1) {
                throw new IllegalStateException("results of " + results.size() + " regions");
            }
            return results.values().iterator().next();
        }
    }

    /** A region to plan: its topology as planned there (placement included). */
    private record Target(String region, Topology topology) {}

    /**
     * Plans the regions in scope: {@code only} one region, or (null) the file's primary and its replicas; deletes may
     * take data along only with {@code forceDeleteData} (or the topology's {@code forceDestroy}).
     */
    public StackPlan plan(Topology t, String only, boolean destroy, boolean forceDeleteData) {
        return planTargets(targets(t, only, destroy), destroy, null, forceDeleteData);
    }

    /**
     * Plans the regions in scope under their locks and, when {@code confirm} accepts the plans, applies them: the
     * primary first, or for a destroy the replicas first. Destroying a replica also takes it off its primary's list.
     */
    public Outcome apply(Topology t, String only, boolean destroy, Predicate<StackPlan> confirm, Engine.ApplyOptions options) {
        List<Target> targets = targets(t, only, destroy);
        try (Locks ignored = lock(targets, destroy ? "destroy" : "apply")) {
            StackPlan plan = planTargets(targets, destroy, null, options.forceDeleteData());
            if (!proceed(plan, confirm, options)) {
                return new Outcome(plan, Map.of());
            }
            return runAndUnlink(targets, plan, destroy, options);
        }
    }

    /**
     * Applies plans saved by {@code plan -o}: one region's (that region, or {@code only}), or every region's of the
     * stack. Refused when the stack's regions, a region's state or the topology changed since.
     */
    public Outcome applySaved(List<Plan> plans, Topology t, String only, String planFile, Engine.ApplyOptions options) {
        boolean destroy = plans.get(0).destroy();
        if (plans.size() > 1 && only != null) {
            throw invalidPlan(planFile, "holds the plans of " + plans.size() + " regions: apply it without --region");
        }
        List<Target> targets = targets(t, plans.size() == 1 ? (only != null ? only : plans.get(0).region()) : null, destroy);
        List<String> planned = plans.stream().map(Plan::region).sorted().toList();
        List<String> now = targets.stream().map(Target::region).sorted().toList();
        if (plans.size() > 1 && !planned.equals(now)) {
            throw invalidPlan(planFile, "is stale: it was made for " + String.join(", ", planned) + " but the stack now"
                    + " spans " + String.join(", ", now) + "; make a new plan");
        }
        try (Locks ignored = lock(targets, "apply")) {
            List<RegionPlan> regions = new ArrayList<>();
            for (Plan plan : plans) {
                // One region's plan is checked against the region asked for (checkSaved names a mismatch).
                Target target = plans.size() == 1 ? targets.get(0)
                        : targets.stream().filter(x -> x.region().equals(plan.region())).findFirst().orElseThrow();
                engine(target.region()).checkSaved(plan, target.topology(), planFile);
                regions.add(new RegionPlan(target.region(), target.topology(), plan));
            }
            return runAndUnlink(targets, new StackPlan(regions, null), destroy, options);
        }
    }

    /** Runs the plans in order; after a whole destroy of replicas, they leave their primary's list. */
    private Outcome runAndUnlink(List<Target> targets, StackPlan plan, boolean destroy, Engine.ApplyOptions options) {
        Outcome outcome = run(plan, destroy, options);
        if (destroy && outcome.ok()) {
            targets.stream().filter(x -> x.topology().replica()).forEach(x -> unlink(x.topology()));
        }
        return outcome;
    }

    /**
     * Makes {@code to} a replica of {@code from} (null: the file's region): chooses its VPC block and zones (kept in
     * the primary's state from then on), plans both regions with the rewrite table, and on confirmation records the
     * replica and applies the primary, then the replica.
     */
    public Outcome replicate(Topology t, String to, String from, Predicate<StackPlan> confirm, Engine.ApplyOptions options) {
        String primary = from == null ? t.fileRegion() : from;
        if (to.equals(primary)) {
            throw invalid(t, to + " is the primary region itself: replicate to another region");
        }
        try (Locks ignored = lockRegions(List.of(primary, to), "replicate")) {
            Topology pt = placed(t, primary);
            State ps = engine(primary).state(pt);
            if (ps.primary() != null) {
                throw invalid(t, primary + " is itself a replica of " + ps.primary() + ": replicate from "
                        + ps.primary() + " (--from " + ps.primary() + ")");
            }
            State rs = engine(to).state(t.inRegion(to));
            if (rs.primary() != null && !rs.primary().equals(primary)) {
                throw invalid(t, to + " is already a replica of " + rs.primary());
            }
            if (rs.primary() == null && !rs.resources().isEmpty()) {
                throw invalid(t, to + " holds an independent copy of the stack (" + rs.resources().size()
                        + " resources): destroy it first (infra destroy --region " + to + ")");
            }
            State.Replica replica = ps.replicas().stream().filter(r -> r.region().equals(to)).findFirst()
                    .orElseGet(() -> newReplica(pt, to, ps.replicas()));
            List<State.Replica> all = new ArrayList<>(ps.replicas());
            all.removeIf(r -> r.region().equals(to));
            all.add(replica);
            List<String> regions = all.stream().map(State.Replica::region).toList();
            Target p = new Target(primary, pt.withReplicas(regions).named(ps.nameSuffix()));
            Target r = replicaTarget(p.topology(), all, replica);
            Rewrite rewrite = Rewrite.of(Engine.graph(p.topology()).specs().values(),
                    Engine.graph(r.topology()).specs().values(), p.topology(), r.topology());
            StackPlan plan = planTargets(List.of(p, r), false, rewrite, options.forceDeleteData());
            if (!proceed(plan, confirm, options)) {
                return new Outcome(plan, Map.of());
            }
            engine(primary).record(p.topology(), s -> s.withReplica(replica));
            engine(to).record(r.topology(), s -> s.replicating(primary));
            return run(plan, false, options);
        }
    }

    /** Whether to carry out {@code plan}: nothing to confirm, or confirmed; not once cancelled (Ctrl-C while planning). */
    private static boolean proceed(StackPlan plan, Predicate<StackPlan> confirm, Engine.ApplyOptions options) {
        return !plan.hasChanges() || !options.cancellation().requested() && confirm.test(plan);
    }

    private StackPlan planTargets(List<Target> targets, boolean destroy, Rewrite rewrite, boolean forceDeleteData) {
        List<RegionPlan> plans = new ArrayList<>();
        Map<String, Plan> byRegion = new LinkedHashMap<>();
        for (Target x : targets) {
            Plan plan = engine(x.region()).plan(x.topology(), destroy, others(x, byRegion), forceDeleteData);
            byRegion.put(x.region(), plan);
            plans.add(new RegionPlan(x.region(), x.topology(), plan));
        }
        if (destroy) {
            Collections.reverse(plans);
        }
        return new StackPlan(plans, rewrite);
    }

    private Outcome run(StackPlan plan, boolean destroy, Engine.ApplyOptions options) {
        Map<String, ApplyResult> results = new LinkedHashMap<>();
        Map<String, Plan> byRegion = new LinkedHashMap<>();
        plan.regions().forEach(r -> byRegion.put(r.region(), r.plan()));
        for (RegionPlan r : plan.regions()) {
            // Interrupted is not failed: the next region's walk, cancelled too, reports its operations as not started.
            Optional<String> failed = results.entrySet().stream()
                    .filter(e -> e.getValue() != null && !e.getValue().failures().isEmpty())
                    .map(Map.Entry::getKey).findFirst();
            if (failed.isPresent()) {
                // A replica needs its primary whole; a primary cannot go while a replica still links to it.
                results.put(r.region(), ApplyResult.notRun(r.plan().changes().stream()
                        .filter(c -> c.action() != dev.infra.core.plan.Action.NO_OP).map(c -> c.address()).toList(),
                        r.region() + " was not applied: " + failed.get() + " failed first"));
                continue;
            }
            Engine engine = engine(r.region());
            Target target = new Target(r.region(), r.topology());
            results.put(r.region(), engine.apply(r.plan(), engine.state(r.topology()), options, others(target, null)));
        }
        return new Outcome(plan, results);
    }

    /** How a region resolves refs to its primary: from the primary's plan in this run, or its state alone. */
    private OtherRegions others(Target target, Map<String, Plan> planned) {
        if (!target.topology().replica()) {
            return OtherRegions.NONE;
        }
        String primary = target.topology().placement().primary();
        Topology pt = target.topology().inRegion(primary);
        Engine engine = engine(primary);
        return new PrimaryValues(primary, planned == null ? null : planned.get(primary), engine.state(pt),
                () -> engine.state(pt));
    }

    /** The regions in scope, the primary first. */
    private List<Target> targets(Topology t, String only, boolean destroy) {
        if (only == null) {
            State ps = engine(t.region()).state(t);
            if (ps.primary() != null) {
                throw invalid(t, "the state of " + t.region() + " says it is a replica of " + ps.primary()
                        + ": plan it with --region " + t.region());
            }
            List<Target> out = new ArrayList<>();
            Topology primary = t.withReplicas(regions(ps.replicas())).named(ps.nameSuffix());
            out.add(new Target(t.region(), primary));
            ps.replicas().forEach(r -> out.add(replicaTarget(primary, ps.replicas(), r)));
            return out;
        }
        Topology copy = placed(t, only);
        State s = engine(only).state(copy);
        if (s.primary() == null) {
            if (destroy && !s.replicas().isEmpty()) {
                throw invalid(t, only + " has replicas (" + String.join(", ", regions(s.replicas()))
                        + "): destroy them first with --region, or destroy the whole stack without --region");
            }
            return List.of(new Target(only, copy.withReplicas(regions(s.replicas())).named(s.nameSuffix())));
        }
        Topology pt = placed(t, s.primary());
        State ps = engine(s.primary()).state(pt);
        State.Replica record = ps.replicas().stream().filter(r -> r.region().equals(only)).findFirst()
                .orElseThrow(() -> invalid(t, "the state of " + only + " says it replicates " + s.primary()
                        + ", but " + s.primary() + "'s state does not list it: run infra replicate --to " + only));
        return List.of(replicaTarget(pt.named(ps.nameSuffix()), ps.replicas(), record));
    }

    /**
     * A replica as its primary's state records it; the topology's {@code regions.R} settings, when given, win. Its
     * names end with the primary's suffix ({@code primary} is named), so the primary can name the replica's buckets.
     */
    private static Target replicaTarget(Topology primary, List<State.Replica> all, State.Replica r) {
        Regions.Settings s = primary.regions().get(r.region());
        String cidr = s != null && s.cidr() != null ? s.cidr() : r.cidr();
        List<String> zones = s != null && s.zones() != null ? s.zones() : r.zones();
        return new Target(r.region(), primary.asReplica(r.region(), cidr, zones, regions(all)));
    }

    private static List<String> regions(List<State.Replica> replicas) {
        return replicas.stream().map(State.Replica::region).toList();
    }

    /**
     * A new replica's network: the topology's {@code regions.R} settings, else a VPC block overlapping no other
     * region's (so the regions can be peered later) and the primary's zone letters where R has them all, else R's
     * first zones.
     */
    private State.Replica newReplica(Topology pt, String to, List<State.Replica> existing) {
        if (pt.network() == null) {
            return new State.Replica(to, null, List.of());
        }
        Regions.Settings settings = pt.regions().get(to);
        String cidr = settings != null && settings.cidr() != null ? settings.cidr() : null;
        if (cidr == null) {
            List<String> taken = new ArrayList<>();
            taken.add(pt.network().cidr());
            existing.forEach(r -> taken.add(r.cidr()));
            pt.regions().values().stream().filter(s -> s.cidr() != null && !s.region().equals(to)).forEach(s -> taken.add(s.cidr()));
            cidr = Cidrs.firstFree(pt.network().cidr(), taken).orElseThrow(() -> invalid(pt, "no free block like "
                    + pt.network().cidr() + " is left for " + to + ": give one in regions." + to + ".network.cidr"));
        }
        return new State.Replica(to, cidr, zonesIn(pt, to));
    }

    /** The topology in {@code region}: the file's own, or a copy there (its zones looked up in that region). */
    private Topology placed(Topology t, String region) {
        return region.equals(t.fileRegion()) ? t : t.inRegion(region, zonesIn(t, region));
    }

    /**
     * The network's zones in {@code region}: {@code regions.R.network.zones}, else the same letters when the region has
     * them all, else its first zones (mapped by position).
     */
    private List<String> zonesIn(Topology t, String region) {
        Regions.Settings settings = t.regions().get(region);
        if (settings != null && settings.zones() != null) {
            return settings.zones();
        }
        if (t.network() == null) {
            return null;
        }
        List<String> available = engine(region).availabilityZones().stream()
                .map(z -> z.substring(region.length())).sorted().toList();
        List<String> wanted = t.network().zones();
        if (available.containsAll(wanted)) {
            return wanted;
        }
        if (available.size() < wanted.size()) {
            throw InvalidInputException.of(Diagnostic.error(t.network().at(), "network.zones", "the network spans "
                    + wanted.size() + " zones but " + region + " has " + available.size() + " (" + String.join(", ", available)
                    + "): give regions." + region + ".network.zones, or fewer zones"));
        }
        return available.subList(0, wanted.size());
    }

    /** After a replica's destroy: off its primary's list, and its (empty) state no longer a replica's. */
    private void unlink(Topology replica) {
        String primary = replica.placement().primary();
        engine(primary).record(replica.inRegion(primary), s -> s.withoutReplica(replica.region()));
        engine(replica.region()).record(replica, s -> s.replicating(null));
    }

    private Engine engine(String region) {
        return engines.computeIfAbsent(region, factory);
    }

    /** The targets' locks, and their primaries' (a replica's link changes what the primary's state records). */
    private Locks lock(List<Target> targets, String operation) {
        List<String> regions = new ArrayList<>();
        targets.stream().filter(x -> x.topology().replica()).map(x -> x.topology().placement().primary()).forEach(regions::add);
        targets.forEach(x -> regions.add(x.region()));
        return lockRegions(regions, operation);
    }

    private Locks lockRegions(List<String> regions, String operation) {
        Locks locks = new Locks();
        try {
            regions.stream().distinct().forEach(r -> locks.held.add(engine(r).lock(operation)));
            return locks;
        } catch (RuntimeException e) {
            locks.close();
            throw e;
        }
    }

    /** The locks of several regions, taken in one order (primary first) and released together. */
    private static final class Locks implements AutoCloseable {
        final List<StateBackend.Lock> held = new ArrayList<>();

        @Override
        public void close() {
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).close();
            }
        }
    }

    private static InvalidInputException invalidPlan(String planFile, String message) {
        return InvalidInputException.of(Diagnostic.error(SourceLocation.wholeFile(planFile), "", message));
    }

    private static InvalidInputException invalid(Topology t, String message) {
        return InvalidInputException.of(Diagnostic.error(SourceLocation.wholeFile(t.file()), "", message));
    }
}
