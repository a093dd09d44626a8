package dev.infra.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Where a resource sits in the topology. Its text form, {@link #toString()}, is what state files, plans and the
 * {@code infra:address} tag hold: segments joined by {@code /}, each a kind with an optional {@code .key}, the first
 * being the component the resource was expanded from.
 *
 * <pre>
 * network/vpc                                   component network, kind vpc
 * network/subnet.private-a                      kind subnet, key private-a
 * bucket.static                                 a component that is itself the resource
 * access-proxy/security-group/rule.ingress-tcp-443-0.0.0.0_0    a rule under its group
 * </pre>
 *
 * A segment splits at its first dot, so a key may hold dots (a CIDR) but no slash. The region is not part of an
 * address: each region's state holds its own, and a ref to another region's carries that region ({@link Ref#region()}).
 *
 * @param parent the address this one is under; {@code null} for a component
 * @param key {@code null} when the kind has one resource here
 */
public record Address(Address parent, String kind, String key) {

    public Address {
        if (kind == null || kind.isEmpty() || kind.contains("/") || kind.contains(".")) {
            throw new IllegalArgumentException("not a kind of resource: '" + kind + "'");
        }
        if (key != null && key.isEmpty()) {
            throw new IllegalArgumentException("empty key of " + kind);
        }
    }

    /** A component with one instance: {@code network}, {@code dns}. */
    public static Address of(String kind) {
        return new Address(null, kind, null);
    }

    /** A named component: {@code cluster.apps}, {@code bucket.static}. */
    public static Address of(String kind, String key) {
        return new Address(null, kind, key);
    }

    /** The one {@code kind} under this address: {@code network} → {@code network/vpc}. */
    public Address child(String kind) {
        return new Address(this, kind, null);
    }

    /** The {@code kind} keyed {@code key} under this address: {@code network} → {@code network/subnet.private-a}. */
    public Address child(String kind, String key) {
        return new Address(this, kind, key);
    }

    /** Reads the text form back; {@code parse(a.toString())} equals {@code a} for every key without a slash. */
    public static Address parse(String text) {
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("empty address");
        }
        Address a = null;
        for (String segment : text.split("/", -1)) {
            int dot = segment.indexOf('.');
            try {
                a = new Address(a, dot < 0 ? segment : segment.substring(0, dot), dot < 0 ? null : segment.substring(dot + 1));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("not an address: '" + text + "' (" + e.getMessage() + ")", e);
            }
        }
        return a;
    }

    /** The component the address is under, or itself: {@code cluster.apps/node-group.general} → {@code cluster.apps}. */
    public Address component() {
        return parent == null ? this : parent.component();
    }

    /** From the component down to this address, one entry a segment. */
    public List<Address> path() {
        List<Address> out = new ArrayList<>();
        for (Address a = this; a != null; a = a.parent) {
            out.add(a);
        }
        Collections.reverse(out);
        return out;
    }

    /** This address's own segment: {@code subnet.private-a}. */
    public String segment() {
        return key == null ? kind : kind + "." + key;
    }

    @Override
    public String toString() {
        return parent == null ? segment() : parent + "/" + segment();
    }
}
