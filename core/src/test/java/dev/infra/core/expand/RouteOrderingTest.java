package dev.infra.core.expand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.graph.ResourceGraph;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** What the seed launches into its subnets comes after the routes those subnets use (and goes before them). */
class RouteOrderingTest {

    private static final Map<String, ResourceSpec> SEED = Expander.expand(
            TopologyLoader.load(Path.of("../samples/seed-architecture.yaml")).topology()).stream()
            .collect(Collectors.toMap(ResourceSpec::address, Function.identity()));
    private static final List<String> PRIVATE_ROUTES = List.of("network/route-table.private-a",
            "network/route-table.private-b", "network/route-table.private-c");

    private static List<String> ofType(String type) {
        return SEED.values().stream().filter(s -> s.type().equals(type)).map(ResourceSpec::address).sorted().toList();
    }

    @Test
    void theInternetFacingLoadBalancerComesAfterThePublicRouteTheInternalOneDoesNot() {
        assertThat(SEED.get("load-balancer.public/alb").attributes()).containsEntry("scheme", "internet-facing");
        assertThat(SEED.get("load-balancer.public/alb").dependencies()).contains("network/route-table.public");
        assertThat(SEED.get("load-balancer.internal/alb").dependencies()).doesNotContainAnyElementsOf(PRIVATE_ROUTES)
                .doesNotContain("network/route-table.public");
    }

    @Test
    void groupsInPublicSubnetsComeAfterThePublicRoutePrivateOnesAfterTheirNatRoutes() {
        assertThat(ofType("aws_autoscaling_group")).isNotEmpty().allSatisfy(group -> {
            List<?> subnets = (List<?>) SEED.get(group).attributes().get("subnetIds");
            boolean isPublic = subnets.toString().contains("subnet.public-");
            if (isPublic) {
                assertThat(SEED.get(group).dependencies()).as(group).contains("network/route-table.public");
            } else {
                assertThat(SEED.get(group).dependencies()).as(group).containsAll(PRIVATE_ROUTES);
            }
        });
        assertThat(ofType("aws_eks_node_group")).isNotEmpty()
                .allSatisfy(ng -> assertThat(SEED.get(ng).dependencies()).as(ng).containsAll(PRIVATE_ROUTES));
    }

    @Test
    void eachInstanceComesAfterTheRouteOfItsOwnZoneOnly() {
        assertThat(ofType("aws_instance")).isNotEmpty().allSatisfy(instance -> {
            String subnet = SEED.get(instance).attributes().get("subnetId").toString();
            String zone = subnet.substring(subnet.indexOf("subnet.private-") + "subnet.private-".length(),
                    subnet.indexOf("subnet.private-") + "subnet.private-".length() + 1);
            assertThat(SEED.get(instance).dependencies()).as(instance)
                    .contains("network/route-table.private-" + zone)
                    .doesNotContain("network/route-table.public");
        });
    }

    @Test
    void theOrderMakesNoCycle() {
        assertThat(ResourceGraph.build(List.copyOf(SEED.values())).order()).hasSize(SEED.size());
    }
}
