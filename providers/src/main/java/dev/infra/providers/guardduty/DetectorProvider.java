package dev.infra.providers.guardduty;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
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
 * <p>AWS allows one detector per account and region, so findExisting adopts the region's detector (ListDetectors,
 * the first listed) whatever its tags, and create does the same before it calls CreateDetector: a second create in
 * the region brings the existing detector to the spec (UpdateDetector, TagResource) instead of making another. Tags
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

    private volatile String account;

    public DetectorProvider(AwsClients clients) {
        super(clients, TYPE, true, Set.of(ENABLE, FREQUENCY), Set.of());
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

    /** The region's detector, whatever its tags: there is at most one. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return detectorIds().stream().findFirst().map(this::read);
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
        Optional<LiveResource> existing = find(null, spec);
        if (existing.isPresent()) {
            return bringToSpec(existing.get(), spec, ctx);
        }
        String id = createOnce(ctx, spec.address(),
                () -> call("CreateDetector", () -> clients().forCreates(GuardDutyClient.class, GuardDutyClient::builder)
                        .createDetector(b -> b.enable(SpecValues.bool(spec, ENABLE, true))
                                .findingPublishingFrequency(SpecValues.optionalString(spec, FREQUENCY))
                                .tags(spec.tags()))).detectorId(),
                () -> detectorIds().stream().findFirst(), e -> false);
        return readBack(ctx, id);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        return bringToSpec(readNow(spec, current.id(), this::readDetector), spec, ctx);
    }

    /** UpdateDetector for the settings that differ, TagResource / UntagResource for the tags. */
    private LiveResource bringToSpec(LiveResource now, ResourceSpec spec, OperationContext ctx) {
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
        updateTags(now, spec, t -> call("TagResource", () -> guardDuty().tagResource(b -> b.resourceArn(arn(id)).tags(t))),
                keys -> call("UntagResource", () -> guardDuty().untagResource(b -> b.resourceArn(arn(id)).tagKeys(keys))));
        return readBack(ctx, id);
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

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String id = current.id();
        if (detectorIds().contains(id)) {
            call("DeleteDetector", () -> guardDuty().deleteDetector(b -> b.detectorId(id)));
        }
        awaitGone(ctx, "detector " + id, () -> Optional.of(id).filter(detectorIds()::contains));
    }
}
