package dev.infra.core.plan;

/** What apply will do to one resource. */
public enum Action {
    CREATE("+"), UPDATE("~"), REPLACE("-/+"), DELETE("-"), NO_OP(" ");

    private final String symbol;

    Action(String symbol) {
        this.symbol = symbol;
    }

    public String symbol() {
        return symbol;
    }
}
