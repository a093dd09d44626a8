package dev.infra.core.expand;

import dev.infra.core.diag.SourceLocation;
import dev.infra.core.model.Ref;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Security groups and their rules, for every component that needs one. */
final class SecurityGroups {

    static final String VPC = "network/vpc";

    private SecurityGroups() {}

    /** A group in the stack's VPC named {@code <stack>-<nameSuffix>}. */
    static void group(Expansion out, String address, String nameSuffix, String description, Set<String> dependsOn,
                      SourceLocation at) {
        out.add(address, "aws_security_group", "sg-" + nameSuffix, Map.of(
                "vpcId", Ref.id(VPC),
                "groupName", out.name(nameSuffix),
                "description", description), dependsOn, at);
    }

    /**
     * One rule of {@code group}; {@code peer} is a CIDR string or a {@link Ref} to another group. The
     * address is derived from what the rule allows, so reordering rules changes nothing.
     *
     * @param fromPort -1 with toPort -1 for every port (protocol "-1")
     */
    static void rule(Expansion out, String group, String direction, String protocol, int fromPort, int toPort,
                     Object peer, String description, SourceLocation at) {
        ruleOn(out, group, Ref.id(group), direction, protocol, fromPort, toPort, peer, description, at);
    }

    /** As {@link #rule}, on a group the stack does not make ({@code groupId}: EKS's cluster group), under {@code owner}. */
    static void ruleOn(Expansion out, String owner, Ref groupId, String direction, String protocol, int fromPort, int toPort,
                       Object peer, String description, SourceLocation at) {
        String peerKey = peer instanceof Ref r ? "sg-" + r.address().substring(r.address().lastIndexOf('.') + 1)
                .replace('/', '-') : ((String) peer).replace('/', '_');
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
        String groupSuffix = owner.substring(owner.indexOf('/') + 1).replace('/', '-').replace('.', '-');
        out.add(owner + "/rule." + key, "aws_security_group_rule", groupSuffix + "-" + key, attrs, at);
    }
}
