package dev.infra.core.provider;

import java.util.Set;

/**
 * What a provider can do with each attribute. An attribute that is neither updatable nor computed
 * nor write-only forces replacement when it changes: unknown means unsafe to update in place.
 *
 * @param unordered list attributes whose order AWS does not keep (compared as sets)
 * @param writeOnly attributes sent on create that AWS does not report back (never diffed)
 */
public record ResourceSchema(Set<String> updatable, Set<String> computed, Set<String> unordered,
                             Set<String> writeOnly) {

    public static ResourceSchema of(Set<String> updatable, Set<String> computed) {
        return new ResourceSchema(Set.copyOf(updatable), Set.copyOf(computed), Set.of(), Set.of());
    }

    public ResourceSchema withUnordered(String... attributes) {
        return new ResourceSchema(updatable, computed, Set.of(attributes), writeOnly);
    }

    public ResourceSchema withWriteOnly(String... attributes) {
        return new ResourceSchema(updatable, computed, unordered, Set.of(attributes));
    }

    /** Whether the planner compares this attribute with what AWS reports. */
    public boolean diffed(String attribute) {
        return !computed.contains(attribute) && !writeOnly.contains(attribute);
    }

    public boolean forcesReplacement(String attribute) {
        return !updatable.contains(attribute) && diffed(attribute);
    }
}
