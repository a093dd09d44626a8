package dev.infra.providers.testing;

import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** An {@link OperationContext} for tests: polls, sleeps {@code interval} between polls, fails after {@code timeout}. */
public final class SleepingOperationContext implements OperationContext {

    private final String address;
    private final AtomicInteger sleeps = new AtomicInteger();

    public SleepingOperationContext(String address) {
        this.address = address;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public <T> T await(String what, Duration timeout, Duration interval, Supplier<Optional<T>> poll) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<T> result = poll.get();
            if (result.isPresent()) {
                return result.get();
            }
            if (System.nanoTime() + interval.toNanos() > deadline) {
                throw new ProviderException(address, "timed out after " + timeout + " waiting for " + what);
            }
            sleeps.incrementAndGet();
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ProviderException(address, "interrupted while waiting for " + what, e);
            }
        }
    }

    /** How many times a poll came back empty and this context slept. */
    public int sleeps() {
        return sleeps.get();
    }
}
