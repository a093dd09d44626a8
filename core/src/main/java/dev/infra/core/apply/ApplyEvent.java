package dev.infra.core.apply;

import java.time.Duration;

/** What the applier reports while it works; the CLI renders these as lines or NDJSON. */
public sealed interface ApplyEvent permits ApplyEvent.Started, ApplyEvent.Waiting, ApplyEvent.Completed,
        ApplyEvent.Failed, ApplyEvent.Skipped {

    String address();

    /** The verb of the operation: creating, updating, deleting. */
    String operation();

    record Started(String address, String operation) implements ApplyEvent {}

    /** A heartbeat while an operation runs long (a NAT gateway coming up). */
    record Waiting(String address, String operation, Duration elapsed) implements ApplyEvent {}

    record Completed(String address, String operation, String id, Duration elapsed) implements ApplyEvent {}

    record Failed(String address, String operation, String message, Duration elapsed) implements ApplyEvent {}

    /** Not attempted because something it depends on failed. */
    record Skipped(String address, String operation, String failedDependency) implements ApplyEvent {}
}
