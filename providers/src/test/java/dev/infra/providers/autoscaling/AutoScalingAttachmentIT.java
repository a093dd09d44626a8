package dev.infra.providers.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.ProviderTestSupport;
import dev.infra.providers.testing.SleepingOperationContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.DescribeLoadBalancerTargetGroupsResponse;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LoadBalancerTargetGroupState;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/**
 * Target groups attached to Auto Scaling groups against the emulator, in us-east-2. The target groups (instance
 * targets, as an ALB in front of an ingress NodePort has) and the groups (launch template, one instance) are made with
 * raw SDK calls; what AWS holds is read back raw with DescribeLoadBalancerTargetGroups and DescribeTargetHealth.
 */
class AutoScalingAttachmentIT extends ProviderTestSupport {

    private String launchTemplateId;
    private String subnet;
    private String vpc;

    @Override
    protected String region() {
        return "us-east-2";
    }

    private AutoScalingClient autoScaling() {
        return clients.client(AutoScalingClient.class, AutoScalingClient::builder);
    }

    private ElasticLoadBalancingV2Client elb() {
        return clients.client(ElasticLoadBalancingV2Client.class, ElasticLoadBalancingV2Client::builder);
    }

    @BeforeAll
    void prerequisites() {
        Ec2Client ec2 = clients.ec2();
        String ami = ec2.describeImages(b -> b.owners("amazon")).images().get(0).imageId();
        vpc = ec2.createVpc(b -> b.cidrBlock("10.91.0.0/16")).vpc().vpcId();
        subnet = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.91.1.0/24").availabilityZone("us-east-2a"))
                .subnet().subnetId();
        launchTemplateId = ec2.createLaunchTemplate(b -> b.launchTemplateName("attachment-it")
                .launchTemplateData(d -> d.imageId(ami).instanceType("t3.micro"))).launchTemplate().launchTemplateId();
    }

    private String rawGroup(String name) {
        autoScaling().createAutoScalingGroup(b -> b.autoScalingGroupName(name).minSize(1).maxSize(2).desiredCapacity(1)
                .vpcZoneIdentifier(subnet).launchTemplate(t -> t.launchTemplateId(launchTemplateId)));
        return name;
    }

    private String rawTargetGroup(String name) {
        return elb().createTargetGroup(b -> b.name(name).protocol("HTTP").port(30080).vpcId(vpc).targetType("instance"))
                .targetGroups().get(0).targetGroupArn();
    }

    private List<LoadBalancerTargetGroupState> rawAttached(String group) {
        return autoScaling().describeLoadBalancerTargetGroups(b -> b.autoScalingGroupName(group))
                .loadBalancerTargetGroups();
    }

    private static ResourceSpec attachmentSpec(String address, String group, String targetGroupArn) {
        return untaggedSpec(address, AutoScalingAttachmentProvider.TYPE,
                Map.of("autoScalingGroupName", group, "targetGroupArn", targetGroupArn));
    }

    @Test
    void attachmentLifecycle() {
        String group = rawGroup(stack + "-nodes");
        String http = rawTargetGroup(stack.substring(3) + "-http");
        String https = rawTargetGroup(stack.substring(3) + "-https");
        AutoScalingAttachmentProvider attachments = new AutoScalingAttachmentProvider(clients);
        String address = "edge/alb.attachment";
        ResourceSpec spec = attachmentSpec(address, group, http);

        LiveResource created = attachments.create(spec, ctx(address));

        assertThat(created.id()).isEqualTo(group + "|" + http);
        assertThat(created.address()).isNull();
        assertMatchesSpec(created, spec);
        assertThat(rawAttached(group)).singleElement().satisfies(s -> {
            assertThat(s.loadBalancerTargetGroupARN()).isEqualTo(http);
            assertThat(s.state()).isIn("Added", "InService");
        });
        // The group's instance is now a target of the target group.
        List<String> instances = autoScaling().describeAutoScalingGroups(b -> b.autoScalingGroupNames(group))
                .autoScalingGroups().get(0).instances().stream().map(Instance::instanceId).toList();
        assertThat(instances).hasSize(1);
        assertThat(elb().describeTargetHealth(b -> b.targetGroupArn(http)).targetHealthDescriptions())
                .extracting(d -> d.target().id()).containsExactlyElementsOf(instances);

        LiveResource second = attachments.create(attachmentSpec("edge/alb-tls.attachment", group, https),
                ctx("edge/alb-tls.attachment"));

        // No tags: only the ids in state are read, with one DescribeLoadBalancerTargetGroups per group.
        clients.counter().reset();
        assertThat(attachments.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
        assertThat(clients.counter().total()).isZero();
        assertThat(attachments.readAll(ReadRequest.of(stack, Set.of(created.id(), second.id(), "not-an-attachment"))))
                .containsExactlyInAnyOrder(created, second);
        assertThat(clients.counter().snapshot())
                .isEqualTo(Map.of("AutoScaling", Map.of("DescribeLoadBalancerTargetGroups", 1L)));

        assertThat(attachments.findExisting(stack, spec)).contains(created);
        assertThat(attachments.update(created, spec, Set.of(), ctx(address))).isEqualTo(created);

        attachments.delete(created, ctx(address));
        assertThat(rawAttached(group)).extracting(LoadBalancerTargetGroupState::loadBalancerTargetGroupARN)
                .containsExactly(https);
        assertThat(elb().describeTargetHealth(b -> b.targetGroupArn(http)).targetHealthDescriptions()).isEmpty();
        assertThat(attachments.readAll(ReadRequest.of(stack, Set.of(created.id(), second.id()))))
                .containsExactly(second);
        assertThat(attachments.findExisting(stack, spec)).isEmpty();
        attachments.delete(created, ctx(address)); // detached already: fine

        // Its group gone, an attachment is gone too: reads find nothing, a delete succeeds.
        autoScaling().deleteAutoScalingGroup(b -> b.autoScalingGroupName(group).forceDelete(true));
        assertThat(attachments.readAll(ReadRequest.of(stack, Set.of(second.id())))).isEmpty();
        assertThat(attachments.findExisting(stack, attachmentSpec("edge/alb-tls.attachment", group, https))).isEmpty();
        attachments.delete(second, ctx("edge/alb-tls.attachment"));
    }

    /** An attachment whose target group was deleted is detached without complaint. */
    @Test
    void deleteWhenTheTargetGroupIsGone() {
        String group = rawGroup(stack + "-nodes");
        String arn = rawTargetGroup(stack.substring(3) + "-gone");
        AutoScalingAttachmentProvider attachments = new AutoScalingAttachmentProvider(clients);
        LiveResource created = attachments.create(attachmentSpec("edge/alb.attachment", group, arn),
                ctx("edge/alb.attachment"));
        elb().deleteTargetGroup(b -> b.targetGroupArn(arn));

        attachments.delete(created, ctx("edge/alb.attachment"));

        assertThat(rawAttached(group)).extracting(LoadBalancerTargetGroupState::loadBalancerTargetGroupARN)
                .doesNotContain(arn);
        autoScaling().deleteAutoScalingGroup(b -> b.autoScalingGroupName(group).forceDelete(true));
    }

    /** While AWS reports Adding (instances still registering) the create waits; Added ends the wait. */
    @Test
    void createWaitsWhileAdding() {
        String group = rawGroup(stack + "-nodes");
        String arn = rawTargetGroup(stack.substring(3) + "-slow");
        AtomicInteger adding = new AtomicInteger(2);
        try (AwsClients slow = Emulator.clients(region(), Faults.rewrite(DescribeLoadBalancerTargetGroupsResponse.class,
                r -> adding.getAndDecrement() > 0 ? r.toBuilder().loadBalancerTargetGroups(r.loadBalancerTargetGroups()
                        .stream().map(s -> s.toBuilder().state("Adding").build()).toList()).build() : r))) {
            SleepingOperationContext ctx = SleepingOperationContext.pretending("edge/alb.attachment");
            LiveResource created = new AutoScalingAttachmentProvider(slow).create(
                    attachmentSpec("edge/alb.attachment", group, arn), ctx);

            assertThat(ctx.sleeps()).isEqualTo(2);
            assertThat(slow.counter().count("AutoScaling", "DescribeLoadBalancerTargetGroups")).isEqualTo(3);
            assertThat(created.id()).isEqualTo(group + "|" + arn);
        }
        autoScaling().deleteAutoScalingGroup(b -> b.autoScalingGroupName(group).forceDelete(true));
    }

    /**
     * The launcher's patch_autoscaling_target_groups_unknown_group, raw: the target-group calls naming a group that
     * does not exist fail with ValidationError (moto: HTTP 500).
     */
    @Test
    void emulatorRefusesAnUnknownGroupAsAws() {
        String arn = rawTargetGroup(stack.substring(3) + "-nogroup");
        String group = stack + "-no-such-group";
        assertThatThrownBy(() -> autoScaling().describeLoadBalancerTargetGroups(b -> b.autoScalingGroupName(group)))
                .isInstanceOfSatisfying(AutoScalingException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError");
                    assertThat(e.awsErrorDetails().errorMessage()).contains("not found");
                });
        assertThatThrownBy(() -> autoScaling().attachLoadBalancerTargetGroups(b -> b.autoScalingGroupName(group)
                .targetGroupARNs(arn))).isInstanceOfSatisfying(AutoScalingException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
        assertThatThrownBy(() -> autoScaling().detachLoadBalancerTargetGroups(b -> b.autoScalingGroupName(group)
                .targetGroupARNs(arn))).isInstanceOfSatisfying(AutoScalingException.class,
                        e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ValidationError"));
    }
}
