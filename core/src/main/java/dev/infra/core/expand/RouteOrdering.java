package dev.infra.core.expand;

import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.model.Values;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The order AWS enforces between routes and what uses them, which no attribute ref says: an internet-facing load
 * balancer is refused in a VPC without an internet gateway ("InvalidSubnet: VPC … has no internet gateway"), and
 * instances launched into a subnet (an instance, an Auto Scaling group, an EKS node group) run their user data once,
 * at boot: in a public subnet they need the public route to reach anything, in a private one their NAT route, or the
 * packages they install never arrive (and nodes never join). So each such resource comes after the route tables of
 * its subnets (which hold the routes and the subnet associations), and is deleted before them.
 */
final class RouteOrdering {

    /** Types that launch instances into their subnets. */
    private static final Set<String> LAUNCHES = Set.of("aws_instance", "aws_autoscaling_group", "aws_eks_node_group");
    private static final List<String> SUBNET_ATTRIBUTES = List.of("subnetId", "subnetIds");

    private RouteOrdering() {}

    static List<ResourceSpec> apply(List<ResourceSpec> specs) {
        Map<String, String> routeTableOf = new HashMap<>();
        specs.stream().filter(s -> s.type().equals("aws_route_table"))
                .forEach(rt -> Values.refs(rt.attributes().get("subnetIds"))
                        .forEach(subnet -> routeTableOf.put(subnet.address(), rt.address())));
        return specs.stream().map(s -> needsRoutes(s) ? after(s, routeTableOf) : s).toList();
    }

    private static boolean needsRoutes(ResourceSpec s) {
        return LAUNCHES.contains(s.type())
                || s.type().equals("aws_lb") && "internet-facing".equals(s.attributes().get("scheme"));
    }

    private static ResourceSpec after(ResourceSpec s, Map<String, String> routeTableOf) {
        Set<String> deps = new TreeSet<>(s.dependsOn());
        SUBNET_ATTRIBUTES.forEach(a -> Values.refs(s.attributes().get(a)).stream().filter(Ref::local)
                .map(r -> routeTableOf.get(r.address())).filter(rt -> rt != null).forEach(deps::add));
        return deps.equals(s.dependsOn()) ? s
                : new ResourceSpec(s.address(), s.type(), s.attributes(), deps, s.origin());
    }
}
