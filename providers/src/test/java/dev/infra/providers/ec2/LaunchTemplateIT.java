package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateEbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateHttpTokensState;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecification;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/** Launch templates: every version written in full, updates as new default versions, resolve:ssm image ids. */
class LaunchTemplateIT extends ComputeTestBase {

    static final String SSM_IMAGE = "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";
    private static final String PROFILE = "arn:aws:iam::123456789012:instance-profile/web";

    @Override
    protected String region() {
        return "ap-south-2";
    }

    @Test
    void lifecycle() {
        String vpcId = rawVpc("10.20.0.0/16");
        String sgA = rawSecurityGroup(vpcId, "a");
        String sgB = rawSecurityGroup(vpcId, "b");
        String sgC = rawSecurityGroup(vpcId, "c");
        String key1 = kmsKeyArn();
        String key2 = kmsKeyArn();
        String ami = amazonImageId();
        LaunchTemplateProvider templates = new LaunchTemplateProvider(clients);
        String address = "compute/lt.web";
        Map<String, Object> attributes = new TreeMap<>(Map.of("name", stack + "-web", "imageId", ami,
                "instanceType", "t3.micro", "userData", "#!/bin/bash\necho hello\n",
                "securityGroupIds", List.of(sgB, sgA), "iamInstanceProfileArn", PROFILE,
                "rootVolumeSize", 20L, "kmsKeyId", key1));
        ResourceSpec spec = spec(address, LaunchTemplateProvider.TYPE, attributes, Map.of("team", "web"));

        LiveResource created = templates.create(spec, ctx(address));

        assertThat(created.id()).startsWith("lt-");
        LaunchTemplate raw = describeTemplate(created.id());
        assertThat(raw.launchTemplateName()).isEqualTo(stack + "-web");
        assertThat(raw.defaultVersionNumber()).isEqualTo(1L);
        assertThat(raw.latestVersionNumber()).isEqualTo(1L);
        assertThat(tagMap(raw.tags())).isEqualTo(spec.tags());
        assertData(defaultData(created.id()), attributes, spec.tags());
        assertNoDiff(templates, created, spec);
        assertThat(created.attributes()).containsEntry("latestVersion", 1L);

        // Each data attribute: a new version with the complete data, made the default.
        LiveResource current = created;
        long version = 1;
        List<Map<String, Object>> steps = List.of(
                Map.of("imageId", SSM_IMAGE),
                Map.of("instanceType", "t3.large"),
                Map.of("userData", "#!/bin/bash\necho bye\n"),
                Map.of("securityGroupIds", List.of(sgC, sgA)),
                Map.of("rootVolumeSize", 30L),
                Map.of("kmsKeyId", key2));
        for (Map<String, Object> step : steps) {
            attributes.putAll(step);
            spec = spec(address, LaunchTemplateProvider.TYPE, attributes, Map.of("team", "web"));
            current = templates.update(current, spec, step.keySet(), ctx(address));
            version++;
            raw = describeTemplate(created.id());
            assertThat(raw.defaultVersionNumber()).as("after %s", step).isEqualTo(version);
            assertThat(raw.latestVersionNumber()).as("after %s", step).isEqualTo(version);
            assertData(defaultData(created.id()), attributes, spec.tags());
            assertNoDiff(templates, current, spec);
            assertThat(current.attributes()).containsEntry("latestVersion", version);
        }
        // AWS reports the resolve:ssm parameter as given (ResolveAlias defaults to false): no perpetual diff.
        assertThat(defaultData(created.id()).imageId()).isEqualTo(SSM_IMAGE);

        // The instance profile dropped from the spec goes with the next version (not inherited from a source version).
        attributes.remove("iamInstanceProfileArn");
        attributes.put("rootVolumeSize", 40L);
        spec = spec(address, LaunchTemplateProvider.TYPE, attributes, Map.of("team", "web"));
        current = templates.update(current, spec, Set.of("rootVolumeSize"), ctx(address));
        version++;
        assertThat(defaultData(created.id()).iamInstanceProfile()).isNull();
        assertThat(current.attributes()).doesNotContainKey("iamInstanceProfileArn");
        assertNoDiff(templates, current, spec);

        // Tags: on the template, and (minus infra:address) for what it launches, so a new version too. DescribeLaunchTemplates
        // reports the current tags (moto_launcher.py's patch_launch_template_tags: moto kept those of the creation).
        spec = spec(address, LaunchTemplateProvider.TYPE, attributes, Map.of("team", "api"));
        current = templates.update(current, spec, Set.of("tags"), ctx(address));
        version++;
        raw = describeTemplate(created.id());
        assertThat(tagMap(raw.tags())).isEqualTo(spec.tags());
        assertThat(raw.defaultVersionNumber()).isEqualTo(version);
        assertData(defaultData(created.id()), attributes, spec.tags());

        // Nothing changed: no new version.
        current = templates.update(current, spec, Set.of(), ctx(address));
        assertThat(describeTemplate(created.id()).latestVersionNumber()).isEqualTo(version);

        // readAll: one DescribeLaunchTemplates call, one DescribeLaunchTemplateVersions call per template.
        LiveResource other = templates.create(spec("compute/lt.api", LaunchTemplateProvider.TYPE, Map.of(
                "name", stack + "-api", "imageId", ami, "instanceType", "t3.micro", "rootVolumeSize", 8L), Map.of()),
                ctx("compute/lt.api"));
        try (AwsClients counted = Emulator.clients(region())) {
            List<LiveResource> found = new LaunchTemplateProvider(counted)
                    .readAll(ReadRequest.of(stack, Set.of(created.id(), other.id())));
            assertThat(found).containsExactlyInAnyOrder(current, other);
            assertThat(counted.counter().snapshot()).isEqualTo(Map.of("Ec2", Map.of(
                    "DescribeLaunchTemplates", 1L, "DescribeLaunchTemplateVersions", 2L)));
        }
        assertThat(templates.findExisting(stack, spec)).contains(current);
        // AWS fails a whole DescribeLaunchTemplates call when one id is gone (with either of two codes): one by one.
        try (AwsClients failing = Emulator.clients(region(),
                Faults.awsError("DescribeLaunchTemplates", 1, 400, "InvalidLaunchTemplateName.NotFoundException"))) {
            assertThat(new LaunchTemplateProvider(failing).describe(List.of(), List.of(created.id(), other.id())))
                    .extracting(LaunchTemplateProvider.Template::id).containsExactlyInAnyOrder(created.id(), other.id());
        }

        templates.delete(current, ctx(address));
        assertGone(created.id());
        assertThat(templates.readAll(ReadRequest.of(stack, Set.of(created.id())))).containsExactly(other);
        assertThat(templates.findExisting(stack, spec)).isEmpty();
        templates.delete(current, ctx(address));
        templates.delete(other, ctx("compute/lt.api"));
    }

    /** The default version's data holds exactly what the spec asks for, and the fixed settings. */
    private static void assertData(ResponseLaunchTemplateData d, Map<String, Object> a, Map<String, String> tags) {
        assertThat(d.imageId()).isEqualTo(a.get("imageId"));
        assertThat(d.instanceTypeAsString()).isEqualTo(a.get("instanceType"));
        assertThat(new String(Base64.getDecoder().decode(d.userData()), StandardCharsets.UTF_8)).isEqualTo(a.get("userData"));
        assertThat(d.securityGroupIds()).containsExactlyInAnyOrderElementsOf(castList(a.get("securityGroupIds")));
        if (a.containsKey("iamInstanceProfileArn")) {
            assertThat(d.iamInstanceProfile().arn()).isEqualTo(a.get("iamInstanceProfileArn"));
        }
        assertThat(d.blockDeviceMappings()).singleElement().satisfies(m -> {
            assertThat(m.deviceName()).isEqualTo("/dev/xvda");
            LaunchTemplateEbsBlockDevice ebs = m.ebs();
            assertThat(ebs.volumeSize().longValue()).isEqualTo(a.get("rootVolumeSize"));
            assertThat(ebs.volumeType()).isEqualTo(VolumeType.GP3);
            assertThat(ebs.encrypted()).isTrue();
            assertThat(ebs.kmsKeyId()).isEqualTo(a.get("kmsKeyId"));
            assertThat(ebs.deleteOnTermination()).isTrue();
        });
        assertThat(d.metadataOptions().httpTokens()).isEqualTo(LaunchTemplateHttpTokensState.REQUIRED);
        Map<String, String> launched = new TreeMap<>(tags);
        launched.remove("infra:address");
        for (ResourceType type : List.of(ResourceType.INSTANCE, ResourceType.VOLUME)) {
            assertThat(d.tagSpecifications()).filteredOn(s -> s.resourceType() == type)
                    .singleElement()
                    .extracting(LaunchTemplateTagSpecification::tags)
                    .satisfies(t -> assertThat(tagMap(t)).as(type.toString()).isEqualTo(launched));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> castList(Object o) {
        return (List<String>) o;
    }

    private LaunchTemplate describeTemplate(String id) {
        return ec2.describeLaunchTemplates(b -> b.launchTemplateIds(id)).launchTemplates().get(0);
    }

    private ResponseLaunchTemplateData defaultData(String id) {
        return ec2.describeLaunchTemplateVersions(b -> b.launchTemplateId(id).versions("$Default"))
                .launchTemplateVersions().get(0).launchTemplateData();
    }

    /** AWS answers a deleted template's id with NotFound; some endpoints just list nothing. */
    private void assertGone(String id) {
        try {
            assertThat(ec2.describeLaunchTemplates(b -> b.launchTemplateIds(id)).launchTemplates()).isEmpty();
        } catch (Ec2Exception e) {
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidLaunchTemplateId.NotFound");
        }
    }
}
