package dev.infra.core.topology;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.ipv4.IPv4Address;
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

    /**
     * What is wrong with {@code text} as a block of /{@code minPrefix} to /{@code maxPrefix} without host bits, with
     * a block that is right where one can be guessed; empty when nothing is.
     */
    static Optional<Shape.Finding> problem(String text, int minPrefix, int maxPrefix) {
        IPAddress block = parse(text).orElse(null);
        if (block == null) {
            return Shape.Finding.error("'" + text + "' is not a valid IPv4 CIDR block");
        }
        int p = block.getNetworkPrefixLength();
        if (p < minPrefix || p > maxPrefix) {
            // The suggestion keeps the address and takes the nearest allowed size, so it is a valid block itself.
            int allowed = Math.max(minPrefix, Math.min(maxPrefix, p));
            return Shape.Finding.error("'" + text + "': AWS allows block sizes from /" + minPrefix + " to /" + maxPrefix
                    + "; did you mean '" + canonical(block.setPrefixLength(allowed, false)) + "'?");
        }
        if (!isNetworkAddress(block)) {
            return Shape.Finding.error("'" + text + "' has host bits set; did you mean '" + canonical(block) + "'?");
        }
        return Optional.empty();
    }

    /** A block the shape check has accepted. */
    static IPAddress block(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("not a CIDR block: " + text));
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

    /** {@code subnet} moved with its VPC from {@code fromVpc} to {@code toVpc} (same prefix length): the same offset inside. */
    public static String moved(String subnet, String fromVpc, String toVpc) {
        IPv4Address s = parse(subnet).orElseThrow().toIPv4();
        int shift = lower(toVpc) - lower(fromVpc);
        return new IPv4Address(s.intValue() + shift, s.getNetworkPrefixLength()).toPrefixBlock().toCanonicalString();
    }

    /**
     * The next block as long as {@code like}, after it in its private range (10/8, 172.16/12, 192.168/16; else its /8)
     * and wrapping around, that overlaps none of {@code taken}: a replica region's VPC (10.40/16 → 10.41/16), so the
     * regions can later be peered.
     */
    public static Optional<String> firstFree(String like, List<String> taken) {
        IPAddress block = parse(like).orElseThrow().toPrefixBlock();
        int prefix = block.getNetworkPrefixLength();
        IPAddress range = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16").stream()
                .map(r -> parse(r).orElseThrow()).filter(r -> r.contains(block)).findFirst()
                .orElse(block.setPrefixLength(Math.min(8, prefix), false).toPrefixBlock());
        List<IPAddress> used = taken.stream().map(t -> parse(t).orElseThrow()).toList();
        List<IPAddress> before = new ArrayList<>();
        Iterator<? extends IPAddress> it = range.setPrefixLength(prefix, false).prefixBlockIterator();
        boolean after = false;
        while (it.hasNext()) {
            IPAddress candidate = it.next();
            if (!after) {
                after = candidate.equals(block);
                before.add(candidate);
            } else if (free(candidate, used)) {
                return Optional.of(candidate.toCanonicalString());
            }
        }
        return before.stream().filter(c -> free(c, used)).findFirst().map(IPAddress::toCanonicalString);
    }

    private static boolean free(IPAddress candidate, List<IPAddress> used) {
        return used.stream().noneMatch(t -> overlaps(t, candidate));
    }

    private static int lower(String block) {
        return parse(block).orElseThrow().toPrefixBlock().getLower().toIPv4().intValue();
    }
}
