package dev.infra.core.apply;

import dev.infra.core.graph.Graph;
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
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Carries out a plan: builds the graph of operations from the plan's changes (never from the
 * topology, so nothing unplanned is touched), then walks it with bounded parallelism. An operation
 * starts when everything it needs is done; when one fails, what depends on it is skipped and the
 * independent branches go on. State is recorded after every operation. A free slot goes to the ready operation
 * with the longest path ahead by typical durations ({@link Slots}), and a long wait gives its slot back.
 *
 * <p>Edges: creates and updates follow the creates and updates of their dependencies; a delete
 * follows the deletes of what depended on it and the updates that stop referring to it; a replace
 * deletes first, then creates (AWS names and CIDRs usually cannot exist twice).
 *
 * <p>Once {@link Cancellation#request() cancelled}, no operation starts; those in flight finish and are recorded,
 * and the rest are reported as not started.
 */
public final class Applier {

    /** The shortest pause between two polls of a wait. */
    private static final Duration FIRST_POLL = Duration.ofMillis(500);

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

    enum Kind { CREATE, UPDATE, DELETE }

    record Op(Kind kind, ResourceChange change) {
        String key() {
            return change.address() + "#" + kind.name().toLowerCase();
        }

        String verb() {
            return switch (kind) {
                case CREATE -> change.action() == Action.REPLACE ? "re-creating" : "creating";
                case UPDATE -> "updating";
                case DELETE -> change.action() == Action.REPLACE ? "deleting (replace)" : "deleting";
            };
        }
    }

    /**
     * The operations of a plan and the order between them; {@code createsFirst} says which types replace
     * create-before-destroy.
     */
    static Graph<String> operations(Plan plan, Map<String, Op> ops, Predicate<String> createsFirst) {
        Map<String, ResourceChange> byAddress = new HashMap<>();
        for (ResourceChange c : plan.changes()) {
            byAddress.put(c.address(), c);
            switch (c.action()) {
                case CREATE -> put(ops, new Op(Kind.CREATE, c));
                case UPDATE -> put(ops, new Op(Kind.UPDATE, c));
                case DELETE -> put(ops, new Op(Kind.DELETE, c));
                case REPLACE -> {
                    put(ops, new Op(Kind.DELETE, c));
                    put(ops, new Op(Kind.CREATE, c));
                }
                case NO_OP -> { }
            }
        }
        Graph<String> g = Graph.create();
        ops.keySet().forEach(g::addNode);
        for (Op op : ops.values()) {
            ResourceChange c = op.change();
            if (op.kind() == Kind.DELETE) {
                // Whoever depended on c goes first: its delete, or the update that stops using c. An
                // update that keeps using c (now pointing at its replacement) follows c's create instead;
                // ordering it before c's delete as well would be a cycle.
                // Created first only while what it needs stays: a replacement needing a replaced VPC, say, could
                // not exist before the old group (which holds the old VPC) is gone.
                boolean createFirst = c.action() == Action.REPLACE && createsFirst.test(c.type())
                        && c.dependencies().stream().noneMatch(d -> byAddress.containsKey(d)
                        && byAddress.get(d).action() == Action.REPLACE);
                for (ResourceChange other : plan.changes()) {
                    if (other.priorDependencies().contains(c.address())) {
                        edge(g, ops, other.address() + "#delete", op.key());
                        // Created first, the replacement is what an update points the dependent at: the old one goes
                        // after that update.
                        if (createFirst || !other.dependencies().contains(c.address())) {
                            edge(g, ops, other.address() + "#update", op.key());
                        }
                    }
                }
                if (createFirst) {
                    g.putEdge(c.address() + "#create", op.key());
                } else if (c.action() == Action.REPLACE) {
                    g.putEdge(op.key(), c.address() + "#create");
                }
            } else {
                for (String dep : c.dependencies()) {
                    edge(g, ops, dep + "#create", op.key());
                    edge(g, ops, dep + "#update", op.key());
                }
            }
        }
        return g;
    }

    private static void put(Map<String, Op> ops, Op op) {
        ops.put(op.key(), op);
    }

    private static void edge(Graph<String> g, Map<String, Op> ops, String from, String to) {
        if (ops.containsKey(from) && !from.equals(to)) {
            g.putEdge(from, to);
        }
    }

    public ApplyResult apply(Plan plan, StateRecorder state, OtherRegions others) {
        Map<String, Op> ops = new HashMap<>();
        Graph<String> g = operations(plan, ops, type -> providers.get(type).schema().createBeforeDestroy());
        g.findCycle().ifPresent(c -> {
            throw new IllegalStateException("operation cycle: " + String.join(" -> ", c));
        });
        Walk walk = new Walk(plan.stack(), g, ops, state, others);
        walk.adopted.addAndGet(recordUnchanged(plan, state));
        return walk.run();
    }

    /**
     * Resources the plan leaves as they are have no operation, but state may still lag: one adopted
     * as it is (found by its {@code infra:address} tag, state lacking it or holding only the intent
     * record of an interrupted create) must be recorded so state owns it and dependents resolve its
     * id; one whose dependencies changed must record them, as they order its deletion. Returns how many it adopted.
     */
    private static int recordUnchanged(Plan plan, StateRecorder state) {
        int adopted = 0;
        for (ResourceChange c : plan.changes()) {
            if (c.action() != Action.NO_OP || c.id() == null) {
                continue;
            }
            ResourceState known = state.resource(c.address()).orElse(null);
            if (known == null || !c.id().equals(known.id())) {
                state.put(ResourceState.created(c.address(), c.type(), c.id(), c.prior(), c.dependencies()));
                adopted++;
            } else if (!known.dependencies().equals(c.dependencies())) {
                state.put(ResourceState.created(c.address(), c.type(), c.id(), known.attributes(), c.dependencies()));
            }
        }
        return adopted;
    }

    /** One walk of the operation graph. */
    private final class Walk {
        private final String stack;
        private final Graph<String> graph;
        private final Map<String, Op> ops;
        private final StateRecorder state;
        private final OtherRegions others;
        private final Slots slots = new Slots(parallelism);
        /** Each operation's path ahead (its own typical duration and the longest chain after it, in seconds). */
        private final Map<String, Double> ahead = new HashMap<>();
        private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
        private final Map<String, Long> running = new ConcurrentHashMap<>();
        private final Map<String, Long> beaten = new ConcurrentHashMap<>();
        /** What each operation in an {@link OperationContext#await} waits for, for its heartbeats. */
        private final Map<String, String> waitingFor = new ConcurrentHashMap<>();
        /**
         * How long each operation that ran took, from its start (a slot taken) to its end, less the time it waited
         * for a slot again after a wait (the parallelism's cost, not the operation's): the timing data.
         */
        private final Map<String, Duration> took = new ConcurrentHashMap<>();
        /** Nanoseconds each operation waited for a slot again after a wait. */
        private final Map<String, Long> requeued = new ConcurrentHashMap<>();
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final List<String> skipped = new ArrayList<>();
        /** The operations that began (a provider call was made or about to be): the others were not started. */
        private final Set<String> started = ConcurrentHashMap.newKeySet();
        private final Map<Kind, Integer> done = new ConcurrentHashMap<>();
        private final AtomicInteger adopted = new AtomicInteger();
        private int replaced;

        Walk(String stack, Graph<String> graph, Map<String, Op> ops, StateRecorder state, OtherRegions others) {
            this.stack = stack;
            this.others = others;
            this.graph = graph;
            this.ops = ops;
            this.state = state;
            List<String> order = new ArrayList<>(graph.topologicalOrder());
            Collections.reverse(order);
            for (String k : order) {
                Op op = ops.get(k);
                double own = TypicalDurations.of(op.change().type(), TypicalDurations.Kind.of(op.verb())).toMillis() / 1000.0;
                ahead.put(k, own + graph.successors(k).stream().mapToDouble(ahead::get).max().orElse(0));
            }
        }

        record Finished(String key, boolean ok) {}

        ApplyResult run() {
            long begun = System.nanoTime();
            List<Operation> announced = graph.topologicalOrder().stream().map(k -> {
                Op op = ops.get(k);
                return new Operation(k, op.change().address(), op.change().type(), op.verb(),
                        graph.predecessors(k).stream().sorted().toList());
            }).toList();
            listener.accept(new ApplyEvent.Began(announced));
            ExecutorService workers = Executors.newCachedThreadPool(daemon("infra-apply"));
            ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(daemon("infra-heartbeat"));
            // Tick faster than the interval so each operation's beat lands close to its own 10s, 20s…
            long tick = Math.max(1, Math.min(heartbeat.toMillis(), 500));
            beats.scheduleAtFixedRate(this::heartbeat, tick, tick, TimeUnit.MILLISECONDS);
            Set<String> blocked = new HashSet<>();
            try {
                Map<String, Integer> waitingOn = new HashMap<>();
                int outstanding = 0;
                for (String key : graph.topologicalOrder()) {
                    waitingOn.put(key, graph.predecessors(key).size());
                    if (graph.predecessors(key).isEmpty() && !cancellation.requested()) {
                        submit(workers, key);
                        outstanding++;
                    }
                }
                while (outstanding > 0) {
                    Finished f = finished.take();
                    outstanding--;
                    if (!f.ok()) {
                        skipDependents(f.key(), blocked);
                    }
                    for (String next : graph.successors(f.key())) {
                        if (waitingOn.merge(next, -1, Integer::sum) == 0 && !blocked.contains(next)
                                && !cancellation.requested()) {
                            submit(workers, next);
                            outstanding++;
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add("interrupted");
            } finally {
                beats.shutdownNow();
                workers.shutdown();
            }
            List<String> notStarted = graph.topologicalOrder().stream()
                    .filter(k -> !started.contains(k) && !blocked.contains(k))
                    .map(k -> ops.get(k).change().address()).toList();
            return new ApplyResult(done.getOrDefault(Kind.CREATE, 0) - replaced, done.getOrDefault(Kind.UPDATE, 0),
                    replaced, done.getOrDefault(Kind.DELETE, 0) - replaced, adopted.get(), List.copyOf(failures),
                    List.copyOf(skipped), notStarted,
                    new ApplyResult.Timing(since(begun), CriticalPath.of(announced, took::get)));
        }

        private void skipDependents(String failedKey, Set<String> blocked) {
            List<String> queue = new ArrayList<>(graph.successors(failedKey));
            while (!queue.isEmpty()) {
                String k = queue.remove(0);
                if (blocked.add(k)) {
                    Op op = ops.get(k);
                    skipped.add(op.change().address());
                    listener.accept(new ApplyEvent.Skipped(op.change().address(), op.verb(), ops.get(failedKey).change().address()));
                    queue.addAll(graph.successors(k));
                }
            }
        }

        private void submit(ExecutorService workers, String key) {
            workers.submit(() -> {
                Op op = ops.get(key);
                boolean ok = false;
                long start = System.nanoTime();
                try {
                    slots.acquire(ahead.get(key));
                    start = System.nanoTime();
                    try {
                        if (cancellation.requested()) {
                            ok = true; // not started, not failed: its dependents are not started either
                            return;
                        }
                        started.add(key);
                        // Started first: a heartbeat must not report an operation before its start.
                        listener.accept(new ApplyEvent.Started(op.change().address(), op.verb()));
                        running.put(key, start);
                        String id = execute(op, key);
                        took.put(key, since(start).minusNanos(requeued.getOrDefault(key, 0L)));
                        listener.accept(new ApplyEvent.Completed(op.change().address(), op.verb(), id, since(start)));
                        ok = true;
                    } finally {
                        running.remove(key);
                        slots.release();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failures.add(op.change().address() + ": interrupted");
                } catch (RuntimeException | Error e) {
                    // An Error (out of memory, a provider bug) fails this operation visibly: left to the executor's
                    // future it vanished, and the apply ended with resources neither done nor reported failed.
                    String message = e.getMessage() == null ? e.toString() : e.getMessage();
                    failures.add(message);
                    took.put(key, since(start).minusNanos(requeued.getOrDefault(key, 0L)));
                    listener.accept(new ApplyEvent.Failed(op.change().address(), op.verb(), message, since(start)));
                } finally {
                    finished.add(new Finished(key, ok));
                }
            });
        }

        /** Each running operation reports once per full heartbeat interval it has run ("still creating… 10s"). */
        private void heartbeat() {
            running.forEach((key, start) -> {
                Duration elapsed = since(start);
                long beats = elapsed.toMillis() / Math.max(1, heartbeat.toMillis());
                if (beats > beaten.getOrDefault(key, 0L)) {
                    beaten.put(key, beats);
                    Op op = ops.get(key);
                    listener.accept(new ApplyEvent.Waiting(op.change().address(), op.verb(), elapsed,
                            waitingFor.get(key)));
                }
            });
        }

        private String execute(Op op, String key) {
            ResourceChange c = op.change();
            if (op.kind() == Kind.DELETE) {
                if (c.id() != null) {
                    providers.get(c.type()).delete(LiveResource.of(c.id(), c.address(), c.prior()), context(key));
                }
                // Replaced create-before-destroy, the address already holds its replacement: keep that.
                ResourceState known = state.resource(c.address()).orElse(null);
                if (known == null || known.id() == null || known.id().equals(c.id())) {
                    state.remove(c.address());
                }
                done.merge(Kind.DELETE, 1, Integer::sum);
                return c.id();
            }
            ResourceProvider provider = providers.get(c.type());
            ResourceSpec spec = new ResourceSpec(c.address(), c.type(), resolve(c.desired()), Set.of(), null);
            LiveResource result;
            boolean counted = true;
            if (op.kind() == Kind.CREATE) {
                state.put(ResourceState.creating(c.address(), c.type(), c.dependencies()));
                // Never adopt what this replacement replaces (still there when created first), nor another region's.
                Optional<LiveResource> existing = provider.findExisting(stack, spec)
                        .filter(e -> !e.id().equals(c.id()))
                        .filter(e -> !spec.tags().containsKey(LiveResource.REGION_TAG)
                                || !e.ownedByOtherRegion(spec.tags().get(LiveResource.REGION_TAG)));
                result = existing.isPresent() ? adopt(provider, existing.get(), spec, key)
                        : provider.create(spec, context(key));
                if (existing.isPresent()) {
                    // Found, not made (an untagged resource known by its name, or one made since the plan).
                    adopted.incrementAndGet();
                    counted = c.action() == Action.REPLACE;
                }
                if (c.action() == Action.REPLACE) {
                    synchronized (this) {
                        replaced++;
                    }
                }
            } else {
                // What the plan read from AWS is current, not the state's record: a change made outside infra
                // (drift) differs from the record, and an update judged against the record would skip it.
                LiveResource current = LiveResource.of(c.id(), c.address(), c.prior());
                Set<String> changed = c.changes().stream().map(AttributeChange::name).collect(Collectors.toSet());
                result = provider.update(current, spec, changed, context(key));
                if (c.adopts()) {
                    adopted.incrementAndGet();
                }
            }
            state.put(ResourceState.created(c.address(), c.type(), result.id(), result.attributes(), c.dependencies()));
            if (counted) {
                done.merge(op.kind(), 1, Integer::sum);
            }
            return result.id();
        }

        /** A resource an interrupted create left behind: take it, and bring its updatable attributes in line. */
        private LiveResource adopt(ResourceProvider provider, LiveResource found, ResourceSpec spec, String key) {
            Set<String> changed = Planner.diff(provider.schema(), spec.attributes(), found.attributes()).stream()
                    .filter(a -> !a.forcesReplacement()).map(AttributeChange::name).collect(Collectors.toSet());
            return changed.isEmpty() ? found : provider.update(found, spec, changed, context(key));
        }

        private Map<String, Object> resolve(Map<String, Object> desired) {
            return Values.resolve(desired, this::valueOf);
        }

        private Object valueOf(Ref ref) {
            if (!ref.local()) {
                return others.atApply(ref);
            }
            ResourceState dep = state.resource(ref.address()).orElse(null);
            if (dep == null || dep.id() == null) {
                throw new IllegalStateException("apply reached a resource before its dependency " + ref.address());
            }
            return ref.attribute().equals("id") ? dep.id() : dep.attributes().get(ref.attribute());
        }

        private OperationContext context(String key) {
            Op op = ops.get(key);
            return new OperationContext() {
                @Override
                public String address() {
                    return op.change().address();
                }

                @Override
                public void waitingFor(String reason) {
                    waitingFor.computeIfPresent(key, (k, was) -> reason);
                }

                @Override
                public <T> T await(String what, Duration timeout, Duration interval, Supplier<Optional<T>> poll) {
                    String outer = waitingFor.put(key, what);
                    try {
                        return poll(what, timeout, interval, poll);
                    } finally {
                        if (outer == null) {
                            waitingFor.remove(key);
                        } else {
                            waitingFor.put(key, outer);
                        }
                    }
                }

                private <T> T poll(String what, Duration timeout, Duration interval, Supplier<Optional<T>> poll) {
                    long began = System.nanoTime();
                    long deadline = began + timeout.toNanos();
                    while (true) {
                        Optional<T> v = poll.get();
                        if (v.isPresent()) {
                            return v.get();
                        }
                        if (System.nanoTime() > deadline) {
                            throw new IllegalStateException(address() + ": timed out after " + timeout.toSeconds()
                                    + "s waiting for " + what);
                        }
                        // Give the slot to other work while sleeping: long waits must not starve the walk.
                        slots.release();
                        try {
                            // Poll sooner at first (a quarter of the time waited so far, up to the interval), as
                            // Terraform's waiters back off: a short wait does not overshoot by a whole interval.
                            Thread.sleep(Math.min(interval.toMillis(), Math.max(FIRST_POLL.toMillis(),
                                    since(began).toMillis() / 4)));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            throw new IllegalStateException(address() + ": interrupted waiting for " + what, e);
                        } finally {
                            long asked = System.nanoTime();
                            slots.acquireUninterruptibly(ahead.get(key));
                            requeued.merge(key, System.nanoTime() - asked, Long::sum);
                        }
                    }
                }
            };
        }
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
