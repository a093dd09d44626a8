package dev.infra.core.apply;

import dev.infra.core.plan.Action;
import dev.infra.core.plan.ResourceChange;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.StateRecorder;
import java.util.Optional;

/**
 * The one path by which an apply writes resources into the state: what each operation records before and after
 * its provider call, and what the plan's unchanged resources still owe the state.
 */
final class StateWrites {

    private final StateRecorder state;

    StateWrites(StateRecorder state) {
        this.state = state;
    }

    /** What the state records at {@code address} now. */
    Optional<ResourceState> resource(String address) {
        return state.resource(address);
    }

    /**
     * A resource the plan leaves as it is has no operation, but state may still lag: one adopted as it is (found by
     * its {@code infra:address} tag, state lacking it or holding only the intent record of an interrupted create)
     * must be recorded so state owns it and dependents resolve its id; one whose dependencies changed must record
     * them, as they order its deletion. Returns whether it adopted {@code c}.
     */
    boolean unchanged(ResourceChange c) {
        if (c.action() != Action.NO_OP || c.id() == null) {
            return false;
        }
        ResourceState known = state.resource(c.address()).orElse(null);
        if (known == null || !c.id().equals(known.id())) {
            state.put(ResourceState.created(c.address(), c.type(), c.id(), c.prior(), c.dependencies()));
            return true;
        }
        if (!known.dependencies().equals(c.dependencies())) {
            state.put(ResourceState.created(c.address(), c.type(), c.id(), known.attributes(), c.dependencies()));
        }
        return false;
    }

    /**
     * A resource the stack adopted by name and no longer wants ({@link Action#FORGET}): out of the state, left in AWS
     * as it is. Returns whether it forgot {@code c}.
     */
    boolean forgotten(ResourceChange c) {
        if (c.action() != Action.FORGET) {
            return false;
        }
        state.remove(c.address());
        return true;
    }

    /**
     * Whether the state holds an intent record at {@code c}'s address (asked before {@link #creating} writes this
     * create's): a create interrupted earlier, whose resource a listing read soon after may not show yet.
     */
    boolean interrupted(ResourceChange c) {
        return state.resource(c.address()).filter(r -> r.status() == ResourceState.Status.CREATING).isPresent();
    }

    /** The intent record, before a create: a crash after AWS made the resource leaves the next plan a trace. */
    void creating(ResourceChange c) {
        state.put(ResourceState.creating(c.address(), c.type(), c.dependencies()));
    }

    /** What a create or an update made {@code c}'s resource. */
    void made(ResourceChange c, LiveResource result) {
        state.put(ResourceState.created(c.address(), c.type(), result.id(), result.attributes(), c.dependencies()));
    }

    /** {@code c}'s resource is gone; replaced create-before-destroy, the address already holds its replacement. */
    void deleted(ResourceChange c) {
        ResourceState known = state.resource(c.address()).orElse(null);
        if (known == null || known.id() == null || known.id().equals(c.id())) {
            state.remove(c.address());
        }
    }
}
