package dev.infra.core.provider;

import java.util.Set;

/**
 * What a provider can do with each attribute. An attribute that is neither updatable nor computed
 * nor write-only forces replacement when it changes: unknown means unsafe to update in place.
 *
 * @param unordered list attributes whose order AWS does not keep (compared as sets)
 * @param writeOnly attributes sent on create that AWS does not report back (never diffed)
 * @param deletionProtection a Boolean attribute that, while true, makes AWS refuse deletion (or
 *     {@code null}): a plan that would delete or replace such a resource fails before anything changes
 * @param recomputedOnUpdate computed attributes an in-place update changes (a launch template's
 *     latest version): what refers to them is planned as unknown, so it follows
 * @param absentMeansNone optional attributes whose absence from a spec is itself a setting (a record without a set
 *     identifier is a simple record): AWS holding one is then a change, not an attribute the spec leaves alone
 * @param createBeforeDestroy a replacement is created first, what used the old one is pointed at it, and only then
 *     is the old one deleted: for what AWS refuses to delete while in use (a target group behind a listener). The
 *     expansion must give the replacement another name when names are unique
 */
public record ResourceSchema(Set<String> updatable, Set<String> computed, Set<String> unordered,
                             Set<String> writeOnly, String deletionProtection, Set<String> recomputedOnUpdate,
                             Set<String> absentMeansNone, boolean createBeforeDestroy) {

    public static ResourceSchema of(Set<String> updatable, Set<String> computed) {
        return new ResourceSchema(Set.copyOf(updatable), Set.copyOf(computed), Set.of(), Set.of(), null, Set.of(),
                Set.of(),
                false);
    }

    /** A type's schema: with {@code tagged}, its {@code tags} attribute is updatable like every tag map. */
    public static ResourceSchema of(boolean tagged, Set<String> updatable, Set<String> computed) {
        Set<String> all = new java.util.HashSet<>(updatable);
        if (tagged) {
            all.add("tags");
        }
        return of(all, computed);
    }

    public ResourceSchema withUnordered(String... attributes) {
        return new ResourceSchema(updatable, computed, Set.of(attributes), writeOnly, deletionProtection,
                recomputedOnUpdate, absentMeansNone, createBeforeDestroy);
    }

    public ResourceSchema withWriteOnly(String... attributes) {
        return new ResourceSchema(updatable, computed, unordered, Set.of(attributes), deletionProtection,
                recomputedOnUpdate, absentMeansNone, createBeforeDestroy);
    }

    public ResourceSchema withDeletionProtection(String attribute) {
        return new ResourceSchema(updatable, computed, unordered, writeOnly, attribute, recomputedOnUpdate,
                absentMeansNone, createBeforeDestroy);
    }

    public ResourceSchema withRecomputedOnUpdate(String... attributes) {
        return new ResourceSchema(updatable, computed, unordered, writeOnly, deletionProtection, Set.of(attributes),
                absentMeansNone, createBeforeDestroy);
    }

    public ResourceSchema withAbsentMeansNone(String... attributes) {
        return new ResourceSchema(updatable, computed, unordered, writeOnly, deletionProtection, recomputedOnUpdate,
                Set.of(attributes), createBeforeDestroy);
    }

    public ResourceSchema withCreateBeforeDestroy() {
        return new ResourceSchema(updatable, computed, unordered, writeOnly, deletionProtection, recomputedOnUpdate,
                absentMeansNone, true);
    }

    /** Whether AWS will refuse to delete a resource with these live attributes. */
    public boolean protectsFromDeletion(java.util.Map<String, Object> live) {
        return deletionProtection != null && Boolean.TRUE.equals(live.get(deletionProtection));
    }

    /** Whether the planner compares this attribute with what AWS reports. */
    public boolean diffed(String attribute) {
        return !computed.contains(attribute) && !writeOnly.contains(attribute);
    }

    public boolean forcesReplacement(String attribute) {
        return !updatable.contains(attribute) && diffed(attribute);
    }
}
