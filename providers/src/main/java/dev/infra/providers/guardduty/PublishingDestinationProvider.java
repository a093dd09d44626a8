package dev.infra.providers.guardduty;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.guardduty.model.DescribePublishingDestinationResponse;
import software.amazon.awssdk.services.guardduty.model.Destination;

/**
 * {@code aws_guardduty_publishing_destination} (id: {@code <detectorId>/<destinationId>}): destinationType F
 * ({@code S3}), destinationArn A (the bucket's ARN, with a folder), kmsKeyArn A (findings are encrypted with it); C
 * detectorId; no tags.
 *
 * <p>The stack's own resource on a borrowed detector: the region's detector is a singleton another stack may hold, so
 * the spec names no detector; create and findExisting take the region's detector (ListDetectors, the first listed) and
 * look among its destinations (ListPublishingDestinations, then DescribePublishingDestination each) for one writing
 * to the spec's destinationArn. Update is UpdatePublishingDestination; delete DeletePublishingDestination. GuardDuty
 * answers BadRequestException for an unknown detector or destination: gone.
 */
public final class PublishingDestinationProvider extends AwsResourceProvider {

    public static final String TYPE = "aws_guardduty_publishing_destination";
    static final String DESTINATION_TYPE = "destinationType";
    static final String DESTINATION_ARN = "destinationArn";
    static final String KMS_KEY_ARN = "kmsKeyArn";
    static final String DETECTOR_ID = "detectorId";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(DESTINATION_TYPE, Kind.STRING).rule(Rule.OneOf.of("destination type", "S3")),
            Attribute.required(DESTINATION_ARN, Kind.STRING).updatable().doc("bucket ARN, optionally with a folder"),
            Attribute.required(KMS_KEY_ARN, Kind.REFERENCE).updatable().doc("the key findings are encrypted with"),
            Attribute.computed(DETECTOR_ID, Kind.STRING))
            .id("`<detectorId>/<destinationId>`")
            .notes("No tags. The spec names no detector: the region's detector is a borrowed singleton another stack may hold, and the destination (the stack's own) goes on whichever it is (ListDetectors, first); findExisting = the detector's destination with this destinationArn (ListPublishingDestinations + DescribePublishingDestination); update = UpdatePublishingDestination; delete = DeletePublishingDestination; BadRequestException = gone");

    public PublishingDestinationProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    private GuardDutyClient guardDuty() {
        return clients().client(GuardDutyClient.class, GuardDutyClient::builder);
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return "BadRequestException".equals(e.code()) || e.isNotFound();
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::read);
    }

    private Optional<LiveResource> read(String id) {
        int slash = id.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        return describe(id.substring(0, slash), id.substring(slash + 1));
    }

    private Optional<LiveResource> describe(String detectorId, String destinationId) {
        try {
            DescribePublishingDestinationResponse d = call("DescribePublishingDestination", () -> guardDuty()
                    .describePublishingDestination(b -> b.detectorId(detectorId).destinationId(destinationId)));
            Map<String, Object> a = new TreeMap<>();
            a.put(DETECTOR_ID, detectorId);
            putIfPresent(a, DESTINATION_TYPE, d.destinationTypeAsString());
            if (d.destinationProperties() != null) {
                putIfPresent(a, DESTINATION_ARN, d.destinationProperties().destinationArn());
                putIfPresent(a, KMS_KEY_ARN, d.destinationProperties().kmsKeyArn());
            }
            return Optional.of(live(detectorId + "/" + destinationId, Map.of(), a));
        } catch (AwsCallException e) {
            if (isGone(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The region's detector's destination writing to the spec's destinationArn. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String arn = SpecValues.string(spec, DESTINATION_ARN);
        return detector().flatMap(detectorId -> call("ListPublishingDestinations", () -> guardDuty()
                        .listPublishingDestinationsPaginator(b -> b.detectorId(detectorId)).stream()
                        .flatMap(r -> r.destinations().stream()).toList())
                .stream().map(Destination::destinationId)
                .map(id -> describe(detectorId, id)).flatMap(Optional::stream)
                .filter(d -> arn.equals(d.attributes().get(DESTINATION_ARN)))
                .findFirst());
    }

    private Optional<String> detector() {
        return call("ListDetectors", () -> guardDuty().listDetectorsPaginator(b -> { }).detectorIds().stream().findFirst());
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String detectorId = detector().orElseThrow(() -> new ProviderException(spec.address(),
                "the region has no GuardDuty detector to publish findings from"));
        String id = detectorId + "/" + createOnce(ctx, spec.address(),
                () -> call("CreatePublishingDestination", () -> clients().forCreates(GuardDutyClient.class,
                        GuardDutyClient::builder).createPublishingDestination(b -> b
                        .detectorId(detectorId)
                        .destinationType(SpecValues.string(spec, DESTINATION_TYPE))
                        .destinationProperties(p -> p.destinationArn(SpecValues.string(spec, DESTINATION_ARN))
                                .kmsKeyArn(SpecValues.string(spec, KMS_KEY_ARN))))).destinationId(),
                () -> find(null, spec).map(d -> d.id().substring(d.id().indexOf('/') + 1)), e -> false);
        return awaitPropagation(ctx, "publishing destination " + id + " to become readable", () -> read(id));
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String[] parts = current.id().split("/", 2);
        call("UpdatePublishingDestination", () -> guardDuty().updatePublishingDestination(b -> b
                .detectorId(parts[0]).destinationId(parts[1])
                .destinationProperties(p -> p.destinationArn(SpecValues.string(spec, DESTINATION_ARN))
                        .kmsKeyArn(SpecValues.string(spec, KMS_KEY_ARN)))));
        return readNow(spec, current.id(), this::read);
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String[] parts = current.id().split("/", 2);
        if (parts.length < 2) {
            return;
        }
        call("DeletePublishingDestination", () -> guardDuty().deletePublishingDestination(b -> b
                .detectorId(parts[0]).destinationId(parts[1])));
        awaitGone(ctx, "publishing destination " + current.id(), () -> read(current.id()));
    }
}
