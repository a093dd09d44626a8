package dev.infra.core.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infra.core.stack.Engine;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.testing.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ResourceGraphTest {

    private static final SourceLocation AT = SourceLocation.of("infra.yaml", 3, 1);

    @Test
    void dependsOnCycleBetweenSecurityGroupsIsReportedAsAPath() {
        InvalidInputException e = catchThrowableOfType(InvalidInputException.class,
                () -> Engine.graph(Fixtures.load("security-group-cycle")));

        assertThat(e).isNotNull();
        assertThat(e.diagnostics()).hasSize(1);
        assertThat(e.getMessage())
                .startsWith(Fixtures.topologyFile("security-group-cycle") + ":9:7: error: ")
                .endsWith("dependency cycle: network/security-group.a -> network/security-group.b -> network/security-group.a");
    }

    @Test
    void referenceToAnUndefinedResourceIsAnInputError() {
        ResourceSpec subnet = ResourceSpec.of("network/subnet.a", "aws_subnet", Map.of("vpcId", Ref.id("network/vpc")), AT);

        InvalidInputException e = catchThrowableOfType(InvalidInputException.class, () -> ResourceGraph.build(List.of(subnet)));

        assertThat(e.getMessage()).isEqualTo(
                "infra.yaml:3:1: error: network/subnet.a: depends on network/vpc, which the topology does not define");
    }

    @Test
    void edgesComeFromRefsAndExplicitDependencies() {
        ResourceGraph g = Engine.graph(Fixtures.load("network"));

        assertThat(g.graph().predecessors("network/nat-gateway.b")).containsExactlyInAnyOrder(
                "network/internet-gateway", "network/subnet.public-b", "network/eip.nat-b");
        assertThat(g.graph().predecessors("network/route-table.public")).containsExactlyInAnyOrder(
                "network/vpc", "network/internet-gateway",
                "network/subnet.public-a", "network/subnet.public-b", "network/subnet.public-c");
        assertThat(g.graph().predecessors("network/vpc")).isEmpty();
    }

    @Test
    void orderIsDependencyFirstAndStable() {
        ResourceGraph g = Engine.graph(Fixtures.load("network"));
        List<String> order = g.order();

        assertThat(order).hasSize(g.specs().size()).startsWith("network/eip.nat-a", "network/eip.nat-b",
                "network/eip.nat-c", "network/vpc", "network/internet-gateway");
        for (String address : order) {
            for (String dep : g.spec(address).dependencies()) {
                assertThat(order.indexOf(dep)).as(dep + " before " + address).isLessThan(order.indexOf(address));
            }
        }
        assertThat(Engine.graph(Fixtures.load("network")).order()).isEqualTo(order);
    }

    @Test
    void dotMermaidAndTextShowTheEdges() {
        ResourceSpec vpc = ResourceSpec.of("network/vpc", "aws_vpc", Map.of("cidrBlock", "10.0.0.0/16"), AT);
        ResourceSpec igw = ResourceSpec.of("network/internet-gateway", "aws_internet_gateway",
                Map.of("vpcId", Ref.id("network/vpc")), AT);
        ResourceSpec nat = new ResourceSpec("network/nat-gateway.a", "aws_nat_gateway", Map.of(),
                Set.of("network/internet-gateway"), AT);
        ResourceGraph g = ResourceGraph.build(List.of(nat, igw, vpc));

        assertThat(g.toDot())
                .startsWith("digraph infra {")
                .contains("\"network/vpc\" [label=\"network/vpc\\naws_vpc\"];")
                .contains("\"network/vpc\" -> \"network/internet-gateway\";")
                .contains("\"network/internet-gateway\" -> \"network/nat-gateway.a\";")
                .doesNotContain("\"network/vpc\" -> \"network/nat-gateway.a\"");

        // Mermaid ids follow the nodes' sorted order: internet-gateway n0, nat-gateway.a n1, vpc n2.
        assertThat(g.toMermaid())
                .startsWith("flowchart LR\n")
                .contains("n2[\"network/vpc<br/>aws_vpc\"]")
                .contains("n2 --> n0")
                .contains("n0 --> n1");

        assertThat(g.toText()).isEqualTo("""
                network/vpc (aws_vpc)
                network/internet-gateway (aws_internet_gateway) <- network/vpc
                network/nat-gateway.a (aws_nat_gateway) <- network/internet-gateway
                """);
    }
}
