package dev.infra.core.provider;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** What the engine offers a provider during one create, update or delete. */
public interface OperationContext {

    /** The resource's address, for messages. */
    String address();

    /**
     * Polls until {@code poll} returns a value, sleeping {@code interval} between polls, failing after
     * {@code timeout}. The engine frees this operation's parallelism slot while it sleeps, so a long
     * wait (NAT gateway, EKS) does not starve other work. While it waits, the progress names {@code what}.
     */
    <T> T await(String what, Duration timeout, Duration interval, Supplier<Optional<T>> poll);

    /**
     * Refines what the {@link #await} in progress waits for, from what a poll learned (AWS's last refusal), so that
     * the progress names it; outside an await it does nothing.
     */
    default void waitingFor(String reason) {
    }
}
