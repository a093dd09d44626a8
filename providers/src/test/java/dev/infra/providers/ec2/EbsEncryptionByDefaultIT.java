package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /** A snapshot of an encrypted volume names the volume's key (covers moto_launcher.py's patch_ebs_snapshot_kms_key_id). */
    @Test
    void aSnapshotOfAnEncryptedVolumeHasTheVolumesKey() {
        String keyArn = kmsKeyArn();
        String volume = ec2.createVolume(b -> b.availabilityZone(region() + "a").size(1).encrypted(true).kmsKeyId(keyArn))
                .volumeId();
        String snapshot = ec2.createSnapshot(b -> b.volumeId(volume)).snapshotId();
        assertThat(ec2.describeSnapshots(b -> b.snapshotIds(snapshot)).snapshots()).singleElement().satisfies(s -> {
            assertThat(s.encrypted()).isTrue();
            assertThat(s.kmsKeyId()).isEqualTo(keyArn);
        });
        ec2.deleteSnapshot(b -> b.snapshotId(snapshot));
        ec2.deleteVolume(b -> b.volumeId(volume));
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

    /**
     * A setting the account had (on, with the user's own key) is borrowed and put back on delete; one on with a key of
     * another stack (its infra:stack tag) is held by that stack: found as such, and not changed.
     */
    @Test
    void aBorrowedSettingIsPutBackAndAnotherStacksIsLeftAlone() {
        String own = kmsKeyArn();
        ec2.enableEbsEncryptionByDefault(b -> { });
        ec2.modifyEbsDefaultKmsKeyId(b -> b.kmsKeyId(own));
        String stackKey = kmsKeyArn();
        EbsEncryptionByDefaultProvider setting = new EbsEncryptionByDefaultProvider(clients);
        String address = "encryption/ebs-default";
        ResourceSpec spec = untaggedSpec(address, EbsEncryptionByDefaultProvider.TYPE,
                Map.of("enabled", true, "kmsKeyId", stackKey));

        LiveResource found = setting.findExisting(stack, spec).orElseThrow();
        assertThat(found.attributes().get("previous")).isEqualTo(Map.of("enabled", true, "kmsKeyId", own));
        LiveResource borrowed = setting.update(found, spec, Set.of("kmsKeyId"), ctx(address));
        assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).isEqualTo(stackKey);
        setting.delete(borrowed, ctx(address));
        assertThat(ec2.getEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isTrue();
        assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).isEqualTo(own);

        kms().tagResource(b -> b.keyId(own).tags(t -> t.tagKey("infra:stack").tagValue("other-" + stack)));
        LiveResource held = setting.findExisting(stack, spec).orElseThrow();
        assertThat(held.attributes()).containsEntry("heldBy", "other-" + stack).doesNotContainKey("previous");
        assertThatThrownBy(() -> setting.update(held, spec, Set.of("kmsKeyId"), ctx(address)))
                .hasMessageContaining("held by stack other-" + stack);
        assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).isEqualTo(own);
        // The holder itself finds it as its own.
        assertThat(setting.findExisting("other-" + stack, spec).orElseThrow().attributes())
                .doesNotContainKeys("heldBy", "previous");

        ec2.disableEbsEncryptionByDefault(b -> { });
        ec2.resetEbsDefaultKmsKeyId(b -> { });
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

        // The setting always exists: found, and so borrowed rather than created, with what it is now.
        LiveResource existing = setting.findExisting(stack, spec).orElseThrow();
        assertThat(existing.id()).isEqualTo(region());
        assertThat(existing.address()).isNull();
        assertThat(existing.attributes()).containsEntry("enabled", false);
        assertThat((String) existing.attributes().get("kmsKeyId")).matches(managedKeyPattern(region()));
        assertThat(existing.attributes().get("previous")).isEqualTo(Map.of("enabled", false,
                "kmsKeyId", existing.attributes().get("kmsKeyId")));

        LiveResource created = setting.create(spec, ctx(address));
        assertThat(created.attributes().get("previous")).isEqualTo(existing.attributes().get("previous"));

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
            assertThat(reader.readAll(ReadRequest.of(stack, Set.of(region())))).singleElement()
                    .satisfies(r -> assertMatchesUntaggedSpec(r, rekeyed));
            assertThat(counted.counter().snapshot()).isEqualTo(Map.of("Ec2", Map.of(
                    "GetEbsEncryptionByDefault", 1L, "GetEbsDefaultKmsKeyId", 1L)));
            // Not in state: nothing to read (the engine finds it through findExisting when the topology wants it).
            counted.counter().reset();
            assertThat(reader.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
            assertThat(counted.counter().total()).isZero();
        }
        assertThat(updated.attributes().get("previous")).isEqualTo(existing.attributes().get("previous"));

        setting.delete(updated, ctx(address));
        assertThat(ec2.getEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isFalse();
        assertThat(ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId()).matches(managedKeyPattern(region()));
        setting.delete(updated, ctx(address));
    }
}
