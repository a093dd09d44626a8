package dev.infra.core.state;

import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link Journal#throttled}: the changes stay in the process (the {@link StateRecorder}'s map) and the whole state is
 * stored at most once per interval, on a timer thread, so no operation waits on a store and a stack of n resources
 * costs about (apply time / interval) stores rather than n. The first change is stored at once; one that comes within
 * the interval of the last store is stored when the interval ends, together with all that came meanwhile; {@link
 * #close} stores the final state. A kill loses at most the last interval's changes from the stored state: what they
 * made in AWS is found again by the next plan (tagged types, by their {@code infra:address} tag) or by the create's
 * own lookup before it creates (the others, by their natural key).
 */
final class ThrottledUploads implements Journal {

    private final StateBackend backend;
    private final long intervalNanos;
    private final ScheduledThreadPoolExecutor timer;
    /** The state with every change recorded so far; null until the first. Guarded by {@code this}. */
    private Supplier<State> latest;
    /** Whether a store is scheduled and has not taken {@link #latest} yet. Guarded by {@code this}. */
    private boolean scheduled;
    /** When the last store began (nanoTime); far in the past before the first. Guarded by {@code this}. */
    private long lastStore;
    /** A store that failed: reported by the next record and by close. Guarded by {@code this}. */
    private RuntimeException failed;

    ThrottledUploads(StateBackend backend, Duration interval) {
        this.backend = backend;
        this.intervalNanos = interval.toNanos();
        this.lastStore = System.nanoTime() - intervalNanos;
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "infra-state-upload");
            t.setDaemon(true);
            return t;
        });
        timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    @Override
    public synchronized void record(Change change, Supplier<State> whole) {
        if (failed != null) {
            throw failed;
        }
        latest = whole;
        if (!scheduled) {
            scheduled = true;
            long delay = Math.max(0, lastStore + intervalNanos - System.nanoTime());
            timer.schedule(this::store, delay, TimeUnit.NANOSECONDS);
        }
    }

    private void store() {
        Supplier<State> state;
        synchronized (this) {
            state = latest;
            scheduled = false; // a change from now on schedules the next store, an interval after this one
            lastStore = System.nanoTime();
        }
        try {
            backend.write(state.get());
        } catch (RuntimeException e) {
            synchronized (this) {
                failed = e;
            }
        }
    }

    @Override
    public void close(State whole) {
        timer.shutdown(); // drops a store not begun: the final one below has all it would have
        try {
            timer.awaitTermination(1, TimeUnit.HOURS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            if (failed != null) {
                throw failed;
            }
        }
        backend.write(whole);
    }
}
