package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The per-Region EBS encryption-by-default setting, and the default KMS key APIs moto lacks (GetEbsDefaultKmsKeyId,
 * ResetEbsDefaultKmsKeyId: filled by moto_launcher.py's patch_ebs_default_kms_key_id, checked here on the raw API).
 */
class EbsEncryptionByDefaultIT extends ComputeTestBase {

    private static final String OTHER_REGION = "il-central-1";

    @Override
    protected String region() {
        return "me-central-1";
    }

    private static String managedKeyPattern(String region) {
        return "arn:aws:kms:" + region + ":\\d{12}:alias/aws/ebs";
    }

    /** As the EC2 API reference documents them: per account and Region, the AWS managed key's alias ARN when unset. */
    @Test
    void defaultKmsKeyApis() {
        String keyArn = kmsKeyArn();
        String keyId = keyArn.substring(keyArn.indexOf("key/") + 4);
        try (AwsClients other = Emulator.clients(OTHER_REGION)) {
            Ec2Client otherEc2 = other.ec2();
            assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).matches(managedKeyPattern(region()));

            assertThat(ec2.modifyEbsDefaultKmsKeyId(b -> b.kmsKeyId(keyId)).kmsKeyId()).isEqualTo(keyArn);
            assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).isEqualTo(keyArn);
            assertThat(otherEc2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).matches(managedKeyPattern(OTHER_REGION));

            assertThat(ec2.resetEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).matches(managedKeyPattern(region()));
            assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).matches(managedKeyPattern(region()));
        }
    }

    /** New volumes follow the setting (covers moto_launcher.py's patch_ebs_encryption_by_default_applies). */
    @Test
    void newVolumesAreEncryptedWithTheDefaultKeyWhileTheSettingIsOn() {
        String keyArn = kmsKeyArn();
        ec2.enableEbsEncryptionByDefault(b -> { });
        ec2.modifyEbsDefaultKmsKeyId(b -> b.kmsKeyId(keyArn));
        String encrypted = ec2.createVolume(b -> b.availabilityZone(region() + "a").size(1)).volumeId();
        ec2.disableEbsEncryptionByDefault(b -> { });
        ec2.resetEbsDefaultKmsKeyId(b -> { });
        String plain = ec2.createVolume(b -> b.availabilityZone(region() + "a").size(1)).volumeId();

        assertThat(ec2.describeVolumes(b -> b.volumeIds(encrypted)).volumes()).singleElement().satisfies(v -> {
            assertThat(v.encrypted()).isTrue();
            assertThat(v.kmsKeyId()).isEqualTo(keyArn);
        });
        assertThat(ec2.describeVolumes(b -> b.volumeIds(plain)).volumes().get(0).encrypted()).isFalse();
        ec2.deleteVolume(b -> b.volumeId(encrypted));
        ec2.deleteVolume(b -> b.volumeId(plain));
    }

    @Test
    void lifecycle() {
        String key1 = kmsKeyArn();
        String key2 = kmsKeyArn();
        EbsEncryptionByDefaultProvider setting = new EbsEncryptionByDefaultProvider(clients);
        String address = "security/ebs-encryption";
        ResourceSpec spec = untaggedSpec(address, EbsEncryptionByDefaultProvider.TYPE,
                Map.of("enabled", true, "kmsKeyId", key1));
        assertThat(setting.schema().updatable()).containsExactlyInAnyOrder("enabled", "kmsKeyId");

        // The setting always exists: found, and so adopted rather than created.
        LiveResource existing = setting.findExisting(stack, spec).orElseThrow();
        assertThat(existing.id()).isEqualTo(region());
        assertThat(existing.address()).isNull();
        assertThat(existing.attributes()).containsEntry("enabled", false);
        assertThat((String) existing.attributes().get("kmsKeyId")).matches(managedKeyPattern(region()));

        LiveResource created = setting.create(spec, ctx(address));

        assertThat(created.id()).isEqualTo(region());
        assertThat(ec2.getEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isTrue();
        assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).isEqualTo(key1);
        assertMatchesUntaggedSpec(created, spec);

        ResourceSpec rekeyed = untaggedSpec(address, EbsEncryptionByDefaultProvider.TYPE,
                Map.of("enabled", true, "kmsKeyId", key2));
        LiveResource updated = setting.update(created, rekeyed, Set.of("kmsKeyId"), ctx(address));
        assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).isEqualTo(key2);
        assertThat(ec2.getEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isTrue();
        assertMatchesUntaggedSpec(updated, rekeyed);

        ResourceSpec disabled = untaggedSpec(address, EbsEncryptionByDefaultProvider.TYPE,
                Map.of("enabled", false, "kmsKeyId", key2));
        updated = setting.update(updated, disabled, Set.of("enabled"), ctx(address));
        assertThat(ec2.getEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isFalse();
        assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).isEqualTo(key2);
        assertMatchesUntaggedSpec(updated, disabled);

        updated = setting.update(updated, rekeyed, Set.of("enabled"), ctx(address));
        assertThat(ec2.getEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isTrue();

        try (AwsClients counted = Emulator.clients(region())) {
            EbsEncryptionByDefaultProvider reader = new EbsEncryptionByDefaultProvider(counted);
            assertThat(reader.readAll(ReadRequest.of(stack, Set.of(region())))).containsExactly(updated);
            assertThat(counted.counter().snapshot()).isEqualTo(Map.of("Ec2", Map.of(
                    "GetEbsEncryptionByDefault", 1L, "GetEbsDefaultKmsKeyId", 1L)));
            // Not in state: nothing to read (the engine finds it through findExisting when the topology wants it).
            counted.counter().reset();
            assertThat(reader.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
            assertThat(counted.counter().total()).isZero();
        }
        assertThat(setting.findExisting(stack, rekeyed)).contains(updated);

        setting.delete(updated, ctx(address));
        assertThat(ec2.getEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isFalse();
        assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).matches(managedKeyPattern(region()));
        setting.delete(updated, ctx(address));
    }
}
