package dev.infra.core.state;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * The state during an apply: every change is durable in the backend's {@link Journal} before it returns, so a crash
 * loses nothing that reached AWS, and {@link #close} folds the journal into the state. A change costs itself, not
 * the state: nothing copies the whole state until the fold.
 */
public final class StateRecorder implements AutoCloseable {

    private final StateBackend backend;
    /** The state's own fields; its resources are {@link #resources}. */
    private volatile State header;
    private final Map<String, ResourceState> resources;
    private final AtomicLong serial;
    private Journal journal;

    public StateRecorder(StateBackend backend, State initial) {
        this.backend = backend;
        this.header = initial;
        this.resources = new ConcurrentHashMap<>(initial.resources());
        this.serial = new AtomicLong(initial.serial());
    }

    /** The whole state as recorded so far: a copy, for the end of an apply and tests, not for every operation. */
    public State current() {
        State h = header;
        return new State(h.version(), h.lineage(), serial.get(), h.stack(), h.region(), resources, h.primary(),
                h.replicas());
    }

    /** What the state records at {@code address}. */
    public Optional<ResourceState> resource(String address) {
        return Optional.ofNullable(resources.get(address));
    }

    public void put(ResourceState r) {
        Journal j = journal();
        resources.put(r.address(), r);
        serial.incrementAndGet();
        j.record(new Journal.Put(r), this::current);
    }

    public void remove(String address) {
        if (!resources.containsKey(address)) {
            return;
        }
        Journal j = journal();
        if (resources.remove(address) != null) {
            serial.incrementAndGet();
            j.record(new Journal.Remove(address), this::current);
        }
    }

    /** Stores {@code f} of the current state at once, whole (replica bookkeeping, besides resources). */
    public synchronized void change(UnaryOperator<State> f) {
        State now = current();
        State next = f.apply(now);
        if (next != now) {
            backend.write(next);
            header = next;
            resources.clear();
            resources.putAll(next.resources());
            serial.set(next.serial());
        }
    }

    /** Folds what was recorded into the state; nothing when nothing was. */
    @Override
    public synchronized void close() {
        if (journal != null) {
            journal.close(current());
            journal = null;
        }
    }

    /** Opened at the first change, before it is made (the journal starts from the state without it). */
    private synchronized Journal journal() {
        if (journal == null) {
            journal = backend.journal(current());
        }
        return journal;
    }
}
