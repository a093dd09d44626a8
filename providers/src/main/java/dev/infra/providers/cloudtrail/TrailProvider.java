package dev.infra.providers.cloudtrail;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Tag;
import software.amazon.awssdk.services.cloudtrail.model.Trail;
import software.amazon.awssdk.services.cloudtrail.model.UpdateTrailRequest;

/**
 * {@code aws_cloudtrail_trail} (id: the trail ARN): name, s3BucketName, isMultiRegionTrail, logFileValidation,
 * kmsKeyArn (absent: SSE-S3), logging (Boolean), tags; computed arn. Created with its tags (CreateTrail TagsList),
 * then StartLogging when logging is on. StartLogging and StopLogging name the trail by its <em>name</em>, which AWS
 * accepts as well as the ARN (the emulator only the name). The bucket must already allow CloudTrail to write (its
 * policy); while AWS says it does not yet (a policy just put), the create is retried for a while.
 *
 * <p>readAll: one DescribeTrails of the trails whose home is this region (it has no tag filter), one ListTags per 20
 * of them (its limit), then GetTrailStatus (no batch form) for the stack's trails only.
 */
public final class TrailProvider extends AwsResourceProvider {

    public static final String TYPE = "aws_cloudtrail_trail";
    static final String NAME = "name";
    static final String BUCKET = "s3BucketName";
    static final String MULTI_REGION = "isMultiRegionTrail";
    static final String VALIDATION = "logFileValidation";
    static final String KMS_KEY = "kmsKeyArn";
    static final String LOGGING = "logging";
    static final String ARN = "arn";
    /** ListTags takes at most 20 trail ARNs a call. */
    static final int TAGS_BATCH = 20;
    /** What CreateTrail answers while the bucket or key it names does not let CloudTrail in yet. */
    static final Set<String> NOT_YET = Set.of("InsufficientS3BucketPolicyException", "S3BucketDoesNotExistException",
            "InsufficientEncryptionPolicyException", "KmsKeyNotFoundException");

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(MULTI_REGION, Kind.BOOL).updatable(),
            Attribute.required(KMS_KEY, Kind.REFERENCE).updatable(),
            Attribute.required(VALIDATION, Kind.BOOL).updatable(),
            Attribute.required(LOGGING, Kind.BOOL).updatable()
                    .doc("StartLogging/StopLogging by trail *name*: moto fails with the ARN"),
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.TRAIL),
            Attribute.required(BUCKET, Kind.REFERENCE).updatable(),
            Attribute.computed(ARN, Kind.STRING))
            .with(Trait.TAGGED)
            .id("trail ARN");

    public TrailProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    private CloudTrailClient cloudTrail() {
        return clients().client(CloudTrailClient.class, CloudTrailClient::builder);
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return "TrailNotFoundException".equals(e.code()) || e.isNotFound();
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        return read(List.of(), stack);
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return read(ids, null);
    }

    /** By name, unique in the region: adopted when untagged or tagged for this address and stack. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String name = SpecValues.string(spec, NAME);
        return claimed(spec.address(), stack, "trail " + name, readTrail(name));
    }

    /** The trail of this name or ARN. */
    private Optional<LiveResource> readTrail(String nameOrArn) {
        return read(List.of(nameOrArn), null).stream().findFirst();
    }

    /**
     * The trails homed in this region that {@code namesOrArns} names (all when empty) and, when {@code stack} is not
     * null, that carry its tag; their status is read only for those kept.
     */
    private List<LiveResource> read(Collection<String> namesOrArns, String stack) {
        String region = clients().region();
        List<Trail> trails = call("DescribeTrails", () -> cloudTrail().describeTrails(b -> {
            b.includeShadowTrails(false);
            if (!namesOrArns.isEmpty()) {
                b.trailNameList(namesOrArns);
            }
        })).trailList().stream()
                .filter(t -> region.equals(t.homeRegion()) || t.homeRegion() == null)
                .filter(t -> namesOrArns.isEmpty() || namesOrArns.contains(t.name()) || namesOrArns.contains(t.trailARN()))
                .toList();
        Map<String, Map<String, String>> tags = tagsOf(trails.stream().map(Trail::trailARN).toList());
        return readDetails(trails, t -> {
            Map<String, String> own = tags.getOrDefault(t.trailARN(), Map.of());
            if (stack != null && !stack.equals(own.get(STACK_TAG))) {
                return Optional.empty();
            }
            boolean logging = Boolean.TRUE.equals(call("GetTrailStatus",
                    () -> cloudTrail().getTrailStatus(b -> b.name(t.name()))).isLogging());
            return Optional.of(toLive(t, own, logging));
        });
    }

    /** ARN → tags, one ListTags call per {@value #TAGS_BATCH} ARNs. */
    private Map<String, Map<String, String>> tagsOf(List<String> arns) {
        Map<String, Map<String, String>> out = new HashMap<>();
        for (int i = 0; i < arns.size(); i += TAGS_BATCH) {
            List<String> batch = arns.subList(i, Math.min(arns.size(), i + TAGS_BATCH));
            call("ListTags", () -> cloudTrail().listTagsPaginator(b -> b.resourceIdList(batch)).resourceTagList()
                    .stream().toList()).forEach(r -> {
                        Map<String, String> t = out.computeIfAbsent(r.resourceId(), k -> new TreeMap<>());
                        r.tagsList().forEach(tag -> t.put(tag.key(), tag.value()));
                    });
        }
        return out;
    }

    private LiveResource toLive(Trail t, Map<String, String> tags, boolean logging) {
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, t.name());
        a.put(BUCKET, t.s3BucketName());
        a.put(MULTI_REGION, Boolean.TRUE.equals(t.isMultiRegionTrail()));
        a.put(VALIDATION, Boolean.TRUE.equals(t.logFileValidationEnabled()));
        if (t.kmsKeyId() != null && !t.kmsKeyId().isEmpty()) {
            a.put(KMS_KEY, t.kmsKeyId());
        }
        a.put(LOGGING, logging);
        a.put(ARN, t.trailARN());
        return live(t.trailARN(), tags, a);
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String name = SpecValues.string(spec, NAME);
        String kmsKey = SpecValues.optionalString(spec, KMS_KEY);
        String arn = createOnce(ctx, spec.address(),
                () -> call("CreateTrail", () -> clients().forCreates(CloudTrailClient.class, CloudTrailClient::builder)
                        .createTrail(b -> b.name(name)
                                .s3BucketName(SpecValues.string(spec, BUCKET))
                                .isMultiRegionTrail(SpecValues.bool(spec, MULTI_REGION, false))
                                .enableLogFileValidation(SpecValues.bool(spec, VALIDATION, false))
                                .kmsKeyId(kmsKey)
                                .tagsList(trailTags(spec.tags())))).trailARN(),
                () -> readTrail(name).map(LiveResource::id),
                e -> NOT_YET.contains(e.code()));
        if (SpecValues.bool(spec, LOGGING, false)) {
            setLogging(name, true);
        }
        return readBack(ctx, arn);
    }

    /** Tags with AddTags / RemoveTags; UpdateTrail with the settings that differ; then Start/StopLogging. */
    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String arn = current.id();
        String name = (String) current.attributes().get(NAME);
        updateTags(current, spec, changed,
                t -> call("AddTags", () -> cloudTrail().addTags(b -> b.resourceId(arn).tagsList(trailTags(t)))),
                keys -> call("RemoveTags", () -> cloudTrail().removeTags(b -> b.resourceId(arn)
                        .tagsList(keys.stream().map(k -> Tag.builder().key(k).build()).toList()))));
        UpdateTrailRequest.Builder update = UpdateTrailRequest.builder().name(name);
        if (changed.contains(BUCKET)) {
            update.s3BucketName(SpecValues.string(spec, BUCKET));
        }
        if (changed.contains(MULTI_REGION)) {
            update.isMultiRegionTrail(SpecValues.bool(spec, MULTI_REGION, false));
        }
        if (changed.contains(VALIDATION)) {
            update.enableLogFileValidation(SpecValues.bool(spec, VALIDATION, false));
        }
        if (changed.contains(KMS_KEY)) {
            String kmsKey = SpecValues.optionalString(spec, KMS_KEY);
            update.kmsKeyId(kmsKey == null ? "" : kmsKey); // "" turns SSE-KMS off
        }
        if (changed.stream().anyMatch(Set.of(BUCKET, MULTI_REGION, VALIDATION, KMS_KEY)::contains)) {
            UpdateTrailRequest request = update.build();
            whenPropagated(ctx, "UpdateTrail " + name, e -> NOT_YET.contains(e.code()),
                    () -> call("UpdateTrail", () -> cloudTrail().updateTrail(request)));
        }
        if (changed.contains(LOGGING)) {
            setLogging(name, SpecValues.bool(spec, LOGGING, false));
        }
        return readBack(ctx, arn);
    }

    private void setLogging(String name, boolean on) {
        if (on) {
            call("StartLogging", () -> cloudTrail().startLogging(b -> b.name(name)));
        } else {
            call("StopLogging", () -> cloudTrail().stopLogging(b -> b.name(name)));
        }
    }

    private LiveResource readBack(OperationContext ctx, String arn) {
        return awaitPropagation(ctx, "trail " + arn + " to become readable", () -> readTrail(arn));
    }

    /** DeleteTrail by name (as StartLogging: AWS takes either, the emulator only the name); waits until gone. */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String arn = current.id();
        String name = arn.substring(arn.lastIndexOf(":trail/") + ":trail/".length());
        call("DeleteTrail", () -> cloudTrail().deleteTrail(b -> b.name(name)));
        awaitGone(ctx, "trail " + arn, () -> readTrail(arn));
    }

    private static List<Tag> trailTags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(Objects.toString(e.getValue(), "")).build())
                .toList();
    }
}
