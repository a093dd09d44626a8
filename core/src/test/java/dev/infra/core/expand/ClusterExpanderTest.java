package dev.infra.core.expand;

import static dev.infra.core.testing.Fixtures.expanded;
import static dev.infra.core.testing.Fixtures.small;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.graph.ResourceGraph;
import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.output.Outputs;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import dev.infra.core.topology.Topology;
import dev.infra.core.topology.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's cluster: cluster → Cilium → node groups → ingress in the graph; addons: false leaves the cluster part out.
 * A small cluster's resources; a replica's cluster on the primary's roles.
 */
class ClusterExpanderTest {

    @TempDir
    Path dir;

    private TopologyLoader.Loaded load(String from, String to) throws IOException {
        Path file = dir.resolve("infra.yaml");
        Files.writeString(file, Files.readString(Path.of("../samples/seed-architecture.yaml")).replace(from, to));
        return TopologyLoader.load(file);
    }

    private static Map<String, ResourceSpec> byAddress(TopologyLoader.Loaded loaded) {
        Map<String, ResourceSpec> out = new java.util.TreeMap<>();
        Expander.expand(loaded.topology()).forEach(s -> out.put(s.address(), s));
        return out;
    }

    @Test
    void ciliumComesBetweenTheClusterAndTheNodeGroupsAndTheIngressAfterThem() throws IOException {
        Map<String, ResourceSpec> specs = byAddress(load("cni: cilium", "cni: cilium"));
        ResourceSpec cilium = specs.get("cluster.apps/cilium");
        assertThat(cilium.type()).isEqualTo("helm_release");
        assertThat(cilium.dependencies()).containsExactly("cluster.apps/cluster");
        assertThat(cilium.attributes()).containsEntry("clusterName", Ref.id("cluster.apps/cluster"))
                .containsEntry("version", "1.16.5").containsEntry("namespace", "kube-system")
                .containsEntry("values", ClusterExpander.ciliumValues());
        assertThat(specs.get("cluster.apps/node-group.general").dependencies()).contains("cluster.apps/cilium");
        ResourceSpec ingress = specs.get("cluster.apps/ingress-nginx");
        assertThat(ingress.dependencies()).contains("cluster.apps/node-group.general", "cluster.apps/cluster");
        assertThat(ingress.attributes().get("values")).isEqualTo(Map.of("controller", Map.of("service",
                Map.of("type", "NodePort", "nodePorts", Map.of("http", 30080L)))));
        assertThat(specs.get("cluster.apps/node-role").attributes().get("managedPolicyArns").toString())
                .contains("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");

        List<String> order = ResourceGraph.build(List.copyOf(specs.values())).order();
        assertThat(order.indexOf("cluster.apps/cluster")).isLessThan(order.indexOf("cluster.apps/cilium"));
        assertThat(order.indexOf("cluster.apps/cilium")).isLessThan(order.indexOf("cluster.apps/node-group.general"));
        assertThat(order.indexOf("cluster.apps/node-group.general")).isLessThan(order.indexOf("cluster.apps/ingress-nginx"));
    }

    @Test
    void versionsComeFromTheTopology() throws IOException {
        Map<String, ResourceSpec> specs = byAddress(load("ingress: {nodePort: 30080}",
                "ingress: {nodePort: 30080, version: 4.12.0}\n    cniVersion: 1.17.0"));
        assertThat(specs.get("cluster.apps/cilium").attributes()).containsEntry("version", "1.17.0");
        assertThat(specs.get("cluster.apps/ingress-nginx").attributes()).containsEntry("version", "4.12.0");
    }

    @Test
    void withoutAddonsTheNodeGroupsWaitForTheUsersCni() throws IOException {
        TopologyLoader.Loaded loaded = load("cni: cilium", "cni: cilium\n    addons: false");
        assertThat(loaded.warnings()).singleElement().satisfies(w -> assertThat(w.render())
                .contains("clusters.apps: addons: false: node groups general wait until a CNI runs in the cluster")
                .contains("'infra output cluster_apps_cni'").contains("set clusters.apps.cniInstalled: true and apply again"));
        Map<String, ResourceSpec> specs = byAddress(loaded);
        assertThat(specs.values()).noneMatch(s -> s.type().equals("helm_release"));
        assertThat(specs.keySet()).noneMatch(a -> a.contains("node-group") || a.contains("/attachment."));
        assertThat(specs).containsKey("cluster.apps/cluster");

        // What to install: the Cilium release infra would have made, pointed at the endpoint's host.
        ResourceState cluster = ResourceState.created("cluster.apps/cluster", "aws_eks_cluster", "shop-apps",
                Map.of("endpoint", "https://ABC.gr7.us-east-1.eks.amazonaws.com"), List.of());
        State state = State.empty("shop", "us-east-1").with(cluster);
        assertThat(Outputs.of(loaded.topology(), state).get("cluster_apps_cni")).isEqualTo(
                "helm upgrade --install cilium cilium --repo https://helm.cilium.io --version 1.16.5 --namespace kube-system"
                        + " --set kubeProxyReplacement=true --set k8sServiceHost=ABC.gr7.us-east-1.eks.amazonaws.com"
                        + " --set k8sServicePort=443 --set eni.enabled=true --set ipam.mode=eni --set routingMode=native"
                        + " --set egressMasqueradeInterfaces=eth+");

        TopologyLoader.Loaded installed = load("cni: cilium", "cni: cilium\n    addons: false\n    cniInstalled: true");
        assertThat(installed.warnings()).isEmpty();
        Map<String, ResourceSpec> after = byAddress(installed);
        assertThat(after.values()).noneMatch(s -> s.type().equals("helm_release"));
        assertThat(after.get("cluster.apps/node-group.general").dependencies()).doesNotContain("cluster.apps/cilium");
        assertThat(after).containsKey("load-balancer.public/attachment.general");
        assertThat(Outputs.of(installed.topology(), state)).doesNotContainKey("cluster_apps_cni");
    }

    static final String SMALL = """
            clusters:
              apps:
                version: "1.30"
                endpointPublicAccess: true
                nodeGroups:
                  general: {min: 2, max: 4}
                  batch: {instanceTypes: [c5.xlarge], min: 0, max: 3, desired: 1}
            """;

    @Test
    void aSmallClustersRolesClusterNodeGroupsAndReleases() throws IOException {
        Map<String, ResourceSpec> specs = expanded(small(dir, SMALL));
        assertThat(specs.keySet()).filteredOn(a -> a.startsWith("cluster.")).containsExactlyInAnyOrder(
                "cluster.apps/cluster-role", "cluster.apps/node-role", "cluster.apps/node-instance-profile",
                "cluster.apps/cluster", "cluster.apps/cilium", "cluster.apps/node-group.general",
                "cluster.apps/node-group.batch", "cluster.apps/ingress-nginx");
        // IAM is global: the region in the names keeps the stack's copies in other regions apart.
        assertThat(specs.get("cluster.apps/cluster-role").attributes()).containsEntry("name", "shop-apps-cluster-us-east-1")
                .containsEntry("assumeRolePolicy", ClusterExpander.trust("eks.amazonaws.com"))
                .containsEntry("managedPolicyArns", List.of("arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"));
        assertThat(specs.get("cluster.apps/node-role").attributes()).containsEntry("name", "shop-apps-node-us-east-1")
                .containsEntry("path", "/").containsEntry("assumeRolePolicy", ClusterExpander.trust("ec2.amazonaws.com"));
        assertThat(specs.get("cluster.apps/node-instance-profile").attributes())
                .containsEntry("roleName", Ref.id("cluster.apps/node-role"));

        List<Ref> privateSubnets = List.of(Ref.id("network/subnet.private-a"), Ref.id("network/subnet.private-b"));
        ResourceSpec cluster = specs.get("cluster.apps/cluster");
        assertThat(cluster.type()).isEqualTo("aws_eks_cluster");
        assertThat(cluster.attributes()).containsEntry("name", "shop-apps").containsEntry("version", "1.30")
                .containsEntry("roleArn", Ref.to("cluster.apps/cluster-role", "arn"))
                .containsEntry("subnetIds", privateSubnets)
                .containsEntry("secretsKmsKeyArn", Ref.to("encryption/key", "arn"))
                .containsEntry("bootstrapSelfManagedAddons", false)
                .containsEntry("endpointPrivateAccess", true).containsEntry("endpointPublicAccess", true);

        ResourceSpec batch = specs.get("cluster.apps/node-group.batch");
        assertThat(batch.attributes()).containsEntry("clusterName", Ref.id("cluster.apps/cluster"))
                .containsEntry("name", "shop-apps-batch").containsEntry("nodeRoleArn", Ref.to("cluster.apps/node-role", "arn"))
                .containsEntry("subnetIds", privateSubnets).containsEntry("instanceTypes", List.of("c5.xlarge"))
                .containsEntry("minSize", 0L).containsEntry("maxSize", 3L).containsEntry("desiredSize", 1L);
        assertThat(specs.get("cluster.apps/node-group.general").attributes())
                .containsEntry("instanceTypes", List.of("m5.large")).containsEntry("desiredSize", 2L);
        // After Cilium, and after the routes of its subnets (RouteOrdering): instances run their user data once.
        assertThat(batch.dependsOn()).containsExactlyInAnyOrder("cluster.apps/cilium", "network/route-table.private-a",
                "network/route-table.private-b");
        assertThat(specs.get("cluster.apps/ingress-nginx").dependsOn())
                .containsExactlyInAnyOrder("cluster.apps/node-group.batch", "cluster.apps/node-group.general");
    }

    /** A replica makes its own cluster and node groups, on the primary's roles and instance profile. */
    @Test
    void aReplicasClusterUsesThePrimarysRoles() throws IOException {
        Topology primary = small(dir, SMALL).withReplicas(List.of("eu-west-2"));
        Map<String, ResourceSpec> r = expanded(primary.asReplica("eu-west-2", "10.1.0.0/16", List.of("a", "b"),
                List.of("eu-west-2")));
        assertThat(r).doesNotContainKeys("cluster.apps/cluster-role", "cluster.apps/node-role",
                "cluster.apps/node-instance-profile");
        assertThat(r.get("cluster.apps/cluster").attributes())
                .containsEntry("roleArn", Ref.in("us-east-1", "cluster.apps/cluster-role", "arn"));
        assertThat(r.get("cluster.apps/node-group.general").attributes())
                .containsEntry("nodeRoleArn", Ref.in("us-east-1", "cluster.apps/node-role", "arn"));
    }
}
