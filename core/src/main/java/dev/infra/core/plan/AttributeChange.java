package dev.infra.core.plan;

/**
 * One attribute's before and after. {@code after} may be {@link dev.infra.core.model.Unknown#VALUE}.
 * Null {@code before} means "not set".
 */
public record AttributeChange(String name, Object before, Object after, boolean forcesReplacement) {}
