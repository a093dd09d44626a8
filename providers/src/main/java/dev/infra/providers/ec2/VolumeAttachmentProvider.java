package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.AttachVolumeResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;
import software.amazon.awssdk.services.ec2.model.VolumeAttachmentState;

/**
 * {@code aws_volume_attachment}: volumeId, instanceId, deviceName; no tags (an attachment cannot carry any). The id is
 * {@code <volumeId>:<instanceId>}. Reads go through the volumes: one DescribeVolumes call for the volumes of the ids
 * state knows, reporting their attachments; findExisting looks whether the volume is already attached to the instance.
 * Create (AttachVolume) waits for {@code attached}, delete (DetachVolume) for the attachment to be gone; a volume
 * already detached (NotFound, IncorrectState) counts as done.
 */
public final class VolumeAttachmentProvider extends Ec2Provider<VolumeAttachment> {

    public static final String TYPE = "aws_volume_attachment";
    static final Duration STATE_TIMEOUT = Duration.ofMinutes(5);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(3);

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required("deviceName", Kind.STRING),
            Attribute.required("instanceId", Kind.REFERENCE),
            Attribute.required("volumeId", Kind.REFERENCE))
            .id("`<vol>:<instance>`")
            .notes("No tags (found through the volume)");

    public VolumeAttachmentProvider(AwsClients clients) {
        super(clients, ENTRY, "InvalidVolume.NotFound", VolumeAttachmentProvider::idOf);
    }

    static String idOf(VolumeAttachment a) {
        return id(a.volumeId(), a.instanceId());
    }

    static String id(String volumeId, String instanceId) {
        return volumeId + ":" + instanceId;
    }

    /** The volume of an attachment id, or null when the id is not one. */
    private static String volumeOf(String id) {
        int colon = id.indexOf(':');
        return colon > 0 ? id.substring(0, colon) : null;
    }

    /** The attachments of the volumes the ids name (filters are not used: attachments carry no tags). */
    @Override
    protected List<VolumeAttachment> describe(List<Filter> filters, Collection<String> ids) {
        List<String> volumes = ids.stream().map(VolumeAttachmentProvider::volumeOf)
                .filter(v -> v != null).distinct().sorted().toList();
        if (volumes.isEmpty()) {
            return List.of();
        }
        return call("DescribeVolumes", () -> ec2().describeVolumesPaginator(b -> b.volumeIds(volumes))
                .volumes().stream()
                .map(Volume::attachments)
                .flatMap(List::stream)
                .toList());
    }

    @Override
    protected boolean isLive(VolumeAttachment a) {
        return a.state() != VolumeAttachmentState.DETACHING && a.state() != VolumeAttachmentState.DETACHED;
    }

    @Override
    protected Map<String, Object> attributesOf(VolumeAttachment a) {
        Map<String, Object> out = new TreeMap<>();
        putIfPresent(out, "volumeId", a.volumeId());
        putIfPresent(out, "instanceId", a.instanceId());
        putIfPresent(out, "deviceName", a.device());
        return out;
    }

    /** Whether this volume is already attached to this instance. */
    @Override
    protected Optional<VolumeAttachment> lookup(String stack, ResourceSpec spec) {
        return describeOne(id(SpecValues.string(spec, "volumeId"), SpecValues.string(spec, "instanceId")))
                .filter(this::isLive);
    }

    @Override
    protected String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken) {
        String volumeId = SpecValues.string(spec, "volumeId");
        String instanceId = SpecValues.string(spec, "instanceId");
        String device = SpecValues.string(spec, "deviceName");
        AttachVolumeResponse a = call("AttachVolume",
                () -> once.attachVolume(b -> b.volumeId(volumeId).instanceId(instanceId).device(device)));
        return id(a.volumeId(), a.instanceId());
    }

    @Override
    protected void afterCreate(String id, ResourceSpec spec, OperationContext ctx) {
        ctx.await(id + " to be attached", STATE_TIMEOUT, POLL_INTERVAL,
                () -> describeOne(id).filter(a -> a.state() == VolumeAttachmentState.ATTACHED));
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String id = current.id();
        Optional<VolumeAttachment> attachment = describeOne(id).filter(this::isLive);
        if (attachment.isPresent()) {
            try {
                call("DetachVolume", () -> ec2().detachVolume(b -> b
                        .volumeId(attachment.get().volumeId())
                        .instanceId(attachment.get().instanceId())
                        .device(attachment.get().device())));
            } catch (AwsCallException e) {
                // Detached meanwhile: EC2 says the volume is "available" (IncorrectState) or the attachment is gone.
                if (!e.isNotFound() && !"IncorrectState".equals(e.code())) {
                    throw e;
                }
            }
        }
        ctx.await(id + " to be detached", STATE_TIMEOUT, POLL_INTERVAL, () -> describeOne(id)
                .filter(a -> a.state() != VolumeAttachmentState.DETACHED)
                .isEmpty() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }
}
