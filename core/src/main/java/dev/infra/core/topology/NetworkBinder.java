package dev.infra.core.topology;

import static dev.infra.core.topology.TopologyLoader.at;
import static dev.infra.core.topology.TopologyLoader.items;
import static dev.infra.core.topology.TopologyLoader.text;

import dev.infra.core.diag.Diagnostics;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.topology.Network.NatGateways;
import dev.infra.core.topology.Network.Rule;
import dev.infra.core.topology.Network.SecurityGroup;
import dev.infra.core.yaml.YNode;
import dev.infra.core.yaml.YNode.YMap;
import dev.infra.core.yaml.YNode.YScalar;
import dev.infra.core.yaml.YNode.YSeq;
import inet.ipaddr.IPAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Semantic checks of {@code network:} and its binding to {@link Network}. */
final class NetworkBinder {

    /** AWS allows VPC and subnet blocks between /16 and /28. */
    static final int MIN_PREFIX = 16;
    static final int MAX_PREFIX = 28;

    private NetworkBinder() {}

    static Network bind(YMap n, String region, ShapeChecker.Result shape, Diagnostics diags) {
        String cidr = text(n.get("cidr"));
        IPAddress vpc = cidr == null ? null : Cidrs.block(cidr);
        List<String> zones = zones(n.get("zones"), region, diags);
        NatGateways nat = NatGateways.fromYaml(TopologyLoader.text(n.get("natGateways"), "one-per-zone"));
        boolean dnsHostnames = !"false".equals(text(n.get("enableDnsHostnames")));

        List<Subnet> publicSubnets = List.of();
        List<Subnet> privateSubnets = List.of();
        if (vpc != null) {
            int prefix = n.get("subnetPrefixLength") instanceof YScalar s
                    ? (int) ShapeChecker.parseLong(s.text()) : Math.min(vpc.getNetworkPrefixLength() + 4, MAX_PREFIX);
            // With the zones or the subnet size refused, their defaults are not to be blamed for what does not fit.
            boolean zonesGiven = !shape.refused("network.zones");
            boolean sized = zonesGiven && !shape.refused("network.subnetPrefixLength");
            privateSubnets = subnetList(n, "privateSubnets", vpc, prefix, 0, zones, zonesGiven, sized, diags);
            publicSubnets = subnetList(n, "publicSubnets", vpc, prefix, 1, zones, zonesGiven, sized, diags);
            checkNoOverlap(privateSubnets, publicSubnets, diags);
        }
        Map<String, SecurityGroup> groups = securityGroups(n.get("securityGroups"), diags);
        return new Network(vpc == null ? null : Cidrs.canonical(vpc), zones, nat, dnsHostnames,
                blocks(publicSubnets), blocks(privateSubnets), groups, n.at());
    }

    /**
     * A subnet's block and where it comes from: an item of {@code privateSubnets}/{@code publicSubnets}, or computed.
     *
     * @param path the item's YAML path, or the list's when computed
     */
    private record Subnet(String block, String kind, String zone, boolean given, String path, SourceLocation at) {

        String describe() {
            return given ? path + " (" + block + ")" : "the computed " + kind + " subnet of zone " + zone + " (" + block + ")";
        }
    }

    private static List<String> blocks(List<Subnet> subnets) {
        return subnets.stream().map(Subnet::block).toList();
    }

    private static List<String> zones(YNode node, String region, Diagnostics diags) {
        if (node == null) {
            return letters(3);
        }
        if (node instanceof YScalar s) {
            return letters((int) ShapeChecker.parseLong(s.text()));
        }
        List<String> out = new ArrayList<>();
        for (YNode item : items(node)) {
            String z = text(item);
            String letter = z.substring(z.length() - 1);
            if (z.length() > 1 && region != null && !z.equals(region + letter)) {
                diags.error(item.at(), "network.zones", "zone '" + z + "' is not in region " + region);
                continue;
            }
            if (out.contains(letter)) {
                diags.error(item.at(), "network.zones", "zone '" + z + "' is listed twice");
            } else {
                out.add(letter);
            }
        }
        if (items(node).isEmpty()) {
            diags.error(node.at(), "network.zones", "at least one zone is required");
        }
        return out;
    }

    private static List<String> letters(int count) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(String.valueOf((char) ('a' + i)));
        }
        return out;
    }

    /**
     * Given subnets are checked; otherwise the VPC block is cut into blocks of {@code prefix}: private
     * subnets take the first half, public ones the second, so adding a zone adds subnets and moves none.
     * {@code zonesGiven}: the zones are the user's, so a list of subnets must match them; {@code sized}: the subnet
     * size too, so the subnets must fit.
     */
    private static List<Subnet> subnetList(YMap n, String key, IPAddress vpc, int prefix, int half, List<String> zones,
                                           boolean zonesGiven, boolean sized, Diagnostics diags) {
        String path = "network." + key;
        String kind = half == 0 ? "private" : "public";
        YNode given = n.get(key);
        List<Subnet> out = new ArrayList<>();
        if (given instanceof YSeq seq) {
            if (zonesGiven && seq.items().size() != zones.size()) {
                diags.error(seq.at(), path, "lists " + seq.items().size() + " subnets but the network has "
                        + zones.size() + " zones; give one per zone");
            }
            for (int i = 0; i < seq.items().size(); i++) {
                YNode item = seq.items().get(i);
                IPAddress b = Cidrs.block(text(item));
                if (!vpc.toPrefixBlock().contains(b)) {
                    diags.error(item.at(), path + "[" + i + "]", "'" + text(item) + "' is outside the VPC block "
                            + Cidrs.canonical(vpc));
                }
                out.add(new Subnet(Cidrs.canonical(b), kind, i < zones.size() ? zones.get(i) : "?", true,
                        path + "[" + i + "]", item.at()));
            }
            return out;
        }
        int vpcPrefix = vpc.getNetworkPrefixLength();
        if (prefix < vpcPrefix) {
            diags.error(at(n.get("subnetPrefixLength"), n.at()), "network.subnetPrefixLength",
                    "/" + prefix + " subnets do not fit in the VPC block " + Cidrs.canonical(vpc));
            return out;
        }
        int blocks = 1 << (prefix - vpcPrefix);
        if (zones.size() * 2 > blocks) {
            if (sized && half == 0) {
                diags.error(at(n.get("zones"), n.at()), "network.zones", zones.size() + " zones need "
                        + zones.size() * 2 + " subnets of /" + prefix + " but " + Cidrs.canonical(vpc) + " holds only "
                        + blocks + ": use " + String.join(", or ", fits(zones.size(), vpcPrefix, prefix, blocks)));
            }
            return out;
        }
        List<String> cidrs = Cidrs.subnets(vpc, prefix, half * blocks / 2, zones.size());
        for (int i = 0; i < cidrs.size(); i++) {
            out.add(new Subnet(cidrs.get(i), kind, zones.get(i), false, path, at(n.get("cidr"), n.at())));
        }
        return out;
    }

    /** Ways to fit {@code zones} zones: longer subnets, a larger VPC block, fewer zones (only those AWS allows). */
    private static List<String> fits(int zones, int vpcPrefix, int prefix, int blocks) {
        int bits = 32 - Integer.numberOfLeadingZeros(zones * 2 - 1);
        List<String> ways = new ArrayList<>();
        if (vpcPrefix + bits <= MAX_PREFIX) {
            ways.add("subnetPrefixLength " + (vpcPrefix + bits));
        }
        if (prefix - bits >= MIN_PREFIX) {
            ways.add("a /" + (prefix - bits) + " VPC block");
        }
        if (blocks >= 2) {
            ways.add("at most " + blocks / 2 + (blocks == 2 ? " zone" : " zones"));
        }
        return ways;
    }

    /** No two subnets may overlap; the error is at the given one (a computed subnet has no line of its own). */
    private static void checkNoOverlap(List<Subnet> privateSubnets, List<Subnet> publicSubnets, Diagnostics diags) {
        List<Subnet> all = new ArrayList<>(privateSubnets);
        all.addAll(publicSubnets);
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                Subnet a = all.get(i);
                Subnet b = all.get(j);
                if (Cidrs.overlaps(Cidrs.block(a.block()), Cidrs.block(b.block()))) {
                    Subnet at = b.given() ? b : a;
                    Subnet other = at == b ? a : b;
                    diags.error(at.at(), at.path(), "subnet " + at.block() + " overlaps " + other.describe());
                }
            }
        }
    }

    private static Map<String, SecurityGroup> securityGroups(YNode node, Diagnostics diags) {
        Map<String, SecurityGroup> out = new LinkedHashMap<>();
        if (!(node instanceof YMap groups)) {
            return out;
        }
        Set<String> names = groups.entries().keySet();
        groups.entries().forEach((name, e) -> {
            YMap g = (YMap) e.value();
            String path = "network.securityGroups." + name;
            List<Rule> ingress = rules(g.get("ingress"), path + ".ingress", names, diags);
            List<Rule> egress = rules(g.get("egress"), path + ".egress", names, diags);
            List<String> dependsOn = new ArrayList<>();
            List<YNode> deps = items(g.get("dependsOn"));
            for (int i = 0; i < deps.size(); i++) {
                String ref = text(deps.get(i));
                String prefix = "network.securityGroups.";
                String target = ref.startsWith(prefix) ? ref.substring(prefix.length()) : null;
                if (target == null || !names.contains(target)) {
                    Set<String> others = new LinkedHashSet<>(names);
                    others.remove(name);
                    String wanted = ref.substring(ref.lastIndexOf('.') + 1);
                    diags.error(deps.get(i).at(), path + ".dependsOn[" + i + "]", "'" + ref + "' names no component"
                            + Names.closest(wanted, others).map(c -> "; did you mean '" + prefix + c + "'?").orElse(""));
                } else {
                    dependsOn.add(target);
                }
            }
            String description = TopologyLoader.text(g.get("description"), "infra security group " + name);
            out.put(name, new SecurityGroup(name, description, ingress, egress, dependsOn, e.value().at()));
        });
        return out;
    }

    private static List<Rule> rules(YNode node, String path, Set<String> groupNames, Diagnostics diags) {
        List<Rule> out = new ArrayList<>();
        Map<String, Integer> flows = new java.util.HashMap<>();
        List<YNode> list = items(node);
        for (int i = 0; i < list.size(); i++) {
            YMap r = (YMap) list.get(i);
            String p = path + "[" + i + "]";
            String protocol = TopologyLoader.text(r.get("protocol"), "tcp");
            String cidr = text(r.get("cidr"));
            String source = text(r.get("source"));
            if ((cidr == null) == (source == null)) {
                diags.error(r.at(), p, "give exactly one of 'cidr' and 'source'");
            }
            if (source != null && !groupNames.contains(source)) {
                diags.error(r.get("source").at(), p + ".source", "no security group named '" + source + "'"
                        + Names.didYouMean(source, groupNames));
            }
            int[] ports = ports(r, protocol, p, diags);
            // The same flow twice would be the same AWS rule (and the same resource address).
            String flow = protocol + " " + ports[0] + "-" + ports[1] + " " + (cidr != null ? cidr : "sg:" + source);
            Integer first = flows.putIfAbsent(flow, i);
            if (first != null) {
                diags.error(r.at(), p, "allows the same flow as " + path.substring(path.lastIndexOf('.') + 1)
                        + "[" + first + "]");
            }
            out.add(new Rule(protocol, ports[0], ports[1], cidr, source, text(r.get("description")), r.at()));
        }
        return out;
    }

    private static int[] ports(YMap r, String protocol, String path, Diagnostics diags) {
        YNode node = r.get("ports");
        if (node == null) {
            if (protocol.equals("tcp") || protocol.equals("udp")) {
                diags.error(r.at(), path, "'ports' is required for " + protocol);
            }
            return new int[] {-1, -1};
        }
        if (protocol.equals("all")) {
            diags.error(node.at(), path + ".ports", "protocol 'all' covers every port; remove 'ports'");
        }
        String text = text(node);
        if (node instanceof YScalar s && s.type() == YNode.ScalarType.INTEGER) {
            // 443, 0x1BB or 4_43: the shape check has read it and kept it between 0 and 65535.
            int port = (int) ShapeChecker.parseLong(text);
            return new int[] {port, port};
        }
        // A range the shape check has found in order and in range.
        String[] parts = text.split("-");
        int from = Integer.parseInt(parts[0]);
        return new int[] {from, parts.length > 1 ? Integer.parseInt(parts[1]) : from};
    }
}
