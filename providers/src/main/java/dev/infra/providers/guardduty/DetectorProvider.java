package dev.infra.providers.guardduty;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.guardduty.model.DetectorStatus;
import software.amazon.awssdk.services.guardduty.model.GetDetectorResponse;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * {@code aws_guardduty_detector} (id: the detector id): enable (Boolean), findingPublishingFrequency, tags.
 *
 * <p>AWS allows one detector per account and region, so a stack borrows it ({@link #singleton}): findExisting finds the
 * region's detector (ListDetectors, the first listed): another stack's when tagged with its {@code infra:stack}
 * ({@link LiveResource#HELD_BY}: update and create refuse to change it), this stack's when tagged with this one, else
 * free, with {@code previous} = {existed: true, enable, findingPublishingFrequency, tags} as it is now. Create does the
 * same before it calls CreateDetector, so a detector that exists is brought to the spec (UpdateDetector, TagResource)
 * instead of made twice; one it makes records {@code previous} = {existed: false}. {@code previous} (write-only) is
 * carried through every update into the state; delete puts a borrowed detector back as it was (settings and tags:
 * in an Organization a member cannot delete it anyway) and deletes only one the stack made (or whose state has no
 * record, as before records were kept). Tags
 * change through TagResource / UntagResource, which take the detector's ARN
 * ({@code arn:<partition>:guardduty:<region>:<account>:detector/<id>}); the account comes from STS
 * GetCallerIdentity, once.
 *
 * <p>readAll: ListDetectors (one call, all pages) and GetDetector (tags included) per detector: one in a region.
 */
public final class DetectorProvider extends AwsResourceProvider {

    public static final String TYPE = "aws_guardduty_detector";
    static final String ENABLE = "enable";
    static final String FREQUENCY = "findingPublishingFrequency";
    static final String PREVIOUS = "previous";
    static final String EXISTED = "existed";

    private volatile String account;

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(ENABLE, Kind.BOOL).updatable(),
            Attribute.required(FREQUENCY, Kind.STRING).rule(Rule.OneOf.of("finding publishing frequency", "FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS")).updatable(),
            Attribute.optional(PREVIOUS, Kind.MAP).writeOnly()
                    .doc("{existed: false} when the stack made it; {existed: true, enable, findingPublishingFrequency, tags} when borrowed"))
            .with(Trait.TAGGED, Trait.SINGLETON)
            .id("detector id")
            .notes("One per region, a singleton: ListDetectors before CreateDetector; the region's detector is another stack's (heldBy) when tagged with its `infra:stack`, else borrowed; create and update refuse one held by another stack; delete puts a borrowed detector back (UpdateDetector, tags) and deletes only one the stack made (or without a record)");

    public DetectorProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    private GuardDutyClient guardDuty() {
        return clients().client(GuardDutyClient.class, GuardDutyClient::builder);
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        return detectorIds().stream().map(this::read).toList();
    }

    /** The detectors ListDetectors still lists (GetDetector of an unknown id is a BadRequestException). */
    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return detectorIds().stream().filter(ids::contains).map(this::read).toList();
    }

    /** The region's detector, whatever its tags (there is at most one): another stack's, this stack's, or free. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return detectorIds().stream().findFirst().map(this::read).map(d -> {
            String holder = tags(d).get(STACK_TAG);
            if (holder == null) {
                Map<String, Object> previous = new TreeMap<>(d.attributes());
                previous.put(EXISTED, true);
                return with(d, PREVIOUS, previous);
            }
            return holder.equals(stack) ? d : with(d, LiveResource.HELD_BY, holder);
        });
    }

    private List<String> detectorIds() {
        return call("ListDetectors", () -> guardDuty().listDetectorsPaginator(b -> { }).detectorIds().stream().toList());
    }

    private Optional<LiveResource> readDetector(String id) {
        return readIds(List.of(id)).stream().findFirst();
    }

    private LiveResource read(String id) {
        GetDetectorResponse d = call("GetDetector", () -> guardDuty().getDetector(b -> b.detectorId(id)));
        Map<String, Object> a = new TreeMap<>();
        a.put(ENABLE, d.status() == DetectorStatus.ENABLED);
        putIfPresent(a, FREQUENCY, d.findingPublishingFrequencyAsString());
        return live(id, d.tags(), a);
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        Optional<LiveResource> existing = find(spec.tags().get(STACK_TAG), spec);
        if (existing.isPresent()) {
            return bringToSpec(existing.get(), spec, ctx);
        }
        String id = createOnce(ctx, spec.address(),
                () -> call("CreateDetector", () -> clients().forCreates(GuardDutyClient.class, GuardDutyClient::builder)
                        .createDetector(b -> b.enable(SpecValues.bool(spec, ENABLE, true))
                                .findingPublishingFrequency(SpecValues.optionalString(spec, FREQUENCY))
                                .tags(spec.tags()))).detectorId(),
                () -> detectorIds().stream().findFirst(), e -> false);
        return with(readBack(ctx, id), PREVIOUS, Map.of(EXISTED, false));
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        LiveResource now = readNow(spec, current.id(), this::readDetector);
        return bringToSpec(with(now, PREVIOUS, current.attributes().get(PREVIOUS)), spec, ctx);
    }

    /**
     * UpdateDetector for the settings that differ, TagResource / UntagResource for the tags; the record of what the
     * detector was ({@code previous}) stays. Another stack's is left as it is.
     */
    private LiveResource bringToSpec(LiveResource now, ResourceSpec spec, OperationContext ctx) {
        if (now.attributes().get(LiveResource.HELD_BY) instanceof String holder) {
            throw new ProviderException(spec.address(), "the GuardDuty detector " + now.id() + " of this region is held"
                    + " by stack " + holder + "; left as it is");
        }
        String id = now.id();
        Boolean enable = SpecValues.optionalBoolean(spec, ENABLE);
        String frequency = SpecValues.optionalString(spec, FREQUENCY);
        boolean enableDiffers = enable != null && !enable.equals(now.attributes().get(ENABLE));
        boolean frequencyDiffers = frequency != null && !frequency.equals(now.attributes().get(FREQUENCY));
        if (enableDiffers || frequencyDiffers) {
            call("UpdateDetector", () -> guardDuty().updateDetector(b -> b.detectorId(id)
                    .enable(enableDiffers ? enable : null)
                    .findingPublishingFrequency(frequencyDiffers ? frequency : null)));
        }
        retag(id, tags(now), spec.tags());
        return with(readBack(ctx, id), PREVIOUS, now.attributes().get(PREVIOUS));
    }

    /** TagResource / UntagResource from {@code current} to {@code desired}, each only when there is something to do. */
    private void retag(String id, Map<String, String> current, Map<String, String> desired) {
        TagChanges t = tagChanges(current, desired);
        if (!t.put().isEmpty()) {
            call("TagResource", () -> guardDuty().tagResource(b -> b.resourceArn(arn(id)).tags(t.put())));
        }
        if (!t.remove().isEmpty()) {
            call("UntagResource", () -> guardDuty().untagResource(b -> b.resourceArn(arn(id)).tagKeys(t.remove())));
        }
    }

    private String arn(String detectorId) {
        if (account == null) {
            account = call("GetCallerIdentity",
                    () -> clients().client(StsClient.class, StsClient::builder).getCallerIdentity()).account();
        }
        RegionMetadata metadata = Region.of(clients().region()).metadata();
        String partition = metadata == null ? "aws" : metadata.partition().id();
        return "arn:" + partition + ":guardduty:" + clients().region() + ":" + account + ":detector/" + detectorId;
    }

    private LiveResource readBack(OperationContext ctx, String id) {
        return awaitPropagation(ctx, "detector " + id + " to become readable", () -> readDetector(id));
    }

    /** A borrowed detector goes back to what it was; one the stack made (or of unknown origin) is deleted. */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String id = current.id();
        Map<?, ?> previous = current.attributes().get(PREVIOUS) instanceof Map<?, ?> m ? m : Map.of();
        if (Boolean.TRUE.equals(previous.get(EXISTED))) {
            Optional<LiveResource> now = readDetector(id);
            if (now.isPresent()) {
                call("UpdateDetector", () -> guardDuty().updateDetector(b -> b.detectorId(id)
                        .enable(Boolean.TRUE.equals(previous.get(ENABLE)))
                        .findingPublishingFrequency(previous.get(FREQUENCY) instanceof String f ? f : null)));
                Map<String, String> tags = new TreeMap<>();
                if (previous.get(TAGS) instanceof Map<?, ?> t) {
                    t.forEach((k, v) -> tags.put(String.valueOf(k), String.valueOf(v)));
                }
                retag(id, tags(now.get()), tags);
            }
            return;
        }
        if (detectorIds().contains(id)) {
            call("DeleteDetector", () -> guardDuty().deleteDetector(b -> b.detectorId(id)));
        }
        awaitGone(ctx, "detector " + id, () -> Optional.of(id).filter(detectorIds()::contains));
    }
}
