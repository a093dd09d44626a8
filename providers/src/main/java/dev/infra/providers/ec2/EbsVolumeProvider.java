package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeModification;
import software.amazon.awssdk.services.ec2.model.VolumeModificationState;
import software.amazon.awssdk.services.ec2.model.VolumeState;

/**
 * {@code aws_ebs_volume}: availabilityZone, size (GiB, grow only), volumeType, encrypted, kmsKeyId, tags. Create waits
 * for {@code available}. Size and type change in place with one ModifyVolume call, which waits until the change is
 * usable ({@code optimizing} or {@code completed}); a smaller size fails naming both sizes, as EBS volumes cannot
 * shrink. Delete retries while the volume is still attached (VolumeInUse) and waits for {@code deleted}.
 */
public final class EbsVolumeProvider extends Ec2Provider<Volume> {

    public static final String TYPE = "aws_ebs_volume";
    static final String SIZE = "size";
    static final String VOLUME_TYPE = "volumeType";
    static final Duration STATE_TIMEOUT = Duration.ofMinutes(10);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(5);

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final dev.infra.core.catalogue.ResourceType ENTRY = dev.infra.core.catalogue.ResourceType.of(TYPE,
            Attribute.required("availabilityZone", Kind.STRING),
            Attribute.required("encrypted", Kind.BOOL)
                    .doc("infra always sets true"),
            Attribute.required("kmsKeyId", Kind.REFERENCE),
            Attribute.required(SIZE, Kind.NUMBER).rule(new Rule.Range("volume size (GiB)", 1, 65536)).updatable()
                    .doc("GiB, grow only"),
            Attribute.required(VOLUME_TYPE, Kind.STRING).rule(Rule.OneOf.of("volume type", "standard", "io1", "io2", "gp2", "sc1", "st1", "gp3")).updatable())
            .with(Trait.TAGGED)
            .id("vol-…");

    public EbsVolumeProvider(AwsClients clients) {
        super(clients, ENTRY, ResourceType.VOLUME, "InvalidVolume.NotFound", Volume::volumeId, Volume::tags);
    }

    @Override
    protected List<Volume> describe(List<Filter> filters, Collection<String> ids) {
        return call("DescribeVolumes", () -> ec2().describeVolumesPaginator(
                b -> b.filters(filtersOrNull(filters)).volumeIds(idsOrNull(ids))).volumes().stream().toList());
    }

    @Override
    protected boolean isLive(Volume volume) {
        return volume.state() != VolumeState.DELETING && volume.state() != VolumeState.DELETED;
    }

    @Override
    protected Map<String, Object> attributesOf(Volume volume) {
        Map<String, Object> a = new TreeMap<>();
        putIfPresent(a, "availabilityZone", volume.availabilityZone());
        putIfPresent(a, SIZE, toLong(volume.size()));
        putIfPresent(a, VOLUME_TYPE, volume.volumeTypeAsString());
        putIfPresent(a, "encrypted", volume.encrypted());
        putIfPresent(a, "kmsKeyId", volume.kmsKeyId());
        return a;
    }

    @Override
    protected String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken) {
        String zone = SpecValues.string(spec, "availabilityZone");
        int size = Math.toIntExact(SpecValues.number(spec, SIZE));
        String volumeType = SpecValues.optionalString(spec, VOLUME_TYPE);
        Boolean encrypted = SpecValues.optionalBoolean(spec, "encrypted");
        String kmsKeyId = SpecValues.optionalString(spec, "kmsKeyId");
        return call("CreateVolume", () -> once.createVolume(b -> b
                .availabilityZone(zone)
                .size(size)
                .volumeType(volumeType)
                .encrypted(encrypted)
                .kmsKeyId(kmsKeyId)
                .tagSpecifications(tags)
                .clientToken(clientToken))).volumeId();
    }

    /** Waits until {@code available}; a volume that goes to {@code error} fails the create. */
    @Override
    protected void afterCreate(String id, ResourceSpec spec, OperationContext ctx) {
        ctx.await(id + " to become available", STATE_TIMEOUT, POLL_INTERVAL, () -> {
            Optional<Volume> volume = describeOne(id);
            if (volume.isPresent() && volume.get().state() == VolumeState.ERROR) {
                throw new ProviderException(spec.address(), "volume " + id + " failed to create (state error)");
            }
            return volume.filter(v -> v.state() == VolumeState.AVAILABLE || v.state() == VolumeState.IN_USE);
        });
    }

    @Override
    protected void updateAttributes(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
        String id = current.id();
        Volume volume = describeOne(id).orElseThrow(
                () -> new ProviderException(spec.address(), "volume " + id + " no longer exists"));
        long size = SpecValues.number(spec, SIZE);
        if (size < volume.size()) {
            throw new ProviderException(spec.address(), "size cannot shrink from " + volume.size() + " to " + size
                    + " GiB: EBS volumes only grow (replace the volume to make it smaller)");
        }
        String volumeType = SpecValues.optionalString(spec, VOLUME_TYPE);
        boolean grow = size > volume.size();
        boolean retype = volumeType != null && !volumeType.equals(volume.volumeTypeAsString());
        if (!grow && !retype) {
            return;
        }
        // One call for both: EBS refuses a second modification of a volume until the first is done.
        call("ModifyVolume", () -> ec2().modifyVolume(b -> b
                .volumeId(id)
                .size(grow ? Math.toIntExact(size) : null)
                .volumeType(retype ? volumeType : null)));
        ctx.await("modification of " + id, STATE_TIMEOUT, POLL_INTERVAL, () -> {
            Optional<VolumeModification> latest = call("DescribeVolumesModifications",
                    () -> ec2().describeVolumesModifications(b -> b.volumeIds(id))).volumesModifications().stream()
                    .filter(m -> id.equals(m.volumeId()))
                    .max(Comparator.comparing(VolumeModification::startTime, Comparator.nullsFirst(Comparator.naturalOrder())));
            VolumeModificationState state = latest.map(VolumeModification::modificationState).orElse(null);
            if (state == VolumeModificationState.FAILED) {
                throw new ProviderException(spec.address(), "modification of volume " + id + " failed: "
                        + Objects.toString(latest.get().statusMessage(), "no reason given"));
            }
            return state == VolumeModificationState.OPTIMIZING || state == VolumeModificationState.COMPLETED
                    ? Optional.of(Boolean.TRUE) : Optional.empty();
        });
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String id = current.id();
        retryWhileInUse(ctx, "DeleteVolume " + id,
                () -> call("DeleteVolume", () -> ec2().deleteVolume(b -> b.volumeId(id))), "VolumeInUse");
        ctx.await(id + " to be deleted", STATE_TIMEOUT, POLL_INTERVAL, () -> {
            Optional<Volume> now = describeOne(id);
            return now.isEmpty() || now.get().state() == VolumeState.DELETED ? Optional.of(Boolean.TRUE) : Optional.empty();
        });
    }
}
