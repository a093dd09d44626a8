package dev.infra.providers.testing;

import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** An {@link OperationContext} for tests: polls, sleeps {@code interval} between polls, fails after {@code timeout}. */
public final class SleepingOperationContext implements OperationContext {

    private final String address;
    private final boolean sleep;
    private final AtomicInteger sleeps = new AtomicInteger();
    private final List<String> waitedFor = new CopyOnWriteArrayList<>();
    /** What the await in progress waits for, as the progress would name it; null outside an await. */
    private volatile String reason;

    public SleepingOperationContext(String address) {
        this(address, true);
    }

    private SleepingOperationContext(String address, boolean sleep) {
        this.address = address;
        this.sleep = sleep;
    }

    /**
     * A context that only pretends to sleep: each interval counts as passed at once, so a test of a slow path (a
     * resource the emulator's answers are rewritten to show still creating) takes no time, yet still times out.
     */
    public static SleepingOperationContext pretending(String address) {
        return new SleepingOperationContext(address, false);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void waitingFor(String reason) {
        if (this.reason != null) {
            this.reason = reason;
        }
    }

    @Override
    public <T> T await(String what, Duration timeout, Duration interval, Supplier<Optional<T>> poll) {
        String outer = reason;
        reason = what;
        try {
            return poll(what, timeout, interval, poll);
        } finally {
            reason = outer;
        }
    }

    private <T> T poll(String what, Duration timeout, Duration interval, Supplier<Optional<T>> poll) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pretended = 0;
        while (true) {
            Optional<T> result = poll.get();
            if (result.isPresent()) {
                return result.get();
            }
            if (System.nanoTime() + pretended + interval.toNanos() > deadline) {
                throw new ProviderException(address, "timed out after " + timeout + " waiting for " + what);
            }
            sleeps.incrementAndGet();
            waitedFor.add(reason);
            if (!sleep) {
                pretended += interval.toNanos();
                continue;
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException(address, "interrupted while waiting for " + what, e);
            }
        }
    }

    /** What the progress named at each sleep: the await's {@code what}, or what {@link #waitingFor} made of it. */
    public List<String> waitedFor() {
        return List.copyOf(waitedFor);
    }

    /** How many times a poll came back empty and this context slept. */
    public int sleeps() {
        return sleeps.get();
    }
}
