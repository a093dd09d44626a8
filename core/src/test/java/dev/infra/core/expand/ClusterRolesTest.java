package dev.infra.core.expand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.TopologyLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The roles of the seed's cluster: the node role EKS maps has no path, the others keep the stack's. */
class ClusterRolesTest {

    @Test
    void theNodeRoleHasNoPathSoNodesCanJoin() {
        List<ResourceSpec> roles = Expander.expand(TopologyLoader.load(Path.of("../samples/seed-architecture.yaml"))
                .topology()).stream().filter(s -> s.type().equals("aws_iam_role")).toList();
        assertThat(roles).filteredOn(r -> r.address().endsWith("/node-role")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.attributes()).containsEntry("path", "/"));
        assertThat(roles).filteredOn(r -> !r.address().endsWith("/node-role")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.attributes()).doesNotContainKey("path"));
    }
}
