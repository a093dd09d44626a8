package dev.infra.core.provider;

import java.util.Set;

/**
 * What to read: every resource of the type tagged {@code infra:stack=stack}, and the given ids
 * (from state) whatever their tags, so a resource whose tags were removed is still found.
 */
public record ReadRequest(String stack, Set<String> ids) {

    public static ReadRequest of(String stack, Set<String> ids) {
        return new ReadRequest(stack, Set.copyOf(ids));
    }
}
