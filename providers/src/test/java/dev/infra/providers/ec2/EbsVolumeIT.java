package dev.infra.providers.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.SleepingOperationContext;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachmentState;
import software.amazon.awssdk.services.ec2.model.VolumeState;

/** EBS volumes and their attachments to instances. */
class EbsVolumeIT extends ComputeTestBase {

    @Override
    protected String region() {
        return "ap-southeast-4";
    }

    private Map<String, Object> volumeAttributes(long size, String type, String keyArn) {
        return new TreeMap<>(Map.of("availabilityZone", zone(), "size", size, "volumeType", type,
                "encrypted", true, "kmsKeyId", keyArn));
    }

    @Test
    void volumeLifecycle() {
        String key = kmsKeyArn();
        EbsVolumeProvider volumes = new EbsVolumeProvider(clients);
        String address = "data/volume.db";
        ResourceSpec spec = spec(address, EbsVolumeProvider.TYPE, volumeAttributes(10, "gp3", key), Map.of("a", "1"));

        LiveResource created = volumes.create(spec, ctx(address));

        assertThat(created.id()).startsWith("vol-");
        Volume raw = describeVolume(created.id());
        assertThat(raw.state()).isEqualTo(VolumeState.AVAILABLE);
        assertThat(raw.availabilityZone()).isEqualTo(zone());
        assertThat(raw.size()).isEqualTo(10);
        assertThat(raw.volumeTypeAsString()).isEqualTo("gp3");
        assertThat(raw.encrypted()).isTrue();
        assertThat(raw.kmsKeyId()).isEqualTo(key);
        assertThat(tagMap(raw.tags())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);

        ResourceSpec grown = spec(address, EbsVolumeProvider.TYPE, volumeAttributes(20, "gp3", key), Map.of("a", "1"));
        LiveResource updated = volumes.update(created, grown, Set.of("size"), ctx(address));
        assertThat(describeVolume(created.id()).size()).isEqualTo(20);
        assertMatchesSpec(updated, grown);

        ResourceSpec retyped = spec(address, EbsVolumeProvider.TYPE, volumeAttributes(20, "gp2", key), Map.of("a", "1"));
        updated = volumes.update(updated, retyped, Set.of("volumeType"), ctx(address));
        assertThat(describeVolume(created.id()).volumeTypeAsString()).isEqualTo("gp2");
        assertMatchesSpec(updated, retyped);

        ResourceSpec shrunk = spec(address, EbsVolumeProvider.TYPE, volumeAttributes(5, "gp2", key), Map.of("a", "1"));
        LiveResource before = updated;
        assertThatThrownBy(() -> volumes.update(before, shrunk, Set.of("size"), ctx(address)))
                .isInstanceOf(ProviderException.class)
                .hasMessageStartingWith(address + ": ")
                .hasMessageContaining("size cannot shrink from 20 to 5 GiB");
        assertThat(describeVolume(created.id()).size()).isEqualTo(20);

        ResourceSpec retagged = spec(address, EbsVolumeProvider.TYPE, volumeAttributes(20, "gp2", key), Map.of("b", "2"));
        updated = volumes.update(updated, retagged, Set.of("tags"), ctx(address));
        assertThat(tagMap(describeVolume(created.id()).tags())).isEqualTo(retagged.tags());
        assertMatchesSpec(updated, retagged);

        try (AwsClients counted = Emulator.clients(region())) {
            assertThat(new EbsVolumeProvider(counted).readAll(ReadRequest.of(stack, Set.of(created.id()))))
                    .containsExactly(updated);
            assertThat(counted.counter().snapshot()).isEqualTo(Map.of("Ec2", Map.of("DescribeVolumes", 1L)));
        }
        assertThat(volumes.findExisting(stack, retagged)).contains(updated);

        volumes.delete(updated, ctx(address));
        assertAwsError(() -> ec2.describeVolumes(b -> b.volumeIds(created.id())), "InvalidVolume.NotFound");
        assertThat(volumes.findExisting(stack, retagged)).isEmpty();
        volumes.delete(updated, ctx(address));
    }

    @Test
    void deleteRetriesWhileTheVolumeIsInUse() {
        String address = "data/volume.busy";
        LiveResource volume = new EbsVolumeProvider(clients).create(spec(address, EbsVolumeProvider.TYPE,
                volumeAttributes(8, "gp3", kmsKeyArn()), Map.of()), ctx(address));

        try (AwsClients inUse = Emulator.clients(region(), Faults.awsError("DeleteVolume", 1, 400, "VolumeInUse"))) {
            SleepingOperationContext ctx = ctx(address);
            new EbsVolumeProvider(inUse).delete(volume, ctx);
            assertThat(ctx.sleeps()).isGreaterThanOrEqualTo(1);
        }
        assertAwsError(() -> ec2.describeVolumes(b -> b.volumeIds(volume.id())), "InvalidVolume.NotFound");
    }

    @Test
    void attachmentLifecycle() {
        String subnetId = rawSubnet(rawVpc("10.40.0.0/16"), "10.40.1.0/24");
        String instanceId = rawInstance(subnetId);
        String volumeId = ec2.createVolume(b -> b.availabilityZone(zone()).size(8).volumeType("gp3")).volumeId();
        VolumeAttachmentProvider attachments = new VolumeAttachmentProvider(clients);
        String address = "data/attachment.db";
        ResourceSpec spec = untaggedSpec(address, VolumeAttachmentProvider.TYPE,
                Map.of("volumeId", volumeId, "instanceId", instanceId, "deviceName", "/dev/sdf"));
        assertThat(attachments.schema().updatable()).isEmpty();
        assertThat(attachments.findExisting(stack, spec)).isEmpty();

        LiveResource created = attachments.create(spec, ctx(address));

        assertThat(created.id()).isEqualTo(volumeId + ":" + instanceId);
        Volume raw = describeVolume(volumeId);
        assertThat(raw.state()).isEqualTo(VolumeState.IN_USE);
        assertThat(raw.attachments()).singleElement().satisfies(a -> {
            assertThat(a.instanceId()).isEqualTo(instanceId);
            assertThat(a.device()).isEqualTo("/dev/sdf");
            assertThat(a.state()).isEqualTo(VolumeAttachmentState.ATTACHED);
        });
        assertMatchesUntaggedSpec(created, spec);
        assertThat(attachments.findExisting(stack, spec)).contains(created);

        try (AwsClients counted = Emulator.clients(region())) {
            VolumeAttachmentProvider reader = new VolumeAttachmentProvider(counted);
            assertThat(reader.readAll(ReadRequest.of(stack, Set.of(created.id())))).containsExactly(created);
            assertThat(counted.counter().snapshot()).isEqualTo(Map.of("Ec2", Map.of("DescribeVolumes", 1L)));
            // Attachments carry no tags: nothing to find for the stack beyond the ids state knows.
            counted.counter().reset();
            assertThat(reader.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
            assertThat(counted.counter().total()).isZero();
        }

        attachments.delete(created, ctx(address));
        raw = describeVolume(volumeId);
        assertThat(raw.attachments()).isEmpty();
        assertThat(raw.state()).isEqualTo(VolumeState.AVAILABLE);
        assertThat(attachments.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        assertThat(attachments.findExisting(stack, spec)).isEmpty();
        attachments.delete(created, ctx(address)); // detached already: done

        terminate(instanceId);
        ec2.deleteVolume(b -> b.volumeId(volumeId));
        assertThat(attachments.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty(); // volume gone: absent
    }

    private Volume describeVolume(String id) {
        return ec2.describeVolumes(b -> b.volumeIds(id)).volumes().get(0);
    }
}
