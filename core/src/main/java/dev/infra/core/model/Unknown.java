package dev.infra.core.model;

/** A value that will only be known after apply (the id of a resource not yet created). */
public enum Unknown {
    VALUE;

    @Override
    public String toString() {
        return "(known after apply)";
    }
}
