package dev.infra.providers.autoscaling;

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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsResponse;
import software.amazon.awssdk.services.autoscaling.model.DescribeScalingActivitiesResponse;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefresh;
import software.amazon.awssdk.services.autoscaling.model.InstanceRefreshStatus;
import software.amazon.awssdk.services.autoscaling.model.MetricType;
import software.amazon.awssdk.services.autoscaling.model.ScalingActivityStatusCode;
import software.amazon.awssdk.services.autoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Auto-scaling groups and their scaling policies against the emulator, in ap-northeast-3. The launch template, subnets
 * and target groups they use are made with raw SDK calls.
 */
class AutoScalingIT extends ProviderTestSupport {

    private String launchTemplateId;
    private String subnetA;
    private String subnetB;
    private String targetGroup1;
    private String targetGroup2;

    @Override
    protected String region() {
        return "ap-northeast-3";
    }

    private AutoScalingClient autoScaling() {
        return clients.client(AutoScalingClient.class, AutoScalingClient::builder);
    }

    @BeforeAll
    void prerequisites() {
        Ec2Client ec2 = clients.ec2();
        String ami = ec2.describeImages(b -> b.owners("amazon")).images().get(0).imageId();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.90.0.0/16")).vpc().vpcId();
        subnetA = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.90.1.0/24").availabilityZone("ap-northeast-3a"))
                .subnet().subnetId();
        subnetB = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.90.2.0/24").availabilityZone("ap-northeast-3b"))
                .subnet().subnetId();
        launchTemplateId = ec2.createLaunchTemplate(b -> b.launchTemplateName("asg-it")
                .launchTemplateData(d -> d.imageId(ami).instanceType("t3.micro"))).launchTemplate().launchTemplateId();
        ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(launchTemplateId)
                .launchTemplateData(d -> d.imageId(ami).instanceType("t3.small")));
        ElasticLoadBalancingV2Client elb = clients.client(ElasticLoadBalancingV2Client.class,
                ElasticLoadBalancingV2Client::builder);
        targetGroup1 = elb.createTargetGroup(b -> b.name("asg-it-1").protocol("HTTP").port(80).vpcId(vpc))
                .targetGroups().get(0).targetGroupArn();
        targetGroup2 = elb.createTargetGroup(b -> b.name("asg-it-2").protocol("HTTP").port(80).vpcId(vpc))
                .targetGroups().get(0).targetGroupArn();
    }

    private AutoScalingGroup rawGroup(String name) {
        List<AutoScalingGroup> groups = autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(name))
                .autoScalingGroups();
        assertThat(groups).as("group %s", name).hasSize(1);
        return groups.get(0);
    }

    private List<InstanceRefresh> rawRefreshes(String name) {
        return autoScaling().describeInstanceRefreshes(b -> b.autoScalingGroupName(name)).instanceRefreshes();
    }

    private ResourceSpec groupSpec(String address, String name, Object version, long min, long max, long desired,
                                   List<String> subnets, List<String> targetGroups, Map<String, String> tags) {
        Map<String, Object> a = new TreeMap<>();
        a.put("name", name);
        a.put("launchTemplateId", launchTemplateId);
        a.put("launchTemplateVersion", version);
        a.put("minSize", min);
        a.put("maxSize", max);
        a.put("desiredCapacity", desired);
        a.put("subnetIds", subnets);
        a.put("targetGroupArns", targetGroups);
        return spec(address, AutoScalingGroupProvider.TYPE, a, tags);
    }

    private LiveResource group(String address, String name) {
        return new AutoScalingGroupProvider(clients).create(
                groupSpec(address, name, "1", 0, 2, 0, List.of(subnetA), List.of(), Map.of()), ctx(address));
    }

    @Test
    void groupLifecycle() {
        AutoScalingGroupProvider groups = new AutoScalingGroupProvider(clients);
        String address = "access-proxy/group";
        String name = stack + "-access-proxy";
        ResourceSpec spec = groupSpec(address, name, "1", 1, 3, 1, List.of(subnetA), List.of(targetGroup1),
                Map.of("team", "platform", "retired", "soon"));

        LiveResource created = groups.create(spec, ctx(address));

        assertThat(created.id()).isEqualTo(name);
        AutoScalingGroup raw = rawGroup(name);
        assertThat(raw.launchTemplate().launchTemplateId()).isEqualTo(launchTemplateId);
        assertThat(raw.launchTemplate().version()).isEqualTo("1");
        assertThat(List.of(raw.minSize(), raw.maxSize(), raw.desiredCapacity())).containsExactly(1, 3, 1);
        assertThat(raw.vpcZoneIdentifier()).isEqualTo(subnetA);
        assertThat(raw.targetGroupARNs()).containsExactly(targetGroup1);
        assertThat(tagMap(raw.tags())).isEqualTo(spec.tags());
        assertThat(raw.tags()).allSatisfy(t -> assertThat(t.propagateAtLaunch()).isTrue());
        assertMatchesSpec(created, spec);
        List<String> before = raw.instances().stream().map(Instance::instanceId).toList();
        assertThat(before).hasSize(1);

        // The version as a number (a launch template's latestVersion), sizes, subnets, target groups and tags.
        ResourceSpec changed = groupSpec(address, name, 2L, 2, 4, 2, List.of(subnetB, subnetA), List.of(targetGroup2),
                Map.of("team", "apps"));
        LiveResource updated = groups.update(created, changed, Set.of("launchTemplateVersion", "minSize", "maxSize",
                "desiredCapacity", "subnetIds", "targetGroupArns", "tags"), ctx(address));

        raw = rawGroup(name);
        assertThat(raw.launchTemplate().version()).isEqualTo("2");
        assertThat(List.of(raw.minSize(), raw.maxSize(), raw.desiredCapacity())).containsExactly(2, 4, 2);
        assertThat(raw.vpcZoneIdentifier().split(",")).containsExactlyInAnyOrder(subnetA, subnetB);
        assertThat(raw.targetGroupARNs()).containsExactly(targetGroup2);
        assertThat(tagMap(raw.tags())).isEqualTo(changed.tags());
        assertThat(raw.tags()).allSatisfy(t -> assertThat(t.propagateAtLaunch()).isTrue());
        // The template version changed: an instance refresh replaced the instances.
        assertThat(rawRefreshes(name)).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(InstanceRefreshStatus.SUCCESSFUL));
        assertThat(raw.instances()).hasSize(2).extracting(Instance::instanceId).doesNotContainAnyElementsOf(before);
        assertMatchesSpec(updated, changed, "launchTemplateVersion", "subnetIds");
        assertThat(updated.attributes()).containsEntry("launchTemplateVersion", "2")
                .containsEntry("subnetIds", List.of(subnetA, subnetB).stream().sorted().toList());

        group("other/group", stack + "-other");
        clients.counter().reset();
        assertThat(groups.readAll(ReadRequest.of(stack, Set.of(name)))).hasSize(2).contains(updated);
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of("AutoScaling", Map.of("DescribeAutoScalingGroups", 1L)));
        assertThat(groups.findExisting(stack, changed)).contains(updated);
        assertThat(groups.findExisting("some-other-stack", changed)).isEmpty();

        groups.delete(updated, ctx(address));
        assertThat(autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(name)).autoScalingGroups()).isEmpty();
        assertThat(groups.readAll(ReadRequest.of(stack, Set.of(name)))).extracting(LiveResource::id)
                .containsExactly(stack + "-other");
        groups.delete(updated, ctx(address)); // already gone: fine
        groups.delete(LiveResource.of(stack + "-other", "other/group", Map.of()), ctx("other/group"));
    }

    @Test
    void resizingStartsNoInstanceRefresh() {
        AutoScalingGroupProvider groups = new AutoScalingGroupProvider(clients);
        String address = "egress-proxy/group";
        String name = stack + "-egress-proxy";
        LiveResource created = group(address, name);
        clients.counter().reset();

        groups.update(created, groupSpec(address, name, "1", 1, 2, 1, List.of(subnetA), List.of(), Map.of()),
                Set.of("minSize", "desiredCapacity"), ctx(address));

        assertThat(rawGroup(name).minSize()).isEqualTo(1);
        assertThat(clients.counter().count("AutoScaling", "StartInstanceRefresh")).isZero();
        assertThat(rawRefreshes(name)).isEmpty();
        groups.delete(created, ctx(address));
    }

    @Test
    void aRefreshStillRunningIsCancelledAndTheNewOneStarted() {
        String address = "egress-proxy/group";
        String name = stack + "-egress-proxy";
        LiveResource created = group(address, name);
        try (AwsClients busy = Emulator.clients(region(),
                Faults.awsError("StartInstanceRefresh", 1, 400, "InstanceRefreshInProgress"))) {
            new AutoScalingGroupProvider(busy).update(created,
                    groupSpec(address, name, "2", 0, 2, 0, List.of(subnetA), List.of(), Map.of()),
                    Set.of("launchTemplateVersion"), ctx(address));

            assertThat(busy.counter().count("AutoScaling", "CancelInstanceRefresh")).isEqualTo(1);
            assertThat(busy.counter().count("AutoScaling", "StartInstanceRefresh")).isEqualTo(2);
        }
        assertThat(rawRefreshes(name)).hasSize(1);
        assertThat(rawGroup(name).launchTemplate().version()).isEqualTo("2");
        new AutoScalingGroupProvider(clients).delete(created, ctx(address));
    }

    @Test
    void policyLifecycle() {
        LiveResource group = group("access-proxy/group", stack + "-access-proxy");
        AutoScalingPolicyProvider policies = new AutoScalingPolicyProvider(clients);
        String address = "access-proxy/scaling-policy";
        String name = stack + "-access-proxy-cpu";
        ResourceSpec spec = untaggedSpec(address, AutoScalingPolicyProvider.TYPE,
                Map.of("autoScalingGroupName", group.id(), "name", name, "targetCpu", 60L));

        LiveResource created = policies.create(spec, ctx(address));

        ScalingPolicy raw = rawPolicy(group.id(), name);
        assertThat(created.id()).isEqualTo(raw.policyARN());
        assertThat(created.address()).isNull();
        assertThat(raw.policyType()).isEqualTo("TargetTrackingScaling");
        assertThat(raw.targetTrackingConfiguration().predefinedMetricSpecification().predefinedMetricType())
                .isEqualTo(MetricType.ASG_AVERAGE_CPU_UTILIZATION);
        assertThat(raw.targetTrackingConfiguration().targetValue()).isEqualTo(60.0);
        assertMatchesSpec(created, spec);

        ResourceSpec changed = untaggedSpec(address, AutoScalingPolicyProvider.TYPE,
                Map.of("autoScalingGroupName", group.id(), "name", name, "targetCpu", 45L));
        LiveResource updated = policies.update(created, changed, Set.of("targetCpu"), ctx(address));
        assertThat(rawPolicy(group.id(), name).targetTrackingConfiguration().targetValue()).isEqualTo(45.0);
        assertThat(updated.id()).isEqualTo(created.id());
        assertMatchesSpec(updated, changed);

        clients.counter().reset();
        assertThat(policies.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
        assertThat(clients.counter().total()).isZero(); // no tags, nothing in state: nothing to read
        assertThat(policies.readAll(ReadRequest.of(stack, Set.of(created.id())))).containsExactly(updated);
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of("AutoScaling", Map.of("DescribePolicies", 1L)));
        assertThat(policies.findExisting(stack, changed)).contains(updated);

        policies.delete(updated, ctx(address));
        assertThat(autoScaling().describePolicies(b -> b.autoScalingGroupName(group.id())).scalingPolicies()).isEmpty();
        assertThat(policies.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        policies.delete(updated, ctx(address)); // already gone: fine
        new AutoScalingGroupProvider(clients).delete(group, ctx("access-proxy/group"));
    }

    /**
     * A create waits for the desired capacity of healthy instances; launches that fail (scripted: the emulator launches
     * at once) fail the create with the scaling activity's own message, as AWS writes it for a key Auto Scaling may not
     * use. Without a failed activity the wait goes on until the group is whole.
     */
    @Test
    void aGroupWhoseLaunchesFailSaysWhy() {
        String address = "egress-proxy/group";
        String name = stack + "-failing";
        String reason = "Instance became unhealthy while waiting for instance to be in InService state. Termination"
                + " Reason: Client.InternalError: Client error on launch";
        try (AwsClients failing = Emulator.clients(region(),
                Faults.rewrite(DescribeAutoScalingGroupsResponse.class, r -> r.toBuilder().autoScalingGroups(
                        r.autoScalingGroups().stream().map(g -> g.toBuilder().instances(List.of()).build()).toList()).build()),
                Faults.rewrite(DescribeScalingActivitiesResponse.class, r -> r.toBuilder().activities(Activity.builder()
                        .activityId("a-1").autoScalingGroupName(name).statusCode(ScalingActivityStatusCode.FAILED)
                        .statusMessage(reason).description("Launching a new EC2 instance: i-0123. Status Reason: " + reason)
                        .startTime(java.time.Instant.now()).build()).build()))) {
            assertThatThrownBy(() -> new AutoScalingGroupProvider(failing).create(groupSpec(address, name, "1", 1, 2, 1,
                    List.of(subnetA), List.of(), Map.of()), SleepingOperationContext.pretending(address)))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("could not launch instances (0 of 1 healthy)")
                    .hasMessageContaining("Client.InternalError: Client error on launch");
        }
        String later = stack + "-later";
        try (AwsClients slow = Emulator.clients(region(), Faults.rewrite(DescribeAutoScalingGroupsResponse.class,
                new java.util.function.UnaryOperator<>() {
                    private int reads;

                    @Override
                    public DescribeAutoScalingGroupsResponse apply(DescribeAutoScalingGroupsResponse r) {
                        return ++reads > 3 ? r : r.toBuilder().autoScalingGroups(r.autoScalingGroups().stream()
                                .map(g -> g.toBuilder().instances(List.of()).build()).toList()).build();
                    }
                }))) {
            SleepingOperationContext waiting = SleepingOperationContext.pretending(address);
            LiveResource created = new AutoScalingGroupProvider(slow).create(groupSpec(address, later, "1", 1, 2, 1,
                    List.of(subnetA), List.of(), Map.of()), waiting);
            assertThat(waiting.sleeps()).isPositive();
            assertThat(rawGroup(later).instances()).hasSize(1);
            new AutoScalingGroupProvider(clients).delete(created, ctx(address));
        }
        new AutoScalingGroupProvider(clients).delete(LiveResource.of(name, address, Map.of()), ctx(address));
    }

    @Test
    void awsErrorsNameTheAddressAndAwsReason() {
        String address = "access-proxy/group";
        ResourceSpec spec = groupSpec(address, stack + "-broken", "1", 1, 1, 1, List.of(), List.of(), Map.of());
        assertThatThrownBy(() -> new AutoScalingGroupProvider(clients).create(spec, ctx(address)))
                .isInstanceOf(ProviderException.class)
                .hasMessageStartingWith(address + ": CreateAutoScalingGroup failed: ValidationError");
    }

    private ScalingPolicy rawPolicy(String group, String name) {
        return autoScaling().describePolicies(b -> b.autoScalingGroupName(group).policyNames(name)).scalingPolicies()
                .get(0);
    }

    private static Map<String, String> tagMap(List<TagDescription> tags) {
        Map<String, String> out = new TreeMap<>();
        tags.forEach(t -> out.put(t.key(), t.value()));
        return out;
    }
}
