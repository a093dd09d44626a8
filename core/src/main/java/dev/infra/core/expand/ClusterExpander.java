package dev.infra.core.expand;

import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.model.Address;
import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.Edge.Cluster;
import dev.infra.core.topology.Edge.NodeGroup;
import dev.infra.core.topology.Partition;
import dev.infra.core.topology.Topology;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code clusters:} → per cluster the cluster and node IAM roles with AWS's managed policies, the
 * nodes' instance profile, the EKS cluster in the private subnets with its secrets encrypted by the
 * stack's key, and managed node groups. With Cilium the cluster is created bare
 * (bootstrapSelfManagedAddons=false: no VPC CNI, kube-proxy or CoreDNS add-ons), so nodes become Ready only once a
 * CNI runs: the Cilium release comes after the cluster and before the node groups (which depend on it), the NGINX
 * ingress after the node groups, on the NodePort the load balancers' target groups forward to.
 */
public final class ClusterExpander implements ComponentExpander {

    public static final String CILIUM_REPOSITORY = "https://helm.cilium.io";

    /**
     * Cilium in ENI mode (pods get VPC addresses from ENIs its operator attaches), replacing kube-proxy, so it reaches
     * the API server by the endpoint's host rather than the kubernetes Service (Cilium's EKS installation guide).
     */
    public static Map<String, Object> ciliumValues() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("kubeProxyReplacement", true);
        v.put("k8sServiceHost", ResourceSpec.CLUSTER_ENDPOINT_HOST);
        v.put("k8sServicePort", 443L);
        v.put("eni", Map.of("enabled", true));
        v.put("ipam", Map.of("mode", "eni"));
        v.put("routingMode", "native");
        v.put("egressMasqueradeInterfaces", "eth+");
        return v;
    }

    @Override
    public void expand(Topology topology, Expansion out) {
        topology.clusters().values().forEach(c -> cluster(topology, c, out));
    }

    private static void cluster(Topology t, Cluster c, Expansion out) {
        Address p = Addresses.cluster(c.name());
        Address clusterRole = p.child("cluster-role");
        Address nodeRole = p.child("node-role");
        Partition partition = Partition.of(t.region());
        // IAM is global: the region in the name keeps copies of the stack in other regions apart.
        out.add(clusterRole, "aws_iam_role", c.name() + "-cluster-role", Map.of(
                "name", out.name(c.name() + "-cluster-" + t.region(), AwsRules.IAM_ROLE),
                "assumeRolePolicy", trust(partition.servicePrincipal("eks")),
                "managedPolicyArns", List.of(managedPolicy(partition, "AmazonEKSClusterPolicy"))), c.at());
        // No path: EKS maps the node role by its ARN without the path, so nodes on a role with one never join.
        out.add(nodeRole, "aws_iam_role", c.name() + "-node-role", Map.of(
                "name", out.name(c.name() + "-node-" + t.region(), AwsRules.IAM_ROLE),
                "path", "/",
                "assumeRolePolicy", trust(partition.servicePrincipal("ec2")),
                // AmazonEKS_CNI_Policy: Cilium's operator in ENI mode makes and attaches the pods' ENIs with the
                // node's credentials (Cilium's EKS installation guide), as the VPC CNI would.
                "managedPolicyArns", List.of(managedPolicy(partition, "AmazonEKSWorkerNodePolicy"),
                        managedPolicy(partition, "AmazonEKS_CNI_Policy"),
                        managedPolicy(partition, "AmazonEC2ContainerRegistryReadOnly"),
                        managedPolicy(partition, "AmazonSSMManagedInstanceCore"))), c.at());
        out.add(p.child("node-instance-profile"), "aws_iam_instance_profile", c.name() + "-node-profile", Map.of(
                "name", out.name(c.name() + "-node-profile-" + t.region(), AwsRules.INSTANCE_PROFILE),
                "roleName", Ref.id(nodeRole)), c.at());

        Address cluster = Addresses.eksCluster(c.name());
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

        // With addons: false the in-cluster part is the user's (the binder defers the node groups until it runs).
        Address cilium = p.child("cilium");
        if (c.addons()) {
            out.addUntagged(cilium, "helm_release", release(cluster, "kube-system", "cilium", CILIUM_REPOSITORY,
                    c.cniVersion(), false, ciliumValues()), Set.of(), c.at());
        }
        Set<Address> groups = new HashSet<>();
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
            Address group = p.child("node-group", g.name());
            // After Cilium: without a CNI the nodes stay NotReady and the group ends CREATE_FAILED.
            out.add(group, "aws_eks_node_group", c.name() + "-" + g.name(), ng,
                    c.addons() ? Set.of(cilium) : Set.of(), c.at());
            groups.add(group);
        }
        if (!c.addons()) {
            return;
        }
        // With wait: its pods need Ready nodes, so it comes after the node groups.
        out.addUntagged(p.child("ingress-nginx"), "helm_release", release(cluster, "ingress-nginx", "ingress-nginx",
                "https://kubernetes.github.io/ingress-nginx", c.ingressVersion(), true,
                Map.of("controller", Map.of("service", Map.of("type", "NodePort",
                        "nodePorts", Map.of("http", (long) c.ingressNodePort()))))), groups, c.at());
    }

    private static Map<String, Object> release(Address cluster, String namespace, String chart, String repository,
                                               String version, boolean wait, Map<String, Object> values) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("clusterName", Ref.id(cluster));
        r.put("namespace", namespace);
        r.put("name", chart);
        r.put("repository", repository);
        r.put("chart", chart);
        r.put("version", version);
        r.put("values", values);
        r.put("status", "deployed");
        r.put("wait", wait);
        return r;
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
