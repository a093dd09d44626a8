package dev.infra.core.plan;

import dev.infra.core.provider.LiveResource;
import java.util.List;
import java.util.Map;

/**
 * One planned change.
 *
 * @param id the live resource's id (null for a create)
 * @param desired attributes to reach, refs still unresolved (apply resolves them); empty for a delete
 * @param prior the live attributes (empty for a create)
 * @param dependencies what the desired resource depends on
 * @param priorDependencies what the existing resource depended on (from state): the order of deletes
 * @param reason why, in words (new resource, forced replacement, no longer in the topology…)
 * @param adoption why a resource tagged with the stack is not in the state, when it is not (else null): the change
 *     then also takes it into the state (or, for a delete, removes what the state never knew); for a
 *     {@link Action#FORGET}, {@link Adoption#NAMED}: why the resource is left in AWS
 * @param dataLoss for a delete or replacement of a resource holding data, what goes with it ("3 objects"); else null
 */
public record ResourceChange(String address, String type, Action action, String id,
                             Map<String, Object> desired, Map<String, Object> prior,
                             List<AttributeChange> changes, List<String> dependencies,
                             List<String> priorDependencies, String reason, Adoption adoption,
                             String dataLoss) {

    public ResourceChange {
        desired = desired == null ? Map.of() : desired;
        prior = prior == null ? Map.of() : prior;
        changes = List.copyOf(changes);
        dependencies = List.copyOf(dependencies);
        priorDependencies = List.copyOf(priorDependencies);
    }

    /** This change with {@code newPrior} as its delete will see it, losing {@code lost} data (or null). */
    public ResourceChange deleting(Map<String, Object> newPrior, String lost) {
        return new ResourceChange(address, type, action, id, desired, newPrior, changes, dependencies,
                priorDependencies, reason, adoption, lost);
    }

    /**
     * The stack holding this account-wide setting when another does: the plan leaves it (a no-op without an id, which
     * the state never records); else null.
     */
    public String heldBy() {
        return action == Action.NO_OP && id == null && prior.get(LiveResource.HELD_BY) instanceof String s ? s : null;
    }

    /** Whether the change takes into the state a resource the state does not record (an adoption of any action). */
    public boolean adopts() {
        return adoption != null && action != Action.DELETE && action != Action.FORGET;
    }
}
