package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceState;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.StateReason;
import software.amazon.awssdk.services.ec2.model.Volume;

/** Instances launched from a launch template's default version. */
class InstanceIT extends ComputeTestBase {

    private String subnetId;
    private String keyArn;
    private LiveResource template;

    @Override
    protected String region() {
        return "ap-southeast-3";
    }

    /** A template whose image is a resolve:ssm parameter, as the topology writes it. */
    @BeforeEach
    void template() {
        String vpcId = rawVpc("10.30.0.0/16");
        subnetId = rawSubnet(vpcId, "10.30.1.0/24");
        String sg = rawSecurityGroup(vpcId, "web");
        keyArn = kmsKeyArn();
        String address = "compute/lt.web";
        template = new LaunchTemplateProvider(clients).create(spec(address, LaunchTemplateProvider.TYPE, Map.of(
                "name", stack + "-web", "imageId", LaunchTemplateIT.SSM_IMAGE, "instanceType", "t3.micro",
                "userData", "#!/bin/bash\n", "securityGroupIds", List.of(sg), "rootVolumeSize", 20L,
                "kmsKeyId", keyArn), Map.of("from", "template")), ctx(address));
    }

    @Test
    void lifecycle() {
        InstanceProvider instances = new InstanceProvider(clients);
        String address = "compute/instance.web-a";
        Map<String, Object> attributes = Map.of("launchTemplateId", template.id(), "subnetId", subnetId,
                "instanceType", "t3.small");
        ResourceSpec spec = spec(address, InstanceProvider.TYPE, attributes, Map.of("role", "web"));

        LiveResource created = instances.create(spec, ctx(address));

        assertThat(created.id()).startsWith("i-");
        Instance raw = describeInstance(created.id());
        assertThat(raw.state().name()).isEqualTo(InstanceStateName.RUNNING);
        assertThat(raw.subnetId()).isEqualTo(subnetId);
        assertThat(raw.instanceTypeAsString()).isEqualTo("t3.small");
        Map<String, String> rawTags = new TreeMap<>();
        raw.tags().forEach(t -> rawTags.put(t.key(), t.value()));
        assertThat(rawTags).containsAllEntriesOf(spec.tags())
                .containsEntry("aws:ec2launchtemplate:id", template.id())
                .containsEntry("aws:ec2launchtemplate:version", "1");
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).containsEntry("privateIp", raw.privateIpAddress())
                .containsEntry("launchTemplateVersion", "1");

        // Its volumes carry the stack's tags but not the instance's address: they never read as aws_ebs_volume copies.
        List<Volume> volumes = ec2.describeVolumes(b -> b.filters(Ec2Provider.filter("attachment.instance-id",
                created.id()))).volumes();
        assertThat(volumes).isNotEmpty().allSatisfy(v -> assertThat(tagMap(v.tags()))
                .containsEntry("infra:stack", stack).doesNotContainKey("infra:address"));
        assertThat(volumes).filteredOn(v -> "/dev/xvda".equals(v.attachments().get(0).device())).singleElement()
                .satisfies(v -> {
                    assertThat(v.size()).isEqualTo(20);
                    assertThat(v.encrypted()).isTrue();
                    assertThat(v.kmsKeyId()).isEqualTo(keyArn);
                });
        assertThat(new EbsVolumeProvider(clients).readAll(ReadRequest.of(stack, Set.of())))
                .allSatisfy(v -> assertThat(v.address()).isNull());

        ResourceSpec changed = spec(address, InstanceProvider.TYPE, attributes, Map.of("role", "api"));
        LiveResource updated = instances.update(created, changed, Set.of("tags"), ctx(address));
        rawTags.clear();
        describeInstance(created.id()).tags().forEach(t -> rawTags.put(t.key(), t.value()));
        assertThat(rawTags).containsAllEntriesOf(changed.tags()).doesNotContainEntry("role", "web");
        assertMatchesSpec(updated, changed);

        try (AwsClients counted = Emulator.clients(region())) {
            assertThat(new InstanceProvider(counted).readAll(ReadRequest.of(stack, Set.of(created.id()))))
                    .containsExactly(updated);
            assertThat(counted.counter().snapshot()).isEqualTo(Map.of("Ec2", Map.of("DescribeInstances", 1L)));
        }
        assertThat(instances.findExisting(stack, changed)).contains(updated);

        instances.delete(updated, ctx(address));
        assertThat(describeInstance(created.id()).state().name()).isEqualTo(InstanceStateName.TERMINATED);
        assertThat(instances.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        assertThat(instances.findExisting(stack, changed)).isEmpty();
        instances.delete(updated, ctx(address)); // terminated already: no second TerminateInstances
    }

    /** An Auto Scaling group's instances carry the stack's tags (propagated) but are the group's, not aws_instances. */
    @Test
    void autoScalingGroupInstancesAreLeftToTheGroup() {
        AutoScalingClient autoscaling = clients.client(AutoScalingClient.class, AutoScalingClient::builder);
        String group = stack + "-web";
        autoscaling.createAutoScalingGroup(b -> b.autoScalingGroupName(group)
                .launchTemplate(t -> t.launchTemplateId(template.id()).version("$Default"))
                .minSize(1).maxSize(1).desiredCapacity(1).vpcZoneIdentifier(subnetId)
                .tags(asgTag(group, "infra:stack", stack), asgTag(group, "infra:address", "compute/asg.web")));
        try {
            List<Instance> launched = ec2.describeInstances(b -> b.filters(Ec2Provider.tagFilter("infra:stack", stack)))
                    .reservations().stream().flatMap(r -> r.instances().stream()).toList();
            assertThat(launched).isNotEmpty();

            assertThat(new InstanceProvider(clients).readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
            assertThat(new EbsVolumeProvider(clients).readAll(ReadRequest.of(stack, Set.of())))
                    .allSatisfy(v -> assertThat(v.address()).isNull());
        } finally {
            autoscaling.deleteAutoScalingGroup(b -> b.autoScalingGroupName(group).forceDelete(true));
        }
    }

    private static software.amazon.awssdk.services.autoscaling.model.Tag asgTag(String group, String key, String value) {
        return software.amazon.awssdk.services.autoscaling.model.Tag.builder().resourceId(group)
                .resourceType("auto-scaling-group").key(key).value(value).propagateAtLaunch(true).build();
    }

    @Test
    void createFailsWithAwsStateReason() {
        ExecutionInterceptor terminated = new ExecutionInterceptor() {
            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                if (context.response() instanceof DescribeInstancesResponse r) {
                    return r.toBuilder().reservations(r.reservations().stream().map(res -> res.toBuilder()
                            .instances(res.instances().stream().map(i -> i.toBuilder()
                                    .state(InstanceState.builder().name(InstanceStateName.TERMINATED).code(48).build())
                                    .stateReason(StateReason.builder().code("Client.InternalError")
                                            .message("Client error on launch").build())
                                    .build()).toList()).build()).toList()).build();
                }
                return context.response();
            }
        };
        try (AwsClients failing = Emulator.clients(region(), terminated)) {
            String address = "compute/instance.broken";
            ResourceSpec spec = spec(address, InstanceProvider.TYPE, Map.of("launchTemplateId", template.id(),
                    "subnetId", subnetId, "instanceType", "t3.small"), Map.of());

            assertThatThrownBy(() -> new InstanceProvider(failing).create(spec, ctx(address)))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageStartingWith(address + ": ")
                    .hasMessageContaining("is terminated: Client.InternalError: Client error on launch");
        }
    }
}
