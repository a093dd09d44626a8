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

    static Network bind(YMap n, String region, Diagnostics diags) {
        String cidrText = text(n.get("cidr"));
        IPAddress vpc = checkBlock(cidrText, n.get("cidr"), "network.cidr", diags);
        List<String> zones = zones(n.get("zones"), region, diags);
        NatGateways nat = NatGateways.fromYaml(TopologyLoader.text(n.get("natGateways"), "one-per-zone"));
        boolean dnsHostnames = !"false".equals(text(n.get("enableDnsHostnames")));

        List<String> publicSubnets = List.of();
        List<String> privateSubnets = List.of();
        if (vpc != null) {
            int prefix = n.get("subnetPrefixLength") instanceof YScalar s
                    ? (int) ShapeChecker.parseLong(s.text()) : Math.min(vpc.getNetworkPrefixLength() + 4, MAX_PREFIX);
            privateSubnets = subnetList(n, "privateSubnets", vpc, prefix, 0, zones, diags);
            publicSubnets = subnetList(n, "publicSubnets", vpc, prefix, 1, zones, diags);
            checkNoOverlap(n, publicSubnets, privateSubnets, diags);
        }
        Map<String, SecurityGroup> groups = securityGroups(n.get("securityGroups"), diags);
        return new Network(vpc == null ? cidrText : Cidrs.canonical(vpc), zones, nat, dnsHostnames,
                publicSubnets, privateSubnets, groups, n.at());
    }

    private static IPAddress checkBlock(String text, YNode node, String path, Diagnostics diags) {
        IPAddress block = Cidrs.parse(text).orElse(null);
        SourceLocation at = node.at();
        if (block == null) {
            diags.error(at, path, "'" + text + "' is not a valid IPv4 CIDR block");
            return null;
        }
        int p = block.getNetworkPrefixLength();
        if (p < MIN_PREFIX || p > MAX_PREFIX) {
            diags.error(at, path, "'" + text + "': AWS allows block sizes from /" + MIN_PREFIX + " to /" + MAX_PREFIX);
            return null;
        }
        if (!Cidrs.isNetworkAddress(block)) {
            diags.error(at, path, "'" + text + "' has host bits set; did you mean '" + Cidrs.canonical(block) + "'?");
            return null;
        }
        return block;
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
            if (z.length() > 1 && !z.startsWith(region)) {
                diags.error(item.at(), "network.zones", "zone '" + z + "' is not in region " + region);
                continue;
            }
            String letter = z.substring(z.length() - 1);
            if (out.contains(letter)) {
                diags.error(item.at(), "network.zones", "zone '" + z + "' is listed twice");
            } else {
                out.add(letter);
            }
        }
        if (out.isEmpty()) {
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
     */
    private static List<String> subnetList(YMap n, String key, IPAddress vpc, int prefix, int half,
                                           List<String> zones, Diagnostics diags) {
        String path = "network." + key;
        YNode given = n.get(key);
        if (given instanceof YSeq seq) {
            if (seq.items().size() != zones.size()) {
                diags.error(seq.at(), path, "lists " + seq.items().size() + " subnets but the network has "
                        + zones.size() + " zones; give one per zone");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < seq.items().size(); i++) {
                YNode item = seq.items().get(i);
                IPAddress b = checkBlock(text(item), item, path + "[" + i + "]", diags);
                if (b != null && !vpc.toPrefixBlock().contains(b)) {
                    diags.error(item.at(), path + "[" + i + "]", "'" + text(item) + "' is outside the VPC block "
                            + Cidrs.canonical(vpc));
                }
                out.add(b == null ? text(item) : Cidrs.canonical(b));
            }
            return out;
        }
        if (prefix < vpc.getNetworkPrefixLength()) {
            diags.error(at(n.get("subnetPrefixLength"), n.at()), "network.subnetPrefixLength",
                    "/" + prefix + " subnets do not fit in the VPC block " + Cidrs.canonical(vpc));
            return List.of();
        }
        int blocks = 1 << (prefix - vpc.getNetworkPrefixLength());
        if (zones.size() * 2 > blocks) {
            diags.error(at(n.get("zones"), n.at()), "network.zones", zones.size() + " zones need "
                    + zones.size() * 2 + " subnets of /" + prefix + " but " + Cidrs.canonical(vpc) + " holds only "
                    + blocks + "; use a larger VPC block or a longer subnetPrefixLength");
            return List.of();
        }
        return Cidrs.subnets(vpc, prefix, half * blocks / 2, zones.size());
    }

    private static void checkNoOverlap(YMap n, List<String> publicSubnets, List<String> privateSubnets, Diagnostics diags) {
        List<String> all = new ArrayList<>(privateSubnets);
        all.addAll(publicSubnets);
        for (int i = 0; i < all.size(); i++) {
            for (int j = i + 1; j < all.size(); j++) {
                IPAddress a = Cidrs.parse(all.get(i)).orElse(null);
                IPAddress b = Cidrs.parse(all.get(j)).orElse(null);
                if (a != null && b != null && Cidrs.overlaps(a, b)) {
                    String key = j < privateSubnets.size() ? "privateSubnets" : "publicSubnets";
                    diags.error(at(n.get(key), n.at()), "network." + key,
                            "subnet " + all.get(j) + " overlaps " + all.get(i));
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
            if (cidr != null && Cidrs.parse(cidr).isEmpty()) {
                diags.error(r.get("cidr").at(), p + ".cidr", "'" + cidr + "' is not a valid IPv4 CIDR block");
            } else if (cidr != null && !Cidrs.isNetworkAddress(Cidrs.parse(cidr).get())) {
                diags.error(r.get("cidr").at(), p + ".cidr", "'" + cidr + "' has host bits set; did you mean '"
                        + Cidrs.canonical(Cidrs.parse(cidr).get()) + "'?");
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
        String[] parts = text.split("-");
        int from = Integer.parseInt(parts[0]);
        int to = parts.length > 1 ? Integer.parseInt(parts[1]) : from;
        if (from > 65535 || to > 65535 || from > to) {
            diags.error(node.at(), path + ".ports", "'" + text + "' is not a port range between 0 and 65535");
        }
        return new int[] {from, to};
    }
}
