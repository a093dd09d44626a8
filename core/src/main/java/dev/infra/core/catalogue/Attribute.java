package dev.infra.core.catalogue;

import java.util.ArrayList;
import java.util.List;

/**
 * One attribute of a resource type: whether a spec must, may or cannot give it, whether a change is made in place or
 * replaces the resource, its kind and AWS's rules for its values.
 *
 * @param isWriteOnly sent on create, never reported back by AWS (a secret's ARN, a deletion window): never diffed
 * @param isAbsentMeansNone an optional attribute whose absence is itself a setting (a record without a set identifier is
 *     a simple record): AWS holding one is then a change, not an attribute the spec leaves alone
 * @param isRecomputedOnUpdate a computed attribute an in-place update changes (a launch template's latest version): what
 *     refers to it is planned as unknown, so it follows
 * @param doc what the resource-types page says of it besides its kind and rules; empty when nothing
 */
public record Attribute(String name, Kind kind, Presence presence, boolean isUpdatable, boolean isWriteOnly,
                        boolean isAbsentMeansNone, boolean isRecomputedOnUpdate, List<Rule> rules, String doc) {

    /** Whether a spec must give the attribute, may give it, or leaves it to AWS. */
    public enum Presence { REQUIRED, OPTIONAL, COMPUTED }

    public Attribute {
        rules = List.copyOf(rules);
    }

    /** An attribute every spec gives; changing it replaces the resource unless {@link #updatable()}. */
    public static Attribute required(String name, Kind kind) {
        return new Attribute(name, kind, Presence.REQUIRED, false, false, false, false, List.of(), "");
    }

    /** An attribute a spec may leave out; changing it replaces the resource unless {@link #updatable()}. */
    public static Attribute optional(String name, Kind kind) {
        return new Attribute(name, kind, Presence.OPTIONAL, false, false, false, false, List.of(), "");
    }

    /** What AWS sets and reports: never in a spec, never diffed. */
    public static Attribute computed(String name, Kind kind) {
        return new Attribute(name, kind, Presence.COMPUTED, false, false, false, false, List.of(), "");
    }

    public Attribute updatable() {
        return new Attribute(name, kind, presence, true, isWriteOnly, isAbsentMeansNone, isRecomputedOnUpdate, rules, doc);
    }

    public Attribute writeOnly() {
        return new Attribute(name, kind, presence, isUpdatable, true, isAbsentMeansNone, isRecomputedOnUpdate, rules, doc);
    }

    public Attribute absentMeansNone() {
        return new Attribute(name, kind, presence, isUpdatable, isWriteOnly, true, isRecomputedOnUpdate, rules, doc);
    }

    public Attribute recomputedOnUpdate() {
        return new Attribute(name, kind, presence, isUpdatable, isWriteOnly, isAbsentMeansNone, true, rules, doc);
    }

    public Attribute rule(Rule... more) {
        List<Rule> all = new ArrayList<>(rules);
        all.addAll(List.of(more));
        return new Attribute(name, kind, presence, isUpdatable, isWriteOnly, isAbsentMeansNone, isRecomputedOnUpdate, all,
                doc);
    }

    public Attribute doc(String text) {
        return new Attribute(name, kind, presence, isUpdatable, isWriteOnly, isAbsentMeansNone, isRecomputedOnUpdate,
                rules, text);
    }

    /** Whether the planner compares it with what AWS reports. */
    public boolean diffed() {
        return presence != Presence.COMPUTED && !isWriteOnly;
    }
}
