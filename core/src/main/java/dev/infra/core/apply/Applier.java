package dev.infra.core.apply;

import dev.infra.core.apply.TypicalDurations.Kind;
import dev.infra.core.model.OtherRegions;
import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.model.Values;
import dev.infra.core.plan.Action;
import dev.infra.core.plan.AttributeChange;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.Planner;
import dev.infra.core.plan.ResourceChange;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderRegistry;
import dev.infra.core.provider.ResourceProvider;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.StateRecorder;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Carries out a plan: plan → {@link OperationGraph} → {@link Walk}. What each operation does is here: the provider's
 * create, update or delete, with the state written through {@link StateWrites} before and after it.
 */
public final class Applier {

    private final ProviderRegistry providers;
    private final int parallelism;
    private final Duration heartbeat;
    private final Consumer<ApplyEvent> listener;
    private final Cancellation cancellation;

    private Applier(ProviderRegistry providers, int parallelism, Duration heartbeat, Consumer<ApplyEvent> listener,
                    Cancellation cancellation) {
        this.providers = providers;
        this.parallelism = parallelism;
        this.heartbeat = heartbeat;
        this.listener = listener;
        this.cancellation = cancellation;
    }

    public static Applier create(ProviderRegistry providers, int parallelism, Duration heartbeat,
                                 Consumer<ApplyEvent> listener, Cancellation cancellation) {
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        return new Applier(providers, parallelism, heartbeat, listener, cancellation);
    }

    /**
     * Carries out {@code plan}. {@code listedThisRun}: its listings were read in this run, under the state lock held
     * since (not a saved plan), so a create of a type {@link ResourceProvider#foundByTagsAlone found by its tags alone}
     * that the plan found absent needs no lookup before it.
     */
    public ApplyResult apply(Plan plan, StateRecorder state, OtherRegions others, boolean listedThisRun) {
        OperationGraph graph = OperationGraph.of(plan, type -> providers.get(type).schema().createBeforeDestroy());
        Execution run = new Execution(plan.stack(), new StateWrites(state), graph, others, listedThisRun);
        int forgotten = 0;
        for (ResourceChange c : plan.changes()) {
            if (run.writes.unchanged(c)) {
                run.adopted.incrementAndGet();
            }
            if (run.writes.forgotten(c)) {
                forgotten++;
            }
        }
        Walk.Outcome o = Walk.run(graph, parallelism, heartbeat, listener, cancellation, run::execute);
        return new ApplyResult(run.done(Kind.CREATE) - run.replaced.get(), run.done(Kind.UPDATE), run.replaced.get(),
                run.done(Kind.DELETE) - run.replaced.get(), run.adopted.get(), forgotten, o.failures(), o.skipped(),
                o.notStarted(), o.timing());
    }

    /** One apply's operations and what they counted. */
    private final class Execution {
        private final String stack;
        private final StateWrites writes;
        private final OperationGraph graph;
        private final OtherRegions others;
        private final boolean listedThisRun;
        private final Map<Kind, Integer> done = new ConcurrentHashMap<>();
        private final AtomicInteger adopted = new AtomicInteger();
        private final AtomicInteger replaced = new AtomicInteger();

        Execution(String stack, StateWrites writes, OperationGraph graph, OtherRegions others, boolean listedThisRun) {
            this.stack = stack;
            this.writes = writes;
            this.graph = graph;
            this.others = others;
            this.listedThisRun = listedThisRun;
        }

        int done(Kind kind) {
            return done.getOrDefault(kind, 0);
        }

        String execute(OperationKey op, OperationContext context) {
            ResourceChange c = graph.change(op);
            if (op.kind() == Kind.DELETE) {
                if (c.id() != null) {
                    providers.get(c.type()).delete(LiveResource.of(c.id(), c.address(), c.prior()), context);
                }
                writes.deleted(c);
                done.merge(Kind.DELETE, 1, Integer::sum);
                return c.id();
            }
            ResourceProvider provider = providers.get(c.type());
            ResourceSpec spec = new ResourceSpec(c.address(), c.type(), resolve(c.desired()), Set.of(), null);
            LiveResource result;
            boolean counted = true;
            if (op.kind() == Kind.CREATE) {
                boolean listedAbsent = listedThisRun && provider.foundByTagsAlone() && !writes.interrupted(c);
                writes.creating(c);
                // Never adopt what this replacement replaces (still there when created first), nor another region's.
                Optional<LiveResource> existing = listedAbsent ? Optional.empty() : provider.findExisting(stack, spec)
                        .filter(e -> !e.id().equals(c.id()))
                        .filter(e -> !spec.tags().containsKey(LiveResource.REGION_TAG)
                                || !e.ownedByOtherRegion(spec.tags().get(LiveResource.REGION_TAG)));
                result = existing.isPresent() ? adopt(provider, existing.get(), spec, context)
                        : provider.create(spec, context);
                if (existing.isPresent()) {
                    // Found, not made (an untagged resource known by its name, or one made since the plan).
                    adopted.incrementAndGet();
                    counted = c.action() == Action.REPLACE;
                }
                if (c.action() == Action.REPLACE) {
                    replaced.incrementAndGet();
                }
            } else {
                // What the plan read from AWS is current, not the state's record: a change made outside infra
                // (drift) differs from the record, and an update judged against the record would skip it.
                LiveResource current = LiveResource.of(c.id(), c.address(), c.prior());
                Set<String> changed = c.changes().stream().map(AttributeChange::name).collect(Collectors.toSet());
                result = provider.update(current, spec, changed, context);
                if (c.adopts()) {
                    adopted.incrementAndGet();
                }
            }
            writes.made(c, result);
            if (counted) {
                done.merge(op.kind(), 1, Integer::sum);
            }
            return result.id();
        }

        /** A resource an interrupted create left behind: take it, and bring its updatable attributes in line. */
        private LiveResource adopt(ResourceProvider provider, LiveResource found, ResourceSpec spec,
                                   OperationContext context) {
            Set<String> changed = Planner.diff(provider.schema(), spec.attributes(), found.attributes()).stream()
                    .filter(a -> !a.forcesReplacement()).map(AttributeChange::name).collect(Collectors.toSet());
            return changed.isEmpty() ? found : provider.update(found, spec, changed, context);
        }

        private Map<String, Object> resolve(Map<String, Object> desired) {
            return Values.resolve(desired, this::valueOf);
        }

        private Object valueOf(Ref ref) {
            if (!ref.local()) {
                return others.atApply(ref);
            }
            ResourceState dep = writes.resource(ref.address()).orElse(null);
            if (dep == null || dep.id() == null) {
                throw new IllegalStateException("apply reached a resource before its dependency " + ref.address());
            }
            return ref.attribute().equals("id") ? dep.id() : dep.attributes().get(ref.attribute());
        }
    }
}
