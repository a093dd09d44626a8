package dev.infra.core.plan;

/**
 * Why a plan takes a live resource into the state (or deletes one) that the state does not record: the resource
 * carries this stack's {@code infra:address} tag, and the state, as this run reads it, does not know it; or it is an
 * account-wide setting the stack borrows.
 */
public enum Adoption {
    /** The state holds the intent record of a create whose id it never learnt. */
    INTERRUPTED("an apply was interrupted after creating it, before recording it"),
    /** No state exists for the stack in this region where this run looks for it. */
    STATE_MISSING("there is no state for this stack here: it is lost, or kept elsewhere (another --state-dir or"
            + " backend); if it is elsewhere, plan with that instead"),
    /** A state exists but does not record this resource. */
    NOT_IN_STATE("the state does not record it: an apply stopped before recording it, or the state was restored"
            + " from an older copy"),
    /** A setting the account has one of per region, which no stack holds: the stack borrows it. */
    BORROWED("the account has one per region: the stack borrows it, records what it is now, and destroy puts that"
            + " back"),
    /** An existing resource the topology names (dns.zoneId): used, never owned; destroy leaves it. */
    NAMED("the topology names it: the stack uses it as it is and destroy leaves it");

    private final String cause;

    Adoption(String cause) {
        this.cause = cause;
    }

    /** The cause in words, for the plan. */
    public String cause() {
        return cause;
    }
}
