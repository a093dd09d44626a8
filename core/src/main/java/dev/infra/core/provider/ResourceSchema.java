package dev.infra.core.provider;

import java.util.Set;

/**
 * What a provider can do with each attribute. An attribute that is neither updatable nor computed
 * forces replacement when it changes: unknown means unsafe to update in place.
 */
public record ResourceSchema(Set<String> updatable, Set<String> computed, Set<String> unordered) {

    public static ResourceSchema of(Set<String> updatable, Set<String> computed) {
        return new ResourceSchema(Set.copyOf(updatable), Set.copyOf(computed), Set.of());
    }

    /** The same schema, with list attributes whose order AWS does not keep (compared as sets). */
    public ResourceSchema withUnordered(String... attributes) {
        return new ResourceSchema(updatable, computed, Set.of(attributes));
    }

    public boolean forcesReplacement(String attribute) {
        return !updatable.contains(attribute) && !computed.contains(attribute);
    }
}
