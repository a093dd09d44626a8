package dev.infra.core.topology;

import dev.infra.core.diag.SourceLocation;
import java.util.List;
import java.util.Map;

/**
 * The VPC and what routes it: public and private subnets in each zone, an internet gateway, NAT
 * gateways, route tables and security groups.
 *
 * @param zones zone letters ({@code a}, {@code b}…), the availability zone being region + letter
 * @param publicSubnets one CIDR per zone, computed from {@code cidr} unless given
 * @param privateSubnets one CIDR per zone, computed from {@code cidr} unless given
 */
public record Network(String cidr, List<String> zones, NatGateways natGateways, boolean enableDnsHostnames,
                      List<String> publicSubnets, List<String> privateSubnets,
                      Map<String, SecurityGroup> securityGroups, SourceLocation at) {

    public enum NatGateways {
        ONE_PER_ZONE("one-per-zone"), SINGLE("single"), NONE("none");

        private final String yaml;

        NatGateways(String yaml) {
            this.yaml = yaml;
        }

        public String yaml() {
            return yaml;
        }

        public static NatGateways fromYaml(String text) {
            for (NatGateways n : values()) {
                if (n.yaml.equals(text)) {
                    return n;
                }
            }
            throw new IllegalArgumentException(text);
        }
    }

    /** The network with its VPC at {@code newCidr} (same prefix length) in {@code newZones}: subnets keep their offsets. */
    public Network moved(String newCidr, List<String> newZones) {
        return new Network(newCidr, List.copyOf(newZones), natGateways, enableDnsHostnames,
                publicSubnets.stream().map(s -> Cidrs.moved(s, cidr, newCidr)).toList(),
                privateSubnets.stream().map(s -> Cidrs.moved(s, cidr, newCidr)).toList(), securityGroups, at);
    }

    /** @param dependsOn component references this group must be created after */
    public record SecurityGroup(String name, String description, List<Rule> ingress, List<Rule> egress,
                                List<String> dependsOn, SourceLocation at) {}

    /**
     * One allowed flow. Exactly one of {@code cidr} and {@code source} (another group's name) is set.
     *
     * @param protocol tcp, udp, icmp or all
     */
    public record Rule(String protocol, int fromPort, int toPort, String cidr, String source,
                       String description, SourceLocation at) {}
}
