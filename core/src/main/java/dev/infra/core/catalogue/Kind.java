package dev.infra.core.catalogue;

import dev.infra.core.model.Ref;
import dev.infra.core.model.Unknown;
import java.util.List;
import java.util.Map;

/** What an attribute's value is. A {@link Ref} or an {@link Unknown} stands for a value of any kind until resolved. */
public enum Kind {
    STRING("String"),
    NUMBER("Number"),
    BOOL("Boolean"),
    /** A list whose order AWS keeps. */
    LIST("List"),
    /** A list whose order AWS does not keep: compared as a set. */
    SET("Set"),
    /** A map: tags, dimensions, or a structured value such as a key schema. */
    MAP("Map"),
    /** Another resource's id or ARN: usually a {@link Ref}, or a literal id. */
    REFERENCE("Reference");

    private final String word;

    Kind(String word) {
        this.word = word;
    }

    /** How the resource-types page names it. */
    public String word() {
        return word;
    }

    /** Whether {@code value} is of this kind (refs and unknowns are, until resolved). */
    public boolean admits(Object value) {
        if (value instanceof Ref || value instanceof Unknown) {
            return true;
        }
        return switch (this) {
            case STRING, REFERENCE -> value instanceof String;
            case NUMBER -> value instanceof Number;
            case BOOL -> value instanceof Boolean;
            case LIST, SET -> value instanceof List<?>;
            case MAP -> value instanceof Map<?, ?>;
        };
    }
}
