package dev.infra.core.diag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects diagnostics so that every problem is reported at once. */
public final class Diagnostics {

    private final List<Diagnostic> items = new ArrayList<>();

    /** Adds {@code d} unless the very same diagnostic (place, path and message) is already there. */
    public void add(Diagnostic d) {
        if (!items.contains(d)) {
            items.add(d);
        }
    }

    public void error(SourceLocation at, String path, String message) {
        add(Diagnostic.error(at, path, message));
    }

    public void warning(SourceLocation at, String path, String message) {
        add(Diagnostic.warning(at, path, message));
    }

    public void addAll(Diagnostics other) {
        other.items.forEach(this::add);
    }

    public boolean hasErrors() {
        return items.stream().anyMatch(Diagnostic::isError);
    }

    /** In file order, so the report reads top to bottom. */
    public List<Diagnostic> all() {
        return items.stream()
                .sorted(Comparator.comparing((Diagnostic d) -> d.location().file())
                        .thenComparingInt(d -> d.location().line())
                        .thenComparingInt(d -> d.location().column()))
                .toList();
    }

    public List<Diagnostic> errors() {
        return all().stream().filter(Diagnostic::isError).toList();
    }
}
