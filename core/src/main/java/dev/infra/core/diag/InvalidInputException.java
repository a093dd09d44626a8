package dev.infra.core.diag;

import java.util.List;

/** Thrown by a core service when its input has errors; carries every diagnostic found. */
public final class InvalidInputException extends RuntimeException {

    private final List<Diagnostic> diagnostics;

    public InvalidInputException(List<Diagnostic> diagnostics) {
        super(diagnostics.isEmpty() ? "invalid input" : diagnostics.get(0).render());
        this.diagnostics = List.copyOf(diagnostics);
    }

    public static InvalidInputException of(Diagnostic d) {
        return new InvalidInputException(List.of(d));
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
