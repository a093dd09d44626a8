package dev.infra.core.stack;

import dev.infra.core.apply.Applier;
import dev.infra.core.apply.ApplyEvent;
import dev.infra.core.apply.ApplyResult;
import dev.infra.core.apply.Cancellation;
import dev.infra.core.catalogue.Catalogue;
import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.expand.Expander;
import dev.infra.core.graph.ResourceGraph;
import dev.infra.core.model.OtherRegions;
import dev.infra.core.plan.DataOptIn;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.Planner;
import dev.infra.core.provider.ProviderRegistry;
import dev.infra.core.provider.RegionCatalog;
import dev.infra.core.state.State;
import dev.infra.core.state.StateBackend;
import dev.infra.core.state.StateRecorder;
import dev.infra.core.topology.Network;
import dev.infra.core.topology.Topology;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * One region's part of the workflow: topology → graph → plan → apply, against that region's state and lock.
 * {@link StackEngine} runs it across the regions {@link Placement} places the stack in. Knows nothing of AWS: providers and the state backend
 * are handed in.
 */
public final class Engine {

    private final ProviderRegistry providers;
    private final StateBackend backend;
    private final RegionCatalog region;
    /** The state of a stack never applied here, made once: a run's plans and apply then agree on its lineage (names). */
    private State fresh;

    private Engine(ProviderRegistry providers, StateBackend backend, RegionCatalog region) {
        this.providers = providers;
        this.backend = backend;
        this.region = region;
    }

    public static Engine create(ProviderRegistry providers, StateBackend backend, RegionCatalog region) {
        return new Engine(providers, backend, region);
    }

    /**
     * How an apply runs; {@code cancellation} stops it early (Ctrl-C); {@code forceDeleteData} lets its deletes take the
     * data of what they delete along (see {@link DataOptIn}).
     */
    public record ApplyOptions(int parallelism, Duration heartbeat, Consumer<ApplyEvent> listener,
                               Cancellation cancellation, boolean forceDeleteData) {
        /** An apply nothing cancels, whose deletes keep data. */
        public ApplyOptions(int parallelism, Duration heartbeat, Consumer<ApplyEvent> listener) {
            this(parallelism, heartbeat, listener, new Cancellation(), false);
        }
    }

    public static ResourceGraph graph(Topology topology) {
        return ResourceGraph.build(Expander.expand(topology));
    }

    /** The graph of a topology whose every resource keeps its type's rules in {@code catalogue}; else refused. */
    public static ResourceGraph graph(Topology topology, Catalogue catalogue) {
        return ResourceGraph.build(Expander.expand(topology, catalogue));
    }

    public State state(Topology topology) {
        return backend.read().orElseGet(() -> fresh(topology));
    }

    private synchronized State fresh(Topology topology) {
        if (fresh == null) {
            fresh = State.empty(topology.stack(), topology.region());
        }
        return fresh;
    }

    /**
     * Reads live AWS state and diffs it against the topology (or against nothing, for a destroy). Deletes that would
     * lose data are refused unless {@code forceDeleteData} or the topology's {@code forceDestroy} allows it.
     */
    public Plan plan(Topology topology, boolean destroy, OtherRegions others, boolean forceDeleteData) {
        if (!destroy) {
            checkZones(topology);
        }
        // A destroy still goes ahead for a topology the catalogue's rules now refuse: it only takes away.
        ResourceGraph configured = destroy ? graph(topology) : graph(topology, providers.catalogue());
        ResourceGraph desired = destroy ? ResourceGraph.build(List.of()) : configured;
        return new Planner(providers, others).plan(desired, state(topology), topology.digest(), destroy,
                DataOptIn.of(forceDeleteData, configured));
    }

    /** Takes this region's state lock, failing at once when another process holds it. */
    public StateBackend.Lock lock(String operation) {
        return backend.lock(operation);
    }

    /** The availability zones of this region (for a replica's zones). */
    public List<String> availabilityZones() {
        return region.availabilityZones();
    }

    /**
     * Carries out {@code plan} from the current state; a plan without changes still records new dependencies.
     * {@code listedThisRun}: the plan was read in this run under the lock held since, not saved ({@link Applier#apply}).
     */
    public ApplyResult apply(Plan plan, State state, ApplyOptions options, OtherRegions others, boolean listedThisRun) {
        // A saved plan of a stack never applied named its buckets after its own lineage: the state takes that one.
        State base = state.fresh() && !state.lineage().equals(plan.lineage())
                ? State.empty(state.stack(), state.region(), plan.lineage()) : state;
        Applier applier = Applier.create(providers, options.parallelism(), options.heartbeat(), options.listener(),
                options.cancellation());
        // Closed (the journal folded into the state) however the apply ends; a killed one leaves the journal.
        try (StateRecorder recorder = new StateRecorder(backend, base)) {
            return applier.apply(plan, recorder, others, listedThisRun);
        }
    }

    /** Changes what the state records besides resources (which regions replicate which). */
    public void record(Topology topology, UnaryOperator<State> change) {
        new StateRecorder(backend, state(topology)).change(change);
    }

    /** Refuses a saved plan when the state or the topology changed since it was made. */
    public void checkSaved(Plan plan, Topology topology, String planFile) {
        State current = state(topology);
        boolean firstEver = plan.serial() == 0 && current.serial() == 0;
        if (!plan.stack().equals(topology.stack()) || !plan.region().equals(topology.region())) {
            throw stale(planFile, "was made for stack " + plan.stack() + " in " + plan.region()
                    + ", not " + topology.stack() + " in " + topology.region());
        }
        if (!firstEver && !plan.lineage().equals(current.lineage())) {
            throw stale(planFile, "does not match the state (different lineage); make a new plan");
        }
        if (plan.serial() != current.serial()) {
            throw stale(planFile, "is stale: the state changed since it was made (serial " + plan.serial()
                    + " → " + current.serial() + "); make a new plan");
        }
        if (!plan.destroy() && !plan.topologyDigest().equals(topology.digest())) {
            throw stale(planFile, "is stale: " + topology.file() + " changed since it was made; make a new plan");
        }
        // Made where Helm was, applied where it is not: refused before anything changes, as a plan here would be.
        List<Diagnostic> missing = new java.util.ArrayList<>();
        plan.changes().stream().filter(c -> c.type() != null && c.action() != dev.infra.core.plan.Action.NO_OP)
                .map(c -> c.type()).distinct().forEach(type -> providers.get(type).prerequisite().ifPresent(reason ->
                        missing.add(Diagnostic.error(SourceLocation.wholeFile(planFile), type, reason))));
        if (!missing.isEmpty()) {
            throw new InvalidInputException(missing);
        }
    }

    /** A zone the region lacks fails here, before anything is created, not halfway through an apply. */
    private void checkZones(Topology topology) {
        Network n = topology.network();
        if (n == null) {
            return;
        }
        List<String> available = region.availabilityZones();
        List<String> missing = n.zones().stream().map(z -> topology.region() + z).filter(z -> !available.contains(z)).toList();
        if (!missing.isEmpty()) {
            String letters = available.stream().map(z -> z.substring(topology.region().length())).collect(Collectors.joining(", "));
            throw InvalidInputException.of(Diagnostic.error(n.at(), "network.zones", String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " not available in " + topology.region()
                    + " (it has " + available.size() + " zones: " + letters + ")"));
        }
    }

    private static InvalidInputException stale(String planFile, String message) {
        return InvalidInputException.of(Diagnostic.error(SourceLocation.wholeFile(planFile), "", message));
    }
}
