package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;

/**
 * An Auto Scaling group launches from a launch template version made by CreateLaunchTemplateVersion
 * (a changed allowlist rolls the egress proxies this way). Covers moto_launcher.py's
 * patch_launch_template_version_user_data.
 */
class LaunchTemplateVersionLaunchIT extends ComputeTestBase {

    @Override
    protected String region() {
        return "af-south-1";
    }

    @Test
    void groupLaunchesFromANewVersionWithUserData() {
        String subnet = rawSubnet(rawVpc("10.3.0.0/16"), "10.3.1.0/24");
        String one = Base64.getEncoder().encodeToString("#!/bin/bash\necho one\n".getBytes(StandardCharsets.UTF_8));
        String two = Base64.getEncoder().encodeToString("#!/bin/bash\necho two\n".getBytes(StandardCharsets.UTF_8));
        String template = ec2.createLaunchTemplate(b -> b.launchTemplateName("lt-version-it").launchTemplateData(d -> d
                .imageId(amazonImageId()).instanceType("t3.micro").userData(one))).launchTemplate().launchTemplateId();
        long version = ec2.createLaunchTemplateVersion(b -> b.launchTemplateId(template).launchTemplateData(d -> d
                .imageId(amazonImageId()).instanceType("t3.micro").userData(two))).launchTemplateVersion().versionNumber();
        AutoScalingClient asg = clients.client(AutoScalingClient.class, AutoScalingClient::builder);

        asg.createAutoScalingGroup(b -> b.autoScalingGroupName("lt-version-it").minSize(1).maxSize(2).desiredCapacity(1)
                .vpcZoneIdentifier(subnet).launchTemplate(t -> t.launchTemplateId(template).version(Long.toString(version))));

        var group = asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames("lt-version-it")).autoScalingGroups().get(0);
        assertThat(group.launchTemplate().version()).isEqualTo(Long.toString(version));
        assertThat(group.instances()).hasSize(1);
        String instance = group.instances().get(0).instanceId();
        assertThat(describeInstance(instance).state().name()).isIn(InstanceStateName.PENDING, InstanceStateName.RUNNING);
        asg.deleteAutoScalingGroup(b -> b.autoScalingGroupName("lt-version-it").forceDelete(true));
    }
}
