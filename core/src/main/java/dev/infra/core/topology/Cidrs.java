package dev.infra.core.topology;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/** IPv4 CIDR checks and subnetting, on top of the ipaddress library. */
public final class Cidrs {

    private Cidrs() {}

    /** The parsed block, or empty when {@code text} is not an IPv4 CIDR block. */
    public static Optional<IPAddress> parse(String text) {
        IPAddress a = new IPAddressString(text).getAddress();
        if (a == null || !a.isIPv4() || a.getNetworkPrefixLength() == null) {
            return Optional.empty();
        }
        return Optional.of(a);
    }

    /** Whether the address has no bits set past its prefix (10.0.0.0/16, not 10.0.0.1/16). */
    public static boolean isNetworkAddress(IPAddress block) {
        return block.getLower().withoutPrefixLength().equals(block.toPrefixBlock().getLower().withoutPrefixLength());
    }

    public static String canonical(IPAddress block) {
        return block.toPrefixBlock().toCanonicalString();
    }

    public static boolean overlaps(IPAddress a, IPAddress b) {
        return a.toPrefixBlock().contains(b.toPrefixBlock()) || b.toPrefixBlock().contains(a.toPrefixBlock());
    }

    /** The first {@code count} blocks of length {@code prefix} inside {@code block}, starting at block {@code offset}. */
    public static List<String> subnets(IPAddress block, int prefix, int offset, int count) {
        Iterator<? extends IPAddress> it = block.toPrefixBlock().setPrefixLength(prefix, false).prefixBlockIterator();
        List<String> out = new ArrayList<>();
        for (int i = 0; it.hasNext() && out.size() < count; i++) {
            IPAddress next = it.next();
            if (i >= offset) {
                out.add(next.toCanonicalString());
            }
        }
        return out;
    }
}
