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
        String k = text(kind);
        String ok = text(o.kind);
        int n = address.length() + 1 + k.length();
        int on = o.address.length() + 1 + ok.length();
        for (int i = 0; i < Math.min(n, on); i++) {
            char a = charAt(address, k, i);
            char b = charAt(o.address, ok, i);
            if (a != b) {
                return a - b;
            }
        }
        return n - on;
    }

    private static char charAt(String address, String kind, int i) {
        return i < address.length() ? address.charAt(i) : i == address.length() ? '#' : kind.charAt(i - address.length() - 1);
    }

    private static String text(Kind kind) {
        return switch (kind) {
            case CREATE -> "create";
            case UPDATE -> "update";
            case DELETE -> "delete";
        };
    }
}
