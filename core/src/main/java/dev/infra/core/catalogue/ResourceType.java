package dev.infra.core.catalogue;

import dev.infra.core.provider.ResourceSchema;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A resource type's entry in the catalogue, as data: its attributes (with AWS's rules for their values) and its
 * traits. Its provider declares it; the provider's {@link ResourceSchema} is derived from it, and every expanded spec
 * is checked against it before anything is planned.
 *
 * @param attributes by name, in the order the resource-types page lists them; {@code tags} is implied by
 *     {@link Trait#TAGGED}
 * @param deletionProtection the Boolean attribute that, while true, makes AWS refuse deletion; null: none
 * @param id what the resource's id is, for the resource-types page
 * @param notes what the page says of the type besides its attributes
 */
public record ResourceType(String name, Map<String, Attribute> attributes, Set<Trait> traits, String deletionProtection,
                           String id, String notes) {

    public static final String TAGS = "tags";

    public ResourceType {
        attributes = Collections.unmodifiableMap(new LinkedHashMap<>(attributes));
        traits = traits.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(traits));
    }

    public static ResourceType of(String name, Attribute... attributes) {
        Map<String, Attribute> byName = new LinkedHashMap<>();
        for (Attribute a : attributes) {
            if (byName.put(a.name(), a) != null || a.name().equals(TAGS)) {
                throw new IllegalArgumentException(name + ": attribute " + a.name() + " declared twice");
            }
        }
        return new ResourceType(name, byName, Set.of(), null, "", "");
    }

    public ResourceType with(Trait... more) {
        Set<Trait> all = EnumSet.noneOf(Trait.class);
        all.addAll(traits);
        all.addAll(List.of(more));
        return new ResourceType(name, attributes, all, deletionProtection, id, notes);
    }

    public ResourceType deletionProtection(String attribute) {
        if (!attributes.containsKey(attribute)) {
            throw new IllegalArgumentException(name + ": no attribute " + attribute);
        }
        return new ResourceType(name, attributes, traits, attribute, id, notes);
    }

    public ResourceType id(String text) {
        return new ResourceType(name, attributes, traits, deletionProtection, text, notes);
    }

    public ResourceType notes(String text) {
        return new ResourceType(name, attributes, traits, deletionProtection, id, text);
    }

    public boolean has(Trait trait) {
        return traits.contains(trait);
    }

    public Optional<Attribute> attribute(String attribute) {
        return Optional.ofNullable(attributes.get(attribute));
    }

    /** What the planner needs of the entry: the same sets the providers used to declare one by one. */
    public ResourceSchema schema() {
        Set<String> updatable = names(Attribute::isUpdatable);
        if (has(Trait.TAGGED)) {
            updatable.add(TAGS);
        }
        ResourceSchema s = ResourceSchema.of(updatable, names(a -> a.presence() == Attribute.Presence.COMPUTED))
                .withUnordered(names(a -> a.kind() == Kind.SET).toArray(String[]::new))
                .withWriteOnly(names(Attribute::isWriteOnly).toArray(String[]::new))
                .withRecomputedOnUpdate(names(Attribute::isRecomputedOnUpdate).toArray(String[]::new))
                .withAbsentMeansNone(names(Attribute::isAbsentMeansNone).toArray(String[]::new))
                .withDeletionProtection(deletionProtection);
        return has(Trait.CREATE_BEFORE_DESTROY) ? s.withCreateBeforeDestroy() : s;
    }

    private Set<String> names(Predicate<Attribute> which) {
        return attributes.values().stream().filter(which).map(Attribute::name)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
