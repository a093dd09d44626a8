package dev.infra.providers.eks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.autoscaling.AutoScalingAttachmentProvider;
import dev.infra.providers.testing.ProviderTestSupport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * A managed node group's nodes as an ALB target group's targets, in us-east-2: the node group reports the Auto Scaling
 * group EKS made for it (autoScalingGroupName), and attaching that group to the target group registers the nodes.
 * Also covers the launcher's patch_eks_nodegroup_auto_scaling_group with raw calls.
 */
class NodeGroupTargetsIT extends ProviderTestSupport {

    private static final String ROLE = "arn:aws:iam::123456789012:role/eks-nodes";

    private String vpc;
    private String subnetA;
    private String subnetB;

    @Override
    protected String region() {
        return "us-east-2";
    }

    @BeforeAll
    void prerequisites() {
        Ec2Client ec2 = clients.ec2();
        vpc = ec2.createVpc(b -> b.cidrBlock("10.92.0.0/16")).vpc().vpcId();
        subnetA = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.92.1.0/24").availabilityZone("us-east-2a"))
                .subnet().subnetId();
        subnetB = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.92.2.0/24").availabilityZone("us-east-2b"))
                .subnet().subnetId();
    }

    private EksClient eks() {
        return clients.eks();
    }

    private AutoScalingClient autoScaling() {
        return clients.client(AutoScalingClient.class, AutoScalingClient::builder);
    }

    private ElasticLoadBalancingV2Client elb() {
        return clients.client(ElasticLoadBalancingV2Client.class, ElasticLoadBalancingV2Client::builder);
    }

    private List<AutoScalingGroup> rawGroups(String name) {
        return autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(name)).autoScalingGroups();
    }

    private void rawCluster(String name) {
        eks().createCluster(b -> b.name(name).roleArn(ROLE).resourcesVpcConfig(v -> v.subnetIds(subnetA, subnetB)));
    }

    @Test
    void nodegroupReportsItsAutoScalingGroupWhoseNodesBecomeTargets() {
        String cluster = stack + "-eks";
        rawCluster(cluster);
        NodegroupProvider nodegroups = new NodegroupProvider(clients);
        String address = "k8s/nodegroup.workers";
        ResourceSpec spec = nodegroupSpec(address, cluster, 1, 3, 2);

        LiveResource created = nodegroups.create(spec, ctx(address));

        Nodegroup raw = eks().describeNodegroup(b -> b.clusterName(cluster).nodegroupName("workers")).nodegroup();
        String group = raw.resources().autoScalingGroups().get(0).name();
        assertThat(created.attributes()).containsEntry("autoScalingGroupName", group);
        assertMatchesSpec(created, spec);
        assertThat(rawGroups(group)).singleElement().satisfies(g -> {
            assertThat(List.of(g.minSize(), g.maxSize(), g.desiredCapacity())).containsExactly(1, 3, 2);
            assertThat(g.instances()).hasSize(2);
        });
        assertThat(nodegroups.readAll(ReadRequest.of(stack, Set.of(created.id())))).singleElement()
                .satisfies(r -> assertThat(r.attributes()).containsEntry("autoScalingGroupName", group));

        // The ALB's target group (instance targets on the ingress NodePort) gets the nodes once the group is attached.
        String targetGroup = elb().createTargetGroup(b -> b.name(stack.substring(3) + "-ingress").protocol("HTTP")
                .port(30080).vpcId(vpc).targetType("instance")).targetGroups().get(0).targetGroupArn();
        AutoScalingAttachmentProvider attachments = new AutoScalingAttachmentProvider(clients);
        ResourceSpec attachment = untaggedSpec("edge/alb.nodes", AutoScalingAttachmentProvider.TYPE,
                Map.of("autoScalingGroupName", group, "targetGroupArn", targetGroup));
        LiveResource attached = attachments.create(attachment, ctx("edge/alb.nodes"));

        List<String> nodes = rawGroups(group).get(0).instances().stream().map(Instance::instanceId).toList();
        assertThat(elb().describeTargetHealth(b -> b.targetGroupArn(targetGroup)).targetHealthDescriptions())
                .extracting(d -> d.target().id()).containsExactlyInAnyOrderElementsOf(nodes);

        // A resize of the node group resizes its group (the attachment stays).
        LiveResource resized = nodegroups.update(created, nodegroupSpec(address, cluster, 1, 4, 3),
                Set.of("maxSize", "desiredSize"), ctx(address));
        assertThat(resized.attributes()).containsEntry("autoScalingGroupName", group);
        assertThat(rawGroups(group).get(0).desiredCapacity()).isEqualTo(3);
        assertThat(attachments.readAll(ReadRequest.of(stack, Set.of(attached.id())))).containsExactly(attached);

        attachments.delete(attached, ctx("edge/alb.nodes"));
        assertThat(elb().describeTargetHealth(b -> b.targetGroupArn(targetGroup)).targetHealthDescriptions()).isEmpty();
        nodegroups.delete(resized, ctx(address));
        assertThat(rawGroups(group)).isEmpty();
        attachments.delete(attached, ctx("edge/alb.nodes")); // its group gone: fine
        eks().deleteCluster(b -> b.name(cluster));
    }

    /** patch_eks_nodegroup_auto_scaling_group, raw: the group EKS makes, named, sized and tagged as AWS does it. */
    @Test
    void emulatorCreatesTheNodegroupsAutoScalingGroupAsAws() {
        String cluster = stack + "-raw";
        rawCluster(cluster);
        Nodegroup created = eks().createNodegroup(b -> b.clusterName(cluster).nodegroupName("system").nodeRole(ROLE)
                .subnets(subnetA, subnetB).instanceTypes("m6i.large")
                .scalingConfig(s -> s.minSize(1).maxSize(2).desiredSize(1))).nodegroup();
        String id = created.nodegroupArn().substring(created.nodegroupArn().lastIndexOf('/') + 1);
        String group = "eks-system-" + id;
        assertThat(created.resources().autoScalingGroups()).extracting(g -> g.name()).containsExactly(group);
        assertThat(eks().describeNodegroup(b -> b.clusterName(cluster).nodegroupName("system")).nodegroup()
                .resources().autoScalingGroups()).extracting(g -> g.name()).containsExactly(group);

        AutoScalingGroup raw = rawGroups(group).get(0);
        assertThat(List.of(raw.minSize(), raw.maxSize(), raw.desiredCapacity())).containsExactly(1, 2, 1);
        assertThat(raw.vpcZoneIdentifier().split(",")).containsExactlyInAnyOrder(subnetA, subnetB);
        Map<String, String> tags = new TreeMap<>();
        raw.tags().forEach((TagDescription t) -> tags.put(t.key(), t.value()));
        assertThat(tags).containsEntry("eks:cluster-name", cluster).containsEntry("eks:nodegroup-name", "system")
                .containsEntry("kubernetes.io/cluster/" + cluster, "owned")
                .containsEntry("k8s.io/cluster-autoscaler/enabled", "true")
                .containsEntry("k8s.io/cluster-autoscaler/" + cluster, "owned");

        eks().updateNodegroupConfig(b -> b.clusterName(cluster).nodegroupName("system")
                .scalingConfig(s -> s.minSize(2).maxSize(4).desiredSize(3)));
        raw = rawGroups(group).get(0);
        assertThat(List.of(raw.minSize(), raw.maxSize(), raw.desiredCapacity())).containsExactly(2, 4, 3);

        eks().deleteNodegroup(b -> b.clusterName(cluster).nodegroupName("system"));
        assertThat(rawGroups(group)).isEmpty();
        eks().deleteCluster(b -> b.name(cluster));
    }

    private ResourceSpec nodegroupSpec(String address, String cluster, long min, long max, long desired) {
        Map<String, Object> a = new TreeMap<>();
        a.put("clusterName", cluster);
        a.put("name", "workers");
        a.put("nodeRoleArn", ROLE);
        a.put("subnetIds", List.of(subnetA, subnetB));
        a.put("instanceTypes", List.of("m6i.large"));
        a.put("minSize", min);
        a.put("maxSize", max);
        a.put("desiredSize", desired);
        a.put("amiType", "AL2023_x86_64_STANDARD");
        return spec(address, NodegroupProvider.TYPE, a, Map.of());
    }
}
