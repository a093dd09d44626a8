package dev.infra.core.provider;

import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One AWS resource type, shaped like an OpenTofu provider resource: read / plan / create / update /
 * delete. Expected AWS failures surface as {@link ProviderException}s naming the resource address.
 * Specs handed to create and update are resolved: they hold no refs or unknowns.
 */
public interface ResourceProvider {

    /** The type name resources use, e.g. {@code aws_vpc}. */
    String type();

    ResourceSchema schema();

    /**
     * The type's catalogue entry, from which {@link #schema} is derived: every spec of the type is checked against it
     * before a plan. Empty for a provider that declares none (test doubles).
     */
    default Optional<ResourceType> entry() {
        return Optional.empty();
    }

    /** Batched read of everything the request names: about one API call per type, not one per resource. */
    List<LiveResource> readAll(ReadRequest request);

    /**
     * Looks for an existing resource for this spec (by its {@code infra:address} tag or its natural key)
     * before creating it, so that a create that was interrupted or retried is adopted, not duplicated.
     */
    Optional<LiveResource> findExisting(String stack, ResourceSpec spec);

    /**
     * Whether {@link #findExisting} finds only what {@link #readAll}'s stack listing would show tagged with the spec's
     * address (the type is found by its tags alone, never by a natural key): then a create that a plan read in the same
     * run found absent, under the lock held since, has nothing for {@code findExisting} to find, and the apply skips
     * it. False by default: a type found by its name also finds an untagged resource the listing cannot show.
     */
    default boolean foundByTagsAlone() {
        return false;
    }

    LiveResource create(ResourceSpec spec, OperationContext ctx);

    /**
     * Brings {@code current} to {@code spec}, changing the attributes {@code changed} names and no other.
     *
     * <p>{@code current} is the resource as AWS had it when the plan read it (or as {@link #findExisting} found it, for
     * an adoption), not the state's record. {@code changed} names the attributes, {@code tags} included, whose value in
     * {@code spec} differs from {@code current}'s as the planner compares them ({@code Planner.diff}: sets as sets,
     * numbers by value, a value unknown at plan time as a change); it holds only updatable ones, never one that forces
     * a replacement. It is the one answer to "what does this update change": a provider neither compares {@code spec}
     * with {@code current} again nor reads the resource again to decide. It may read the resource again for what its
     * calls need that {@code current} lacks (a lock token, a status to wait on, the rest of a structure AWS replaces
     * whole), and to leave out of {@code changed} what another operation of this apply did already (a Global Datastore's
     * secondary follows its primary's change) — never to add to it. A type whose update is one call that replaces the
     * whole resource (a Put) may send the whole spec whatever {@code changed} says.
     */
    LiveResource update(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx);

    /**
     * Deletes the resource and waits until it is gone. Deleting what is already gone succeeds. A resource holding data
     * ({@link #heldData}) takes it along only when {@code current} says {@link HeldData#FORCE_DESTROY}; otherwise
     * AWS's refusal to delete it stands.
     */
    void delete(LiveResource current, OperationContext ctx);

    /**
     * What AWS would refuse of bringing {@code current} to {@code desired}, for the rules that depend on what the
     * resource is now (an EKS cluster goes up one minor version per update; DynamoDB takes one TTL change an hour).
     * The planner asks for each UPDATE and REPLACE and fails the plan, before anything changes, with every reason at
     * its spec's origin. {@code desired} holds the resolved attributes the plan compares (a value may be
     * {@link dev.infra.core.model.Unknown}); each reason names the attribute, AWS's rule and what to do instead. Rules
     * on a value alone (a name's length) are not asked here: validate checks those. May read AWS; empty by default.
     */
    default List<String> refusals(LiveResource current, Map<String, Object> desired) {
        return List.of();
    }

    /**
     * What this machine lacks to read or change resources of this type (a program the provider runs, such as Helm), as
     * one line saying what to install; empty when nothing is missing. The planner asks for every type the topology or
     * the state has, before it reads anything, and fails the plan with it.
     */
    default Optional<String> prerequisite() {
        return Optional.empty();
    }

    /**
     * Whether the account has one of these per region (GuardDuty's detector, EBS encryption by default): a stack borrows
     * it, never owns it. A plan that would create one asks {@link #findExisting} first: found, it is borrowed (the
     * provider records what it was, and its delete puts that back), or left alone when another stack holds it
     * ({@link LiveResource#HELD_BY}).
     */
    default boolean singleton() {
        return false;
    }

    /**
     * Whether {@code spec} names an existing resource the stack is to use rather than make (a hosted zone by its id):
     * the plan looks it up with {@link #findExisting}, so a wrong name fails the plan at the spec's YAML origin.
     */
    default boolean adoptsNamed(ResourceSpec spec) {
        return named(spec.attributes()).isPresent();
    }

    /**
     * The id of the existing resource that {@code attributes} (a spec's, or what the state recorded of one) name for
     * the stack to use rather than make; empty for one the stack makes. The provider records it with the resource, so
     * the plan knows from the state alone what the stack adopted: a destroy, or a topology that drops it, forgets it
     * ({@link dev.infra.core.plan.Action#FORGET}: out of the state, left in AWS, never deleted), and a spec naming
     * another one than the state records is refused.
     */
    default Optional<String> named(Map<String, Object> attributes) {
        return Optional.empty();
    }

    /**
     * What deleting {@code live} would lose, asked at plan time for each delete and replacement only (it may cost a
     * call); empty for types that hold no data, and for an empty resource.
     */
    default Optional<HeldData> heldData(LiveResource live) {
        return Optional.empty();
    }
}
