package dev.infra.core.testing;

import dev.infra.core.stack.Engine;
import dev.infra.core.stack.StackEngine;
import dev.infra.core.stack.StackRequest;
import dev.infra.core.apply.ApplyEvent;
import dev.infra.core.apply.ApplyResult;
import dev.infra.core.plan.Action;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.ResourceChange;
import dev.infra.core.provider.ProviderRegistry;
import dev.infra.core.state.LocalBackend;
import dev.infra.core.state.State;
import dev.infra.core.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An engine over a {@link FakeCloud} with local state in a temp directory. */
public final class Harness {

    public final FakeCloud cloud;
    public final LocalBackend backend;
    public final StackEngine engine;
    public final List<ApplyEvent> events = new CopyOnWriteArrayList<>();
    public static final StackRequest.Scope WHOLE = new StackRequest.WholeStack();
    private int parallelism = 10;
    private Duration heartbeat = Duration.ofMinutes(5);

    public Harness(Path stateDir) {
        this(stateDir, new FakeCloud());
    }

    public Harness(Path stateDir, FakeCloud cloud) {
        this.cloud = cloud;
        this.backend = LocalBackend.of(stateDir, "shop", "us-east-1");
        ProviderRegistry registry = cloud.registry();
        // The fake region has six zones, as us-east-1 does.
        this.engine = StackEngine.create(region -> Engine.create(registry, backend,
                () -> List.of("us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f")));
    }

    public Harness parallelism(int n) {
        this.parallelism = n;
        return this;
    }

    public Harness heartbeat(Duration every) {
        this.heartbeat = every;
        return this;
    }

    public Engine.ApplyOptions options() {
        return new Engine.ApplyOptions(parallelism, heartbeat, events::add);
    }

    public Plan plan(String scenario) {
        return plan(Fixtures.load(scenario));
    }

    public Plan plan(Topology topology) {
        return engine.plan(new StackRequest.Apply(topology, WHOLE), false).only();
    }

    public Plan planDestroy(String scenario) {
        return engine.plan(new StackRequest.Destroy(Fixtures.load(scenario), WHOLE), false).only();
    }

    /** Plans and applies; returns the result (null when there was nothing to do). */
    public StackEngine.Outcome apply(String scenario) {
        return apply(Fixtures.load(scenario), false);
    }

    public StackEngine.Outcome destroy(String scenario) {
        return apply(Fixtures.load(scenario), true);
    }

    public StackEngine.Outcome apply(Topology topology, boolean destroy) {
        return engine.run(destroy ? new StackRequest.Destroy(topology, WHOLE) : new StackRequest.Apply(topology, WHOLE),
                p -> true, options());
    }

    /** Applies a saved plan of the whole stack (its one region). */
    public StackEngine.Outcome applySaved(Plan plan, Topology topology) {
        return engine.run(new StackRequest.ApplySaved(topology, List.of(plan), WHOLE, "plan.json"), options());
    }

    public ApplyResult applyOk(String scenario) {
        StackEngine.Outcome o = apply(scenario);
        if (o.result() == null || !o.result().ok()) {
            throw new AssertionError("apply of " + scenario + " failed: " + (o.result() == null ? "nothing applied" : o.result().failures()));
        }
        return o.result();
    }

    public State state() {
        return backend.read().orElseThrow();
    }

    /** address → action. */
    public static Map<String, Action> actions(Plan plan) {
        Map<String, Action> m = new TreeMap<>();
        plan.changes().forEach(c -> m.put(c.address(), c.action()));
        return m;
    }

    /** address → action of every change that does something. */
    public static Map<String, Action> changed(Plan plan) {
        Map<String, Action> m = actions(plan);
        m.values().removeIf(a -> a == Action.NO_OP);
        return m;
    }

    /** The addresses planned for {@code action}. */
    public static List<String> withAction(Plan plan, Action action) {
        return plan.changes().stream().filter(c -> c.action() == action).map(ResourceChange::address).sorted().toList();
    }

    public static ResourceChange change(Plan plan, String address) {
        return plan.changes().stream().filter(c -> c.address().equals(address)).findFirst()
                .orElseThrow(() -> new AssertionError("no change for " + address + " in " + actions(plan)));
    }
}
