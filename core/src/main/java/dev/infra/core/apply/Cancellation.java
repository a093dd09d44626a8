package dev.infra.core.apply;

/**
 * A request to stop an apply early (Ctrl-C): no operation starts once it is requested, those in flight finish and
 * are recorded, so the state stays true and the next apply continues where this one stopped.
 */
public final class Cancellation {

    private volatile boolean requested;

    /** Asks every walk that checks this to start nothing more; safe to call from a signal handler's thread. */
    public void request() {
        requested = true;
    }

    public boolean requested() {
        return requested;
    }
}
