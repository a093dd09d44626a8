package dev.infra.core.apply;

import dev.infra.core.apply.TypicalDurations.Kind;

/**
 * One node of an {@link OperationGraph}: the resource an operation acts on and what it does to it. Its text form,
 * {@code address#create}, is the key the walk {@link Operation announces}; nodes sort as their texts do, so the walk's
 * order is the one it had when nodes were strings.
 */
record OperationKey(String address, Kind kind) implements Comparable<OperationKey> {

    static OperationKey create(String address) {
        return new OperationKey(address, Kind.CREATE);
    }

    static OperationKey update(String address) {
        return new OperationKey(address, Kind.UPDATE);
    }

    static OperationKey delete(String address) {
        return new OperationKey(address, Kind.DELETE);
    }

    @Override
    public String toString() {
        return address + "#" + text(kind);
    }

    /** Compares the text forms without building them (the graph compares nodes at every edge it adds). */
    @Override
    public int compareTo(OperationKey o) {
        int c = address.compareTo(o.address);
        if (c == 0) {
            return text(kind).compareTo(text(o.kind));
        }
        // One address a prefix of the other: the shorter's '#' meets the longer's next character.
        int shorter = Math.min(address.length(), o.address.length());
        if (address.length() != o.address.length() && address.regionMatches(0, o.address, 0, shorter)) {
            int next = address.length() > shorter ? address.charAt(shorter) - '#' : '#' - o.address.charAt(shorter);
            return next != 0 ? next : toString().compareTo(o.toString());
        }
        return c;
    }

    private static String text(Kind kind) {
        return switch (kind) {
            case CREATE -> "create";
            case UPDATE -> "update";
            case DELETE -> "delete";
        };
    }
}
