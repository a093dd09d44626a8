package dev.infra.core.expand;

import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.model.Ref;
import dev.infra.core.topology.Edge.Cluster;
import dev.infra.core.topology.Edge.NodeGroup;
import dev.infra.core.topology.Partition;
import dev.infra.core.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code clusters:} → per cluster the cluster and node IAM roles with AWS's managed policies, the
 * nodes' instance profile, the EKS cluster in the private subnets with its secrets encrypted by the
 * stack's key, and managed node groups. With Cilium the cluster is created bare
 * (bootstrapSelfManagedAddons=false: no VPC CNI, kube-proxy or CoreDNS add-ons); Cilium and the
 * NGINX ingress are installed in-cluster with the Helm commands {@code infra output} prints.
 */
final class ClusterExpander implements ComponentExpander {

    static String prefix(String cluster) {
        return "cluster." + cluster;
    }

    @Override
    public void expand(Topology topology, Expansion out) {
        topology.clusters().values().forEach(c -> cluster(topology, c, out));
    }

    private static void cluster(Topology t, Cluster c, Expansion out) {
        String p = prefix(c.name());
        String clusterRole = p + "/cluster-role";
        String nodeRole = p + "/node-role";
        Partition partition = Partition.of(t.region());
        // IAM is global: the region in the name keeps copies of the stack in other regions apart.
        out.add(clusterRole, "aws_iam_role", c.name() + "-cluster-role", Map.of(
                "name", out.name(c.name() + "-cluster-" + t.region(), AwsRules.IAM_ROLE),
                "assumeRolePolicy", trust(partition.servicePrincipal("eks")),
                "managedPolicyArns", List.of(managedPolicy(partition, "AmazonEKSClusterPolicy"))), c.at());
        out.add(nodeRole, "aws_iam_role", c.name() + "-node-role", Map.of(
                "name", out.name(c.name() + "-node-" + t.region(), AwsRules.IAM_ROLE),
                "assumeRolePolicy", trust(partition.servicePrincipal("ec2")),
                "managedPolicyArns", List.of(managedPolicy(partition, "AmazonEKSWorkerNodePolicy"),
                        managedPolicy(partition, "AmazonEC2ContainerRegistryReadOnly"),
                        managedPolicy(partition, "AmazonSSMManagedInstanceCore"))), c.at());
        out.add(p + "/node-instance-profile", "aws_iam_instance_profile", c.name() + "-node-profile", Map.of(
                "name", out.name(c.name() + "-node-profile-" + t.region(), AwsRules.INSTANCE_PROFILE),
                "roleName", Ref.id(nodeRole)), c.at());

        String cluster = p + "/cluster";
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("name", out.name(c.name(), AwsRules.EKS_CLUSTER));
        attrs.put("version", c.version());
        attrs.put("roleArn", Ref.to(clusterRole, "arn"));
        attrs.put("subnetIds", Instances.subnets("private", t.network().zones()));
        attrs.put("securityGroupIds", List.of());
        attrs.put("secretsKmsKeyArn", EncryptionExpander.keyArn());
        attrs.put("bootstrapSelfManagedAddons", !c.cni().equals("cilium"));
        attrs.put("endpointPrivateAccess", true);
        attrs.put("endpointPublicAccess", c.endpointPublicAccess());
        out.add(cluster, "aws_eks_cluster", c.name(), attrs, c.at());

        for (NodeGroup g : c.nodeGroups().values()) {
            Map<String, Object> ng = new LinkedHashMap<>();
            ng.put("clusterName", Ref.id(cluster));
            ng.put("name", out.name(c.name() + "-" + g.name(), AwsRules.NODE_GROUP));
            ng.put("nodeRoleArn", Ref.to(nodeRole, "arn"));
            ng.put("subnetIds", Instances.subnets("private", t.network().zones()));
            ng.put("instanceTypes", g.instanceTypes());
            ng.put("minSize", (long) g.min());
            ng.put("maxSize", (long) g.max());
            ng.put("desiredSize", (long) g.desired());
            ng.put("amiType", "AL2023_x86_64_STANDARD");
            out.add(p + "/node-group." + g.name(), "aws_eks_node_group", c.name() + "-" + g.name(), ng, c.at());
        }
    }

    /** The ARN of the AWS managed policy {@code name} in {@code partition}. */
    static String managedPolicy(Partition partition, String name) {
        return partition.arn("iam", "", "aws", "policy/" + name);
    }

    /** A trust policy in canonical form (compact, keys sorted), the form IAM reads are compared in. */
    static String trust(String service) {
        return "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\""
                + service + "\"}}],\"Version\":\"2012-10-17\"}";
    }
}
