package dev.infra.core.state;

import java.util.function.UnaryOperator;

/**
 * The state during an apply: every change is written through to the backend at once, so a crash
 * loses nothing that reached AWS.
 */
public final class StateRecorder {

    private final StateBackend backend;
    private State current;

    public StateRecorder(StateBackend backend, State initial) {
        this.backend = backend;
        this.current = initial;
    }

    public synchronized State current() {
        return current;
    }

    public void put(ResourceState r) {
        change(s -> s.with(r));
    }

    public void remove(String address) {
        change(s -> s.resources().containsKey(address) ? s.without(address) : s);
    }

    /** Writes {@code f} of the current state through to the backend (replica bookkeeping, besides resources). */
    public synchronized void change(UnaryOperator<State> f) {
        State next = f.apply(current);
        if (next != current) {
            backend.write(next);
            current = next;
        }
    }
}
