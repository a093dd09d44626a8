package dev.infra.core.topology;

import static dev.infra.core.topology.Shape.bool;
import static dev.infra.core.topology.Shape.either;
import static dev.infra.core.topology.Shape.integer;
import static dev.infra.core.topology.Shape.listOf;
import static dev.infra.core.topology.Shape.mapOf;
import static dev.infra.core.topology.Shape.obj;
import static dev.infra.core.topology.Shape.oneOf;
import static dev.infra.core.topology.Shape.optional;
import static dev.infra.core.topology.Shape.pattern;
import static dev.infra.core.topology.Shape.required;
import static dev.infra.core.topology.Shape.str;
import static dev.infra.core.topology.Shape.tagMap;

/** The topology's shape, one place: validation and {@code infra schema} both read it. */
public final class TopologyShape {

    static final String CIDR = "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$";
    static final String REGION = "^[a-z]{2}(-[a-z]+)+-[0-9]$";

    private TopologyShape() {}

    static final Shape RULE = obj("One allowed flow: protocol, ports, and a CIDR or another group as its peer.",
            optional("protocol", oneOf("tcp, udp, icmp or all", "tcp", "udp", "icmp", "all")),
            optional("ports", either("a port (443) or a range (\"8000-8080\")",
                    integer("a port", 0, 65535),
                    pattern("a port range such as 8000-8080", "^[0-9]{1,5}(-[0-9]{1,5})?$"))),
            optional("cidr", pattern("an IPv4 CIDR block such as 10.0.0.0/16", CIDR)),
            optional("source", str("the name of another security group of this network")),
            optional("description", str("why the flow is allowed")));

    static final Shape SECURITY_GROUP = obj("A security group in the VPC.",
            optional("description", str("what the group is for")),
            optional("ingress", listOf("inbound rules", RULE)),
            optional("egress", listOf("outbound rules (AWS's default allow-all egress is kept when absent)", RULE)),
            optional("dependsOn", listOf("components to create first", str("a component reference such as network.securityGroups.web"))));

    static final Shape NETWORK = obj("The VPC, its public and private subnets, gateways and routes.",
            required("cidr", pattern("an IPv4 CIDR block such as 10.0.0.0/16", CIDR)),
            optional("zones", either("a zone count (1-6) or a list of zone letters",
                    integer("how many availability zones", 1, 6),
                    listOf("zone letters such as a, b, c", pattern("a zone letter such as a, or a full zone name", "^([a-z]{2}(-[a-z]+)+-[0-9])?[a-z]$")))),
            optional("natGateways", oneOf("one-per-zone, single or none", "one-per-zone", "single", "none")),
            optional("subnetPrefixLength", integer("prefix length of computed subnets", 16, 28)),
            optional("publicSubnets", listOf("one CIDR per zone", pattern("an IPv4 CIDR block such as 10.0.0.0/16", CIDR))),
            optional("privateSubnets", listOf("one CIDR per zone", pattern("an IPv4 CIDR block such as 10.0.0.0/16", CIDR))),
            optional("enableDnsHostnames", bool("give instances DNS host names (default true)")),
            optional("securityGroups", mapOf("security groups by name", SECURITY_GROUP)));

    public static final Shape.Obj TOPOLOGY = obj("An infra topology: one stack, one primary region.",
            required("stack", pattern("a stack name: lower-case letters, digits and dashes", Names.PATTERN)),
            required("region", pattern("an AWS region such as us-east-1", REGION)),
            optional("tags", tagMap("tags added to every resource")),
            optional("network", NETWORK));
}
