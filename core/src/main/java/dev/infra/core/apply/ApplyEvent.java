package dev.infra.core.apply;

import java.time.Duration;
import java.util.List;

/** What the applier reports while it works; the CLI renders these as lines, a status line or NDJSON. */
public sealed interface ApplyEvent permits ApplyEvent.Began, ApplyEvent.OfOperation {

    /** A walk begins (one per region): every operation it may run, in dependency order. */
    record Began(List<Operation> operations) implements ApplyEvent {
        public Began {
            operations = List.copyOf(operations);
        }
    }

    /** What happens to one operation. */
    sealed interface OfOperation extends ApplyEvent permits Started, Waiting, Completed, Failed, Skipped {
        String address();

        /** The verb of the operation: creating, updating, deleting. */
        String operation();
    }

    record Started(String address, String operation) implements OfOperation {}

    /**
     * A heartbeat while an operation runs long (a NAT gateway coming up). {@code waitingFor}: what its provider
     * waits for at that moment ("IAM propagation of the new role (MalformedPolicyDocumentException)"), or null while
     * it is in a call rather than a wait.
     */
    record Waiting(String address, String operation, Duration elapsed, String waitingFor) implements OfOperation {
        public Waiting(String address, String operation, Duration elapsed) {
            this(address, operation, elapsed, null);
        }
    }

    record Completed(String address, String operation, String id, Duration elapsed) implements OfOperation {}

    record Failed(String address, String operation, String message, Duration elapsed) implements OfOperation {}

    /** Not attempted because something it depends on failed. */
    record Skipped(String address, String operation, String failedDependency) implements OfOperation {}
}
