package dev.infra.core.expand;

import dev.infra.core.diag.SourceLocation;
import dev.infra.core.model.Address;
import dev.infra.core.model.Ref;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Security groups and their rules, for every component that needs one. */
final class SecurityGroups {

    private SecurityGroups() {}

    /** A group in the stack's VPC named {@code <stack>-<nameSuffix>}. */
    static void group(Expansion out, Address address, String nameSuffix, String description, Set<Address> dependsOn,
                      SourceLocation at) {
        out.add(address, "aws_security_group", "sg-" + nameSuffix, Map.of(
                "vpcId", Ref.id(Addresses.VPC),
                "groupName", out.name(nameSuffix),
                "description", description), dependsOn, at);
    }

    /**
     * One rule of {@code group}; {@code peer} is a CIDR string or a {@link Ref} to another group. The
     * address is derived from what the rule allows, so reordering rules changes nothing.
     *
     * @param fromPort -1 with toPort -1 for every port (protocol "-1")
     */
    static void rule(Expansion out, Address group, String direction, String protocol, int fromPort, int toPort,
                     Object peer, String description, SourceLocation at) {
        ruleOn(out, group, Ref.id(group), direction, protocol, fromPort, toPort, peer, description, at);
    }

    /** As {@link #rule}, on a group the stack does not make ({@code groupId}: EKS's cluster group), under {@code owner}. */
    static void ruleOn(Expansion out, Address owner, Ref groupId, String direction, String protocol, int fromPort, int toPort,
                       Object peer, String description, SourceLocation at) {
        String peerKey = peer instanceof Ref r ? "sg-" + peerName(Address.parse(r.address()))
                : ((String) peer).replace('/', '_');
        String ports = fromPort < 0 ? "all" : fromPort == toPort ? "" + fromPort : fromPort + "-" + toPort;
        String proto = protocol.equals("-1") ? "all" : protocol;
        String key = direction + "-" + proto + "-" + ports + "-" + peerKey;
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("securityGroupId", groupId);
        attrs.put("direction", direction);
        attrs.put("protocol", protocol);
        attrs.put("fromPort", (long) fromPort);
        attrs.put("toPort", (long) toPort);
        attrs.put(peer instanceof Ref ? "referencedGroupId" : "cidrIpv4", peer);
        if (description != null) {
            attrs.put("description", description);
        }
        String groupSuffix = owner.path().stream().skip(1).map(a -> a.segment().replace('.', '-'))
                .collect(Collectors.joining("-"));
        out.add(owner.child("rule", key), "aws_security_group_rule", groupSuffix + "-" + key, attrs, at);
    }

    /**
     * A peer group in a rule's key, from its nearest key down: {@code network/security-group.web} → web,
     * {@code cluster.apps/cluster} → apps-cluster, {@code egress-proxy/security-group} → egress-proxy-security-group.
     */
    private static String peerName(Address group) {
        List<Address> path = group.path();
        int from = path.size() - 1;
        while (from > 0 && path.get(from).key() == null) {
            from--;
        }
        StringBuilder name = new StringBuilder(path.get(from).key() == null ? path.get(from).kind() : path.get(from).key());
        path.subList(from + 1, path.size()).forEach(a -> name.append('-').append(a.kind()));
        return name.toString();
    }
}
