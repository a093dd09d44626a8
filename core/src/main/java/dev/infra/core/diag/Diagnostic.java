package dev.infra.core.diag;

/**
 * A problem found in the user's input or environment, reported as a value. Diagnostics are collected
 * and shown together; only bugs are exceptions.
 */
public sealed interface Diagnostic permits Diagnostic.Error, Diagnostic.Warning {

    String message();

    /** YAML path such as {@code network.cidr} or {@code network.securityGroups.web.ingress[0]}; empty when none. */
    String path();

    SourceLocation location();

    default boolean isError() {
        return this instanceof Error;
    }

    /** One line: {@code file:line:col: error: path: message}. */
    default String render() {
        String severity = isError() ? "error" : "warning";
        String where = path().isEmpty() ? "" : path() + ": ";
        return location() + ": " + severity + ": " + where + message();
    }

    static Diagnostic error(SourceLocation at, String path, String message) {
        return new Error(message, path, at);
    }

    static Diagnostic warning(SourceLocation at, String path, String message) {
        return new Warning(message, path, at);
    }

    record Error(String message, String path, SourceLocation location) implements Diagnostic {}

    record Warning(String message, String path, SourceLocation location) implements Diagnostic {}
}
