package dev.infra.core.stack;

import dev.infra.core.apply.ApplyResult;
import dev.infra.core.model.OtherRegions;
import dev.infra.core.plan.Plan;
import dev.infra.core.state.StateBackend;
import dev.infra.core.stack.Placement.Target;
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
 * The workflow the commands share, across the stack's regions: runs a {@link StackRequest} over the regions
 * {@link Placement} gives it (the primary, the file's region or a copy made with {@code --region}, and the replicas
 * its state lists). Plans cover every region involved, grouped by region, and are confirmed once; applies go primary
 * first (replicas link to what it holds), destroys replicas first (a primary table or key cannot go while replicas
 * hang on it). Each region's lock is held from plan to apply, the locks taken primary first.
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

    /**
     * Plans what {@code request} would do, without locks (infra plan); deletes may take data along only with
     * {@code forceDeleteData} (or the topology's {@code forceDestroy}).
     */
    public StackPlan plan(StackRequest.Plannable request, boolean forceDeleteData) {
        return planTargets(placement(request.topology()).targets(request), destroys(request), null, forceDeleteData);
    }

    /**
     * Plans the regions in scope under their locks and, when {@code confirm} accepts the plans, applies them: the
     * primary first, or for a destroy the replicas first. Destroying a replica also takes it off its primary's list.
     */
    public Outcome run(StackRequest.Plannable request, Predicate<StackPlan> confirm, Engine.ApplyOptions options) {
        List<Target> targets = placement(request.topology()).targets(request);
        boolean destroy = destroys(request);
        try (Locks ignored = lock(targets, destroy ? "destroy" : "apply")) {
            StackPlan plan = planTargets(targets, destroy, null, options.forceDeleteData());
            if (!proceed(plan, confirm, options)) {
                return new Outcome(plan, Map.of());
            }
            return runAndUnlink(targets, plan, destroy, options, true);
        }
    }

    /**
     * Applies plans saved by {@code plan -o}, confirmed when they were shown. Refused when the stack's regions, a
     * region's state or the topology changed since.
     */
    public Outcome run(StackRequest.ApplySaved request, Engine.ApplyOptions options) {
        List<Plan> plans = request.plans();
        StackRequest.Plannable madeFor = request.madeFor();
        List<Target> targets = placement(request.topology()).targets(madeFor);
        request.checkRegions(targets.stream().map(Target::region).toList());
        try (Locks ignored = lock(targets, "apply")) {
            List<RegionPlan> regions = new ArrayList<>();
            for (Plan plan : plans) {
                // One region's plan is checked against the region asked for (checkSaved names a mismatch).
                Target target = plans.size() == 1 ? targets.get(0)
                        : targets.stream().filter(x -> x.region().equals(plan.region())).findFirst().orElseThrow();
                engine(target.region()).checkSaved(plan, target.topology(), request.planFile());
                regions.add(new RegionPlan(target.region(), target.topology(), plan));
            }
            return runAndUnlink(targets, new StackPlan(regions, null), destroys(madeFor), options, false);
        }
    }

    /**
     * Makes a region a replica: places it (its VPC block and zones, kept in the primary's state from then on), plans
     * both regions with the rewrite table, and on confirmation records the replica and applies the primary, then the
     * replica. Both locks are held from before the states are read.
     */
    public Outcome run(StackRequest.Replicate request, Predicate<StackPlan> confirm, Engine.ApplyOptions options) {
        try (Locks ignored = lockRegions(List.of(request.from(), request.to()), "replicate")) {
            Placement.Replication replication = placement(request.topology()).replicate(request);
            Target p = replication.primary();
            Target r = replication.replica();
            Rewrite rewrite = Rewrite.of(Engine.graph(p.topology()).specs().values(),
                    Engine.graph(r.topology()).specs().values(), p.topology(), r.topology());
            StackPlan plan = planTargets(List.of(p, r), false, rewrite, options.forceDeleteData());
            if (!proceed(plan, confirm, options)) {
                return new Outcome(plan, Map.of());
            }
            engine(p.region()).record(p.topology(), s -> s.withReplica(replication.record()));
            engine(r.region()).record(r.topology(), s -> s.replicating(p.region()));
            return run(plan, options, true);
        }
    }

    /**
     * Runs the plans in order; after a whole destroy of replicas, they leave their primary's list. {@code listedThisRun}:
     * planned under the locks held since, not saved ({@link Engine#apply}).
     */
    private Outcome runAndUnlink(List<Target> targets, StackPlan plan, boolean destroy, Engine.ApplyOptions options,
                                 boolean listedThisRun) {
        Outcome outcome = run(plan, options, listedThisRun);
        if (destroy && outcome.ok()) {
            targets.stream().filter(Target::replica).forEach(x -> unlink(x.topology()));
        }
        return outcome;
    }

    private static boolean destroys(StackRequest.Plannable request) {
        return request instanceof StackRequest.Destroy;
    }

    /** Where the stack is, read through this run's engines (each region's state and zones). */
    private Placement placement(Topology file) {
        return Placement.of(file, region -> engine(region).state(file.inRegion(region)),
                region -> engine(region).availabilityZones());
    }

    /** Whether to carry out {@code plan}: nothing to confirm, or confirmed; not once cancelled (Ctrl-C while planning). */
    private static boolean proceed(StackPlan plan, Predicate<StackPlan> confirm, Engine.ApplyOptions options) {
        return !plan.hasChanges() || !options.cancellation().requested() && confirm.test(plan);
    }

    private StackPlan planTargets(List<Target> targets, boolean destroy, Rewrite rewrite, boolean forceDeleteData) {
        List<RegionPlan> plans = new ArrayList<>();
        Map<String, Plan> byRegion = new LinkedHashMap<>();
        for (Target x : targets) {
            Plan plan = engine(x.region()).plan(x.topology(), destroy, others(x.topology(), byRegion), forceDeleteData);
            byRegion.put(x.region(), plan);
            plans.add(new RegionPlan(x.region(), x.topology(), plan));
        }
        if (destroy) {
            Collections.reverse(plans);
        }
        return new StackPlan(plans, rewrite);
    }

    private Outcome run(StackPlan plan, Engine.ApplyOptions options, boolean listedThisRun) {
        Map<String, ApplyResult> results = new LinkedHashMap<>();
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
            results.put(r.region(), engine.apply(r.plan(), engine.state(r.topology()), options, others(r.topology(), null),
                    listedThisRun));
        }
        return new Outcome(plan, results);
    }

    /** How a region resolves refs to its primary: from the primary's plan in this run, or its state alone. */
    private OtherRegions others(Topology t, Map<String, Plan> planned) {
        if (!t.replica()) {
            return OtherRegions.NONE;
        }
        String primary = t.placement().primary();
        Topology pt = t.inRegion(primary);
        Engine engine = engine(primary);
        return new PrimaryValues(primary, planned == null ? null : planned.get(primary), engine.state(pt),
                () -> engine.state(pt));
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

}
