package dev.infra.core.apply;

import java.util.List;

/**
 * One operation of an apply, as the walk announces it ({@link ApplyEvent.Began}): what it acts on, how
 * ({@code operation}: creating, updating, deleting…) and the operations it waits for ({@code after}, by key).
 */
public record Operation(String key, String address, String type, String operation, List<String> after) {

    public Operation {
        after = List.copyOf(after);
    }

    /** The kind the typical durations are kept by: create, update or delete. */
    public TypicalDurations.Kind kind() {
        return TypicalDurations.Kind.of(operation);
    }
}
