package dev.infra.core.state;

/**
 * A state backend that cannot be used as configured (a bucket without versioning, a missing lock table), or a
 * state operation that would lose data (migrating onto another stack's state). The message says what to do.
 */
public final class StateBackendException extends RuntimeException {

    public StateBackendException(String message) {
        super(message);
    }

    public StateBackendException(String message, Throwable cause) {
        super(message, cause);
    }
}
