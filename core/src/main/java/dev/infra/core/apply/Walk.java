package dev.infra.core.apply;

import dev.infra.core.provider.OperationContext;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
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
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs an {@link OperationGraph}, whatever its operations do ({@link Work}), with bounded parallelism. An operation
 * starts when everything it follows is done; a free slot goes to the ready operation with the longest path ahead by
 * typical durations ({@link Slots}), and a wait ({@link OperationContext#await}) gives its slot back while it sleeps.
 * When one fails, what follows it is skipped and the independent branches go on. Once {@link Cancellation#request()
 * cancelled}, nothing starts; those in flight finish, and the rest are reported as not started. Reports every step
 * to the listener, and a heartbeat for each operation running long.
 */
final class Walk {

    /** The shortest pause between two polls of a wait. */
    private static final Duration FIRST_POLL = Duration.ofMillis(500);

    /** What an operation does; returns the id its completion reports. */
    @FunctionalInterface
    interface Work {
        String run(OperationKey op, OperationContext context);
    }

    /** How a walk ended: the failures' messages, the addresses skipped and not started, and its timing. */
    record Outcome(List<String> failures, List<String> skipped, List<String> notStarted, ApplyResult.Timing timing) {}

    private record Finished(OperationKey op, boolean ok) {}

    private final OperationGraph operations;
    private final Consumer<ApplyEvent> listener;
    private final Cancellation cancellation;
    private final Duration heartbeat;
    private final Slots slots;
    /** Each operation's path ahead (its own typical duration and the longest chain after it, in seconds). */
    private final Map<OperationKey, Double> ahead = new HashMap<>();
    private final BlockingQueue<Finished> finished = new LinkedBlockingQueue<>();
    private final Map<OperationKey, Long> running = new ConcurrentHashMap<>();
    private final Map<OperationKey, Long> beaten = new ConcurrentHashMap<>();
    /** What each operation in an {@link OperationContext#await} waits for, for its heartbeats. */
    private final Map<OperationKey, String> waitingFor = new ConcurrentHashMap<>();
    /**
     * How long each operation that ran took, from its start (a slot taken) to its end, less the time it waited for a
     * slot again after a wait (the parallelism's cost, not the operation's): the timing data, by announced key.
     */
    private final Map<String, Duration> took = new ConcurrentHashMap<>();
    /** Nanoseconds each operation waited for a slot again after a wait. */
    private final Map<OperationKey, Long> requeued = new ConcurrentHashMap<>();
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<String> skipped = new ArrayList<>();
    /** The operations that began (a provider call was made or about to be): the others were not started. */
    private final Set<OperationKey> started = ConcurrentHashMap.newKeySet();

    private Walk(OperationGraph operations, int parallelism, Duration heartbeat, Consumer<ApplyEvent> listener,
                 Cancellation cancellation) {
        this.operations = operations;
        this.listener = listener;
        this.cancellation = cancellation;
        this.heartbeat = heartbeat;
        this.slots = new Slots(parallelism);
        List<OperationKey> backwards = new ArrayList<>(operations.order());
        Collections.reverse(backwards);
        for (OperationKey op : backwards) {
            String type = operations.change(op).type();
            double own = TypicalDurations.of(type, op.kind()).toMillis() / 1000.0;
            ahead.put(op, own + operations.graph().successors(op).stream().mapToDouble(ahead::get).max().orElse(0));
        }
    }

    /** Walks {@code operations} once, {@code parallelism} at a time, each running {@code work}. */
    static Outcome run(OperationGraph operations, int parallelism, Duration heartbeat, Consumer<ApplyEvent> listener,
                       Cancellation cancellation, Work work) {
        return new Walk(operations, parallelism, heartbeat, listener, cancellation).run(work);
    }

    private Outcome run(Work work) {
        long begun = System.nanoTime();
        List<Operation> announced = operations.announced();
        listener.accept(new ApplyEvent.Began(announced));
        ExecutorService workers = Executors.newCachedThreadPool(daemon("infra-apply"));
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor(daemon("infra-heartbeat"));
        // Tick faster than the interval so each operation's beat lands close to its own 10s, 20s…
        long tick = Math.max(1, Math.min(heartbeat.toMillis(), 500));
        beats.scheduleAtFixedRate(this::heartbeat, tick, tick, TimeUnit.MILLISECONDS);
        Set<OperationKey> blocked = new HashSet<>();
        try {
            Map<OperationKey, Integer> waitingOn = new HashMap<>();
            int outstanding = 0;
            for (OperationKey op : operations.order()) {
                int before = operations.graph().predecessors(op).size();
                waitingOn.put(op, before);
                if (before == 0 && !cancellation.requested()) {
                    submit(workers, op, work);
                    outstanding++;
                }
            }
            while (outstanding > 0) {
                Finished f = finished.take();
                outstanding--;
                if (!f.ok()) {
                    skipDependents(f.op(), blocked);
                }
                for (OperationKey next : operations.graph().successors(f.op())) {
                    if (waitingOn.merge(next, -1, Integer::sum) == 0 && !blocked.contains(next)
                            && !cancellation.requested()) {
                        submit(workers, next, work);
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
        List<String> notStarted = operations.order().stream()
                .filter(op -> !started.contains(op) && !blocked.contains(op)).map(OperationKey::address).toList();
        return new Outcome(List.copyOf(failures), List.copyOf(skipped), notStarted,
                new ApplyResult.Timing(since(begun), CriticalPath.of(announced, took::get)));
    }

    private void skipDependents(OperationKey failed, Set<OperationKey> blocked) {
        Deque<OperationKey> queue = new ArrayDeque<>(operations.graph().successors(failed));
        while (!queue.isEmpty()) {
            OperationKey op = queue.removeFirst();
            if (blocked.add(op)) {
                skipped.add(op.address());
                listener.accept(new ApplyEvent.Skipped(op.address(), operations.verb(op), failed.address()));
                queue.addAll(operations.graph().successors(op));
            }
        }
    }

    private void submit(ExecutorService workers, OperationKey op, Work work) {
        workers.submit(() -> {
            String verb = operations.verb(op);
            boolean ok = false;
            long start = System.nanoTime();
            try {
                slots.acquire(ahead.get(op));
                start = System.nanoTime();
                try {
                    if (cancellation.requested()) {
                        ok = true; // not started, not failed: its dependents are not started either
                        return;
                    }
                    started.add(op);
                    // Started first: a heartbeat must not report an operation before its start.
                    listener.accept(new ApplyEvent.Started(op.address(), verb));
                    running.put(op, start);
                    String id = work.run(op, context(op));
                    took.put(op.toString(), ran(op, start));
                    listener.accept(new ApplyEvent.Completed(op.address(), verb, id, since(start)));
                    ok = true;
                } finally {
                    running.remove(op);
                    slots.release();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(op.address() + ": interrupted");
            } catch (RuntimeException | Error e) {
                // An Error (out of memory, a provider bug) fails this operation visibly: left to the executor's
                // future it vanished, and the apply ended with resources neither done nor reported failed.
                String message = e.getMessage() == null ? e.toString() : e.getMessage();
                failures.add(message);
                took.put(op.toString(), ran(op, start));
                listener.accept(new ApplyEvent.Failed(op.address(), verb, message, since(start)));
            } finally {
                finished.add(new Finished(op, ok));
            }
        });
    }

    private Duration ran(OperationKey op, long start) {
        return since(start).minusNanos(requeued.getOrDefault(op, 0L));
    }

    /** Each running operation reports once per full heartbeat interval it has run ("still creating… 10s"). */
    private void heartbeat() {
        running.forEach((op, start) -> {
            Duration elapsed = since(start);
            long beats = elapsed.toMillis() / Math.max(1, heartbeat.toMillis());
            if (beats > beaten.getOrDefault(op, 0L)) {
                beaten.put(op, beats);
                listener.accept(new ApplyEvent.Waiting(op.address(), operations.verb(op), elapsed, waitingFor.get(op)));
            }
        });
    }

    private OperationContext context(OperationKey op) {
        return new OperationContext() {
            @Override
            public String address() {
                return op.address();
            }

            @Override
            public void waitingFor(String reason) {
                waitingFor.computeIfPresent(op, (k, was) -> reason);
            }

            @Override
            public <T> T await(String what, Duration timeout, Duration interval, Supplier<Optional<T>> poll) {
                String outer = waitingFor.put(op, what);
                try {
                    return poll(what, timeout, interval, poll);
                } finally {
                    if (outer == null) {
                        waitingFor.remove(op);
                    } else {
                        waitingFor.put(op, outer);
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
                        slots.acquireUninterruptibly(ahead.get(op));
                        requeued.merge(op, System.nanoTime() - asked, Long::sum);
                    }
                }
            }
        };
    }

    private static Duration since(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    private static ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
