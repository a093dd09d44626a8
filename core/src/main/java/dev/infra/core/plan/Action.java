package dev.infra.core.plan;

/**
 * What apply will do to one resource. {@link #FORGET} is Terraform's {@code removed { lifecycle { destroy = false } }}:
 * a resource the stack adopted by name ({@link Adoption#NAMED}) that a destroy, or a topology no longer naming it,
 * leaves in AWS: apply only removes it from the state, with no provider call.
 */
public enum Action {
    CREATE("+"), UPDATE("~"), REPLACE("-/+"), DELETE("-"), FORGET("."), NO_OP(" ");

    private final String symbol;

    Action(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
