package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.plan.Planner;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ResourceProvider;
import java.util.Comparator;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Prerequisites of the compute tests (launch templates, instances, EBS), made with raw SDK calls so that only the
 * provider under test runs: a VPC and subnet, security groups, KMS keys, an AMI the emulator knows, an instance.
 */
abstract class ComputeTestBase extends Ec2TestBase {

    protected KmsClient kms() {
        return clients.client(KmsClient.class, KmsClient::builder);
    }

    protected String zone() {
        return region() + "a";
    }

    protected String rawVpc(String cidr) {
        return ec2.createVpc(b -> b.cidrBlock(cidr)).vpc().vpcId();
    }

    protected String rawSubnet(String vpcId, String cidr) {
        return ec2.createSubnet(b -> b.vpcId(vpcId).cidrBlock(cidr).availabilityZone(zone())).subnet().subnetId();
    }

    protected String rawSecurityGroup(String vpcId, String name) {
        return ec2.createSecurityGroup(b -> b.vpcId(vpcId).groupName(stack + "-" + name).description("test " + name))
                .groupId();
    }

    /** A new symmetric KMS key's ARN. */
    protected String kmsKeyArn() {
        return kms().createKey(b -> b.description("compute test key")).keyMetadata().arn();
    }

    /** An Amazon-owned AMI the emulator knows (it ships a catalogue of them). */
    protected String amazonImageId() {
        return ec2.describeImages(b -> b.owners("amazon")).images().stream()
                .min(Comparator.comparing(Image::imageId))
                .orElseThrow(() -> new IllegalStateException("the emulator knows no Amazon AMI"))
                .imageId();
    }

    /** A running instance launched without a template. */
    protected String rawInstance(String subnetId) {
        String ami = amazonImageId();
        return ec2.runInstances(b -> b.imageId(ami).instanceType("t3.micro").subnetId(subnetId).minCount(1).maxCount(1))
                .instances().get(0).instanceId();
    }

    protected Instance describeInstance(String id) {
        return ec2.describeInstances(b -> b.instanceIds(id)).reservations().get(0).instances().get(0);
    }

    protected void terminate(String instanceId) {
        ec2.terminateInstances(b -> b.instanceIds(instanceId));
        assertThat(describeInstance(instanceId).state().name()).isIn(InstanceStateName.SHUTTING_DOWN,
                InstanceStateName.TERMINATED);
    }

    /** The engine would plan nothing for {@code spec} given {@code live} (set-like lists compared as sets). */
    protected static void assertNoDiff(ResourceProvider provider, LiveResource live, ResourceSpec spec) {
        assertThat(live.address()).isEqualTo(spec.address());
        assertThat(Planner.diff(provider.schema(), spec.attributes(), live.attributes())).isEmpty();
    }

    /** An untagged resource reads back every spec attribute as given, no tags and no address. */
    protected static void assertMatchesUntaggedSpec(LiveResource live, ResourceSpec spec) {
        assertThat(live.address()).isNull();
        assertThat(live.attributes()).doesNotContainKey("tags").containsAllEntriesOf(spec.attributes());
    }
}
