package dev.infra.providers.eks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.ProviderTestSupport;
import dev.infra.providers.testing.SleepingOperationContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Certificate;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.ClusterStatus;
import software.amazon.awssdk.services.eks.model.DescribeClusterResponse;
import software.amazon.awssdk.services.eks.model.DescribeNodegroupResponse;
import software.amazon.awssdk.services.eks.model.DescribeUpdateResponse;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.eks.model.NodegroupStatus;
import software.amazon.awssdk.services.eks.model.ResourceNotFoundException;
import software.amazon.awssdk.services.eks.model.Update;
import software.amazon.awssdk.services.eks.model.UpdateClusterVersionResponse;
import software.amazon.awssdk.services.eks.model.UpdateStatus;
import software.amazon.awssdk.services.eks.model.UpdateType;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * EKS clusters and managed node groups against the emulator, in il-central-1. The role, subnets, security group
 * and KMS key they need are made with raw SDK calls. The emulator's clusters and node groups are ACTIVE at once and
 * its updates end at once; the slow paths are tested by rewriting its answers.
 */
class EksIT extends ProviderTestSupport {

    private String roleArn;
    private String subnetA;
    private String subnetB;
    private String securityGroup;
    private String keyArn;

    @Override
    protected String region() {
        return "il-central-1";
    }

    @BeforeAll
    void prerequisites() {
        String trust = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                + "[\"eks.amazonaws.com\",\"ec2.amazonaws.com\"]},\"Action\":\"sts:AssumeRole\"}]}";
        String roleName = "eks-it-" + UUID.randomUUID().toString().substring(0, 8);
        roleArn = clients.client(IamClient.class, IamClient::builder)
                .createRole(b -> b.roleName(roleName).assumeRolePolicyDocument(trust)).role().arn();
        Ec2Client ec2 = clients.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.80.0.0/16")).vpc().vpcId();
        subnetA = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.80.1.0/24").availabilityZone("il-central-1a"))
                .subnet().subnetId();
        subnetB = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.80.2.0/24").availabilityZone("il-central-1b"))
                .subnet().subnetId();
        securityGroup = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName("eks-it").description("EKS IT"))
                .groupId();
        keyArn = clients.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description("EKS secrets"))
                .keyMetadata().arn();
    }

    private EksClient eks() {
        return clients.eks();
    }

    private Cluster rawCluster(String name) {
        return eks().describeCluster(b -> b.name(name)).cluster();
    }

    private Nodegroup rawNodegroup(String cluster, String name) {
        return eks().describeNodegroup(b -> b.clusterName(cluster).nodegroupName(name)).nodegroup();
    }

    private List<NetworkInterface> controlPlaneInterfaces() {
        return clients.ec2().describeNetworkInterfaces(b -> b.filters(Filter.builder().name("description")
                .values("Amazon EKS " + clusterName()).build())).networkInterfaces();
    }

    private String clusterName() {
        return stack + "-eks";
    }

    private ResourceSpec clusterSpec(String address, String version, boolean privateAccess, boolean publicAccess,
                                     Map<String, String> userTags) {
        Map<String, Object> a = new TreeMap<>();
        a.put("name", clusterName());
        a.put("version", version);
        a.put("roleArn", roleArn);
        a.put("subnetIds", List.of(subnetA, subnetB));
        a.put("securityGroupIds", List.of(securityGroup));
        a.put("secretsKmsKeyArn", keyArn);
        a.put("bootstrapSelfManagedAddons", false);
        a.put("endpointPrivateAccess", privateAccess);
        a.put("endpointPublicAccess", publicAccess);
        return spec(address, ClusterProvider.TYPE, a, userTags);
    }

    private ResourceSpec nodegroupSpec(String address, long min, long max, long desired, Map<String, String> userTags) {
        Map<String, Object> a = new TreeMap<>();
        a.put("clusterName", clusterName());
        a.put("name", "workers");
        a.put("nodeRoleArn", roleArn);
        a.put("subnetIds", List.of(subnetB, subnetA));
        a.put("instanceTypes", List.of("m6i.large", "m6a.large"));
        a.put("minSize", min);
        a.put("maxSize", max);
        a.put("desiredSize", desired);
        a.put("amiType", "AL2023_x86_64_STANDARD");
        return spec(address, NodegroupProvider.TYPE, a, userTags);
    }

    private LiveResource cluster(ClusterProvider provider) {
        return provider.create(clusterSpec("k8s/cluster", "1.29", false, true, Map.of()), ctx("k8s/cluster"));
    }

    @Test
    void clusterLifecycle() {
        ClusterProvider clusters = new ClusterProvider(clients);
        String address = "k8s/cluster";
        ResourceSpec spec = clusterSpec(address, "1.29", false, true, Map.of("team", "platform", "retired", "soon"));

        LiveResource created = clusters.create(spec, ctx(address));

        assertThat(created.id()).isEqualTo(clusterName());
        Cluster raw = rawCluster(clusterName());
        assertThat(raw.status()).isEqualTo(ClusterStatus.ACTIVE);
        assertThat(raw.version()).isEqualTo("1.29");
        assertThat(raw.roleArn()).isEqualTo(roleArn);
        assertThat(raw.resourcesVpcConfig().subnetIds()).containsExactlyInAnyOrder(subnetA, subnetB);
        assertThat(raw.resourcesVpcConfig().securityGroupIds()).containsExactly(securityGroup);
        assertThat(raw.resourcesVpcConfig().endpointPublicAccess()).isTrue();
        assertThat(raw.resourcesVpcConfig().endpointPrivateAccess()).isFalse();
        assertThat(raw.encryptionConfig()).singleElement().satisfies(e -> {
            assertThat(e.resources()).containsExactly("secrets");
            assertThat(e.provider().keyArn()).isEqualTo(keyArn);
        });
        assertThat(raw.tags()).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);
        assertThat(created.attributes())
                .containsEntry("endpoint", raw.endpoint())
                .containsEntry("arn", raw.arn())
                .containsEntry("certificateAuthority", raw.certificateAuthority().data());

        ResourceSpec changed = clusterSpec(address, "1.30", true, false, Map.of("team", "k8s"));
        // At plan time: one minor version up, never down.
        assertThat(clusters.refusals(created, changed.attributes())).isEmpty();
        assertThat(clusters.refusals(created, Map.of("version", "1.31"))).singleElement().asString()
                .startsWith("version 1.29 → 1.31: EKS refuses this").contains("set version: \"1.30\"");
        assertThat(clusters.refusals(created, Map.of("version", "1.28"))).singleElement().asString()
                .contains("never downgraded");
        clients.counter().reset();
        LiveResource updated = clusters.update(created, changed,
                Set.of("version", "endpointPrivateAccess", "endpointPublicAccess", "tags"), ctx(address));

        raw = rawCluster(clusterName());
        assertThat(raw.version()).isEqualTo("1.30");
        assertThat(raw.resourcesVpcConfig().endpointPrivateAccess()).isTrue();
        assertThat(raw.resourcesVpcConfig().endpointPublicAccess()).isFalse();
        // UpdateClusterConfig changes endpoint access only.
        assertThat(raw.resourcesVpcConfig().subnetIds()).containsExactlyInAnyOrder(subnetA, subnetB);
        assertThat(raw.resourcesVpcConfig().securityGroupIds()).containsExactly(securityGroup);
        assertThat(raw.tags()).isEqualTo(changed.tags()).doesNotContainKey("retired");
        assertMatchesSpec(updated, changed, "bootstrapSelfManagedAddons"); // write-only: AWS does not report it
        assertThat(updated.attributes()).doesNotContainKey("bootstrapSelfManagedAddons");
        assertThat(clients.counter().snapshot().get("Eks")).containsEntry("UpdateClusterVersion", 1L)
                .containsEntry("UpdateClusterConfig", 1L).containsEntry("TagResource", 1L)
                .containsEntry("UntagResource", 1L);

        // EKS has no tag filter: ListClusters, then one DescribeCluster per cluster of the region.
        int clustersInRegion = eks().listClusters().clusters().size();
        clients.counter().reset();
        assertThat(clusters.readAll(ReadRequest.of(stack, Set.of(created.id())))).containsExactly(updated);
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of("Eks",
                Map.of("ListClusters", 1L, "DescribeCluster", (long) clustersInRegion)));

        assertThat(clusters.findExisting(stack, changed)).contains(updated);
        // The name is unique: another stack asking for it learns who has it.
        assertThatThrownBy(() -> clusters.findExisting("some-other-stack", changed))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("already exists and belongs to " + address + " of stack " + stack);

        // The control plane's network interfaces outlive the cluster (the emulator keeps them 5 s, as AWS does for
        // minutes): the delete ends only once they are released, so the subnets and groups can go next.
        assertThat(controlPlaneInterfaces()).hasSize(2);
        clusters.delete(updated, ctx(address));
        assertThatThrownBy(() -> rawCluster(clusterName())).isInstanceOf(ResourceNotFoundException.class);
        assertThat(controlPlaneInterfaces()).isEmpty();
        assertThat(clusters.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        assertThat(clusters.findExisting(stack, changed)).isEmpty();
        clusters.delete(updated, ctx(address)); // gone already: fine
    }

    @Test
    void nodegroupLifecycle() {
        ClusterProvider clusters = new ClusterProvider(clients);
        LiveResource cluster = cluster(clusters);
        NodegroupProvider nodegroups = new NodegroupProvider(clients);
        String address = "k8s/nodegroup.workers";
        ResourceSpec spec = nodegroupSpec(address, 1, 3, 2, Map.of("team", "platform", "retired", "soon"));

        LiveResource created = nodegroups.create(spec, ctx(address));

        assertThat(created.id()).isEqualTo(clusterName() + ":workers");
        Nodegroup raw = rawNodegroup(clusterName(), "workers");
        assertThat(raw.status()).isEqualTo(NodegroupStatus.ACTIVE);
        assertThat(raw.nodeRole()).isEqualTo(roleArn);
        assertThat(raw.subnets()).containsExactlyInAnyOrder(subnetA, subnetB);
        assertThat(raw.instanceTypes()).containsExactly("m6i.large", "m6a.large");
        assertThat(raw.amiTypeAsString()).isEqualTo("AL2023_x86_64_STANDARD");
        assertThat(raw.scalingConfig().minSize()).isEqualTo(1);
        assertThat(raw.scalingConfig().maxSize()).isEqualTo(3);
        assertThat(raw.scalingConfig().desiredSize()).isEqualTo(2);
        assertThat(raw.tags()).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);

        ResourceSpec changed = nodegroupSpec(address, 2, 5, 4, Map.of("team", "k8s"));
        LiveResource updated = nodegroups.update(created, changed, Set.of("minSize", "maxSize", "desiredSize", "tags"),
                ctx(address));

        raw = rawNodegroup(clusterName(), "workers");
        assertThat(raw.scalingConfig().minSize()).isEqualTo(2);
        assertThat(raw.scalingConfig().maxSize()).isEqualTo(5);
        assertThat(raw.scalingConfig().desiredSize()).isEqualTo(4);
        assertThat(raw.tags()).isEqualTo(changed.tags()).doesNotContainKey("retired");
        assertMatchesSpec(updated, changed);

        // The stack's clusters (ListClusters + DescribeCluster each), then ListNodegroups and DescribeNodegroup.
        int clustersInRegion = eks().listClusters().clusters().size();
        clients.counter().reset();
        assertThat(nodegroups.readAll(ReadRequest.of(stack, Set.of(created.id())))).containsExactly(updated);
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of("Eks", Map.of("ListClusters", 1L,
                "DescribeCluster", (long) clustersInRegion, "ListNodegroups", 1L, "DescribeNodegroup", 1L)));
        assertThat(nodegroups.readAll(ReadRequest.of("some-other-stack", Set.of()))).isEmpty();

        assertThat(nodegroups.findExisting(stack, changed)).contains(updated);

        nodegroups.delete(updated, ctx(address));
        assertThatThrownBy(() -> rawNodegroup(clusterName(), "workers")).isInstanceOf(ResourceNotFoundException.class);
        assertThat(nodegroups.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        nodegroups.delete(updated, ctx(address)); // gone already: fine
        clusters.delete(cluster, ctx("k8s/cluster"));
        nodegroups.delete(updated, ctx(address)); // its cluster gone too: fine
    }

    /**
     * A node group may take longer than a cluster: EKS answers CREATING for 40 minutes (of pretended time, 240 polls
     * 10 s apart), past the cluster's 30-minute wait, and the create still ends ACTIVE (Terraform: 60 minutes).
     */
    @Test
    void aNodeGroupIsWaitedForAnHour() {
        LiveResource cluster = cluster(new ClusterProvider(clients));
        AtomicInteger creating = new AtomicInteger(240);
        try (AwsClients slow = Emulator.clients(region(), Faults.rewrite(DescribeNodegroupResponse.class,
                r -> creating.getAndDecrement() > 0
                        ? r.toBuilder().nodegroup(r.nodegroup().toBuilder().status(NodegroupStatus.CREATING).build()).build()
                        : r))) {
            SleepingOperationContext ctx = pretending();
            String address = "k8s/nodegroup.workers";
            LiveResource created = new NodegroupProvider(slow).create(nodegroupSpec(address, 1, 2, 1, Map.of()), ctx);

            assertThat(ctx.sleeps()).isGreaterThan(180);
            assertThat(rawNodegroup(clusterName(), "workers").status()).isEqualTo(NodegroupStatus.ACTIVE);
            new NodegroupProvider(clients).delete(created, ctx(address));
        }
        new ClusterProvider(clients).delete(cluster, ctx("k8s/cluster"));
    }

    /** The create waits while EKS says CREATING, and fails with EKS's health issues when the cluster fails. */
    @Test
    void createWaitsForActiveAndReportsFailure() {
        AtomicInteger creating = new AtomicInteger(2);
        Certificate none = null;
        try (AwsClients slow = Emulator.clients(region(), rewriteDescribeCluster(c -> creating.getAndDecrement() > 0
                ? c.toBuilder().status(ClusterStatus.CREATING).endpoint(null).certificateAuthority(none).build() : c))) {
            SleepingOperationContext ctx = pretending();
            LiveResource created = new ClusterProvider(slow).create(
                    clusterSpec("k8s/cluster", "1.29", false, true, Map.of()), ctx);

            // Two answers CREATING, the third ACTIVE.
            assertThat(slow.counter().count("Eks", "DescribeCluster")).isEqualTo(3);
            assertThat(ctx.sleeps()).isEqualTo(2);
            assertThat(created.attributes()).containsEntry("endpoint", rawCluster(clusterName()).endpoint());
        }
        eks().deleteCluster(b -> b.name(clusterName()));

        try (AwsClients failing = Emulator.clients(region(), rewriteDescribeCluster(c -> c.toBuilder()
                .status(ClusterStatus.FAILED)
                .health(h -> h.issues(i -> i.code("Ec2SubnetNotFound").message("subnet-gone was not found")))
                .build()))) {
            assertThatThrownBy(() -> new ClusterProvider(failing).create(
                    clusterSpec("k8s/cluster", "1.29", false, true, Map.of()), pretending()))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageStartingWith("k8s/cluster: ")
                    .hasMessageContaining("is FAILED: Ec2SubnetNotFound: subnet-gone was not found")
                    .hasMessageContaining("delete it");
            // A failed cluster is not live: readAll and findExisting leave it out.
            assertThat(new ClusterProvider(failing).readAll(ReadRequest.of(stack, Set.of(clusterName())))).isEmpty();
        }
        eks().deleteCluster(b -> b.name(clusterName()));
    }

    /** The SDK retries a CreateCluster whose answer was lost; the name taken by it is ours, so the cluster is adopted. */
    @Test
    void createRetriedAfterALostAnswerAdoptsItsCluster() {
        try (AwsClients lossy = Emulator.clients(region(), Faults.loseAnswer("CreateCluster", 1))) {
            ResourceSpec spec = clusterSpec("k8s/cluster", "1.29", false, true, Map.of());
            LiveResource created = new ClusterProvider(lossy).create(spec, ctx("k8s/cluster"));

            assertMatchesSpec(created, spec);
            assertThat(eks().listClusters().clusters()).containsOnlyOnce(clusterName());
        }
        // Another stack's spec for the same name is refused, naming the owner.
        ResourceSpec theirs = clusterSpec("k8s/cluster", "1.29", false, true, Map.of()).withAttributes(
                withTags(clusterSpec("k8s/cluster", "1.29", false, true, Map.of()), "their-stack"));
        assertThatThrownBy(() -> new ClusterProvider(clients).create(theirs, pretending()))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("already exists and belongs to k8s/cluster of stack " + stack);
        eks().deleteCluster(b -> b.name(clusterName()));
    }

    /** A role IAM has not propagated yet is refused by EKS for a while: the create tries again. */
    @Test
    void createRetriesWhileTheRoleIsNotAssumable() {
        AtomicInteger refusals = new AtomicInteger(2);
        ExecutionInterceptor notYet = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if ("CreateCluster".equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME))
                        && refusals.getAndDecrement() > 0) {
                    throw AwsServiceException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("InvalidParameterException")
                            .errorMessage(refusals.get() > 0
                                    ? "Role with arn: " + roleArn + " could not be assumed because it does not exist"
                                            + " or the trusted entity is not correct"
                                    // One of the answers Terraform's aws_eks_cluster create retries for IAM.
                                    : "The provided role doesn't have the Amazon EKS Managed Policies associated with it")
                            .build()).build();
                }
            }
        };
        try (AwsClients propagating = Emulator.clients(region(), notYet)) {
            SleepingOperationContext ctx = pretending();
            new ClusterProvider(propagating).create(clusterSpec("k8s/cluster", "1.29", false, true, Map.of()), ctx);

            assertThat(propagating.counter().count("Eks", "CreateCluster")).isEqualTo(3);
            assertThat(ctx.sleeps()).isEqualTo(2);
            assertThat(rawCluster(clusterName()).status()).isEqualTo(ClusterStatus.ACTIVE);
        }
        eks().deleteCluster(b -> b.name(clusterName()));
    }

    /** An update still in progress when its call answers is followed with DescribeUpdate; failures name EKS's errors. */
    @Test
    void updatesAreWaitedForWithDescribeUpdate() {
        LiveResource cluster = cluster(new ClusterProvider(clients));
        ExecutionInterceptor inProgress = Faults.rewrite(UpdateClusterVersionResponse.class,
                r -> r.toBuilder().update(r.update().toBuilder().status(UpdateStatus.IN_PROGRESS).build()).build());
        try (AwsClients async = Emulator.clients(region(), inProgress)) {
            new ClusterProvider(async).update(cluster, clusterSpec("k8s/cluster", "1.30", false, true, Map.of()),
                    Set.of("version"), pretending());

            assertThat(async.counter().count("Eks", "DescribeUpdate")).isEqualTo(1);
            assertThat(rawCluster(clusterName()).version()).isEqualTo("1.30");
        }
        ExecutionInterceptor failed = Faults.rewrite(DescribeUpdateResponse.class, r -> r.toBuilder().update(
                r.update().toBuilder().status(UpdateStatus.FAILED).errors(e -> e.errorCode("NodeCreationFailure")
                        .errorMessage("nodes must run 1.30 first").resourceIds("workers")).build()).build());
        try (AwsClients failing = Emulator.clients(region(), inProgress, failed)) {
            assertThatThrownBy(() -> new ClusterProvider(failing).update(cluster,
                    clusterSpec("k8s/cluster", "1.31", false, true, Map.of()), Set.of("version"), pretending()))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageStartingWith("k8s/cluster: ")
                    .hasMessageContaining("ended Failed: NodeCreationFailure: nodes must run 1.30 first [workers]");
        }
        new ClusterProvider(clients).delete(cluster, ctx("k8s/cluster"));
    }

    /** DeleteCluster is refused while node groups are being deleted: the delete tries again. */
    @Test
    void deleteRetriesWhileTheClusterIsInUse() {
        LiveResource cluster = cluster(new ClusterProvider(clients));
        ExecutionInterceptor inUse = Faults.awsError("DeleteCluster", 2, 409, "ResourceInUseException");
        // This test is about the retry, in pretended time: the control plane's interfaces, which the delete waits for
        // in real time (clusterLifecycle), are removed first.
        controlPlaneInterfaces().forEach(n -> clients.ec2().deleteNetworkInterface(
                b -> b.networkInterfaceId(n.networkInterfaceId())));
        try (AwsClients busy = Emulator.clients(region(), inUse)) {
            SleepingOperationContext ctx = pretending();
            new ClusterProvider(busy).delete(cluster, ctx);

            assertThat(busy.counter().count("Eks", "DeleteCluster")).isEqualTo(3);
            assertThat(ctx.sleeps()).isEqualTo(2);
            assertThatThrownBy(() -> rawCluster(clusterName())).isInstanceOf(ResourceNotFoundException.class);
        }
    }

    /** The gaps the emulator is patched for, as AWS documents them (raw SDK calls only). */
    @Test
    void emulatorAnswersUpdatesAndNodegroupTagsAsAws() {
        eks().createCluster(b -> b.name(clusterName()).roleArn(roleArn).version("1.29")
                .resourcesVpcConfig(v -> v.subnetIds(subnetA, subnetB).securityGroupIds(securityGroup)
                        .endpointPublicAccess(true).endpointPrivateAccess(false)));

        Update version = eks().updateClusterVersion(b -> b.name(clusterName()).version("1.30")).update();
        assertThat(version.type()).isEqualTo(UpdateType.VERSION_UPDATE);
        assertThat(version.params()).anySatisfy(p -> {
            assertThat(p.typeAsString()).isEqualTo("Version");
            assertThat(p.value()).isEqualTo("1.30");
        });
        assertThat(rawCluster(clusterName()).version()).isEqualTo("1.30");

        Update config = eks().updateClusterConfig(b -> b.name(clusterName())
                .resourcesVpcConfig(v -> v.endpointPrivateAccess(true))).update();
        assertThat(config.type()).isEqualTo(UpdateType.ENDPOINT_ACCESS_UPDATE);
        Cluster raw = rawCluster(clusterName());
        assertThat(raw.resourcesVpcConfig().endpointPrivateAccess()).isTrue();
        assertThat(raw.resourcesVpcConfig().endpointPublicAccess()).isTrue();
        assertThat(raw.resourcesVpcConfig().subnetIds()).containsExactly(subnetA, subnetB);

        assertThat(eks().describeUpdate(b -> b.name(clusterName()).updateId(config.id())).update())
                .satisfies(u -> assertThat(u.status()).isEqualTo(UpdateStatus.SUCCESSFUL));
        assertThatThrownBy(() -> eks().describeUpdate(b -> b.name(clusterName()).updateId("no-such-update")))
                .isInstanceOf(ResourceNotFoundException.class);

        Nodegroup nodegroup = eks().createNodegroup(b -> b.clusterName(clusterName()).nodegroupName("workers")
                .nodeRole(roleArn).subnets(subnetA).tags(Map.of("a", "1"))).nodegroup();
        Update scaling = eks().updateNodegroupConfig(b -> b.clusterName(clusterName()).nodegroupName("workers")
                .scalingConfig(s -> s.minSize(1).maxSize(2).desiredSize(1))).update();
        assertThat(eks().describeUpdate(b -> b.name(clusterName()).updateId(scaling.id()).nodegroupName("workers"))
                .update().status()).isEqualTo(UpdateStatus.SUCCESSFUL);

        eks().tagResource(b -> b.resourceArn(nodegroup.nodegroupArn()).tags(Map.of("b", "2")));
        eks().untagResource(b -> b.resourceArn(nodegroup.nodegroupArn()).tagKeys("a"));
        assertThat(rawNodegroup(clusterName(), "workers").tags()).isEqualTo(Map.of("b", "2"));
        assertThat(eks().listTagsForResource(b -> b.resourceArn(nodegroup.nodegroupArn())).tags())
                .isEqualTo(Map.of("b", "2"));

        eks().deleteNodegroup(b -> b.clusterName(clusterName()).nodegroupName("workers"));
        eks().deleteCluster(b -> b.name(clusterName()));
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** The spec's attributes with its tags claiming {@code otherStack}. */
    private static Map<String, Object> withTags(ResourceSpec spec, String otherStack) {
        Map<String, Object> a = new TreeMap<>(spec.attributes());
        Map<String, String> tags = new TreeMap<>(spec.tags());
        tags.put("infra:stack", otherStack);
        a.put("tags", tags);
        return a;
    }

    /** A context for the cluster that does not really sleep: its waits are on rewritten answers. */
    private static SleepingOperationContext pretending() {
        return SleepingOperationContext.pretending("k8s/cluster");
    }

    private static ExecutionInterceptor rewriteDescribeCluster(UnaryOperator<Cluster> rewrite) {
        return Faults.rewrite(DescribeClusterResponse.class,
                r -> r.toBuilder().cluster(rewrite.apply(r.cluster())).build());
    }
}
