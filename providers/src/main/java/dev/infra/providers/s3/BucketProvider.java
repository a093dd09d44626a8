package dev.infra.providers.s3;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.HeldData;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.topology.Partition;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.ParallelReads;
import dev.infra.providers.Policies;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.RegionMetadata;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.CreateBucketConfiguration;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;
import software.amazon.awssdk.services.s3.model.NoncurrentVersionTransition;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionRule;
import software.amazon.awssdk.services.s3.model.Tag;
import software.amazon.awssdk.services.s3.model.Transition;

/**
 * {@code aws_s3_bucket} (id: the bucket name): bucket, kmsKeyArn (SSE-KMS with that key, a bucket key on; absent:
 * SSE-S3), versioning (Boolean), blockPublicAccess (Boolean: all four public access block settings), tags; computed
 * arn. Tagged at creation (CreateBucketConfiguration.Tags); encryption, public access block, versioning, lifecycle
 * rules and policy follow, each retried while the new bucket is not visible yet.
 *
 * <p>Data is kept: {@code forceDestroy} (Boolean; stored as the bucket's tag {@code infra:force-destroy}, so it is read
 * back like any setting, and left out of {@code tags}) says a delete may empty the bucket. {@link #heldData} counts
 * what a delete would lose (ListObjectVersions, up to {@value #COUNT_PAGES} pages): a bucket whose policy lets
 * CloudTrail write holds audit logs, which only its own forceDestroy lets go. Delete empties the bucket (every object
 * version and delete marker, 1000 a DeleteObjects call) only when its attributes say forceDestroy (the planner says
 * so when the user allowed it); otherwise it is DeleteBucket alone, which S3 refuses for a bucket holding objects.
 *
 * <p>{@code lifecycleRules}: a list of {id, prefix, transitionDays?, storageClass?, expirationDays?,
 * noncurrentTransitionDays?, noncurrentStorageClass?, noncurrentExpirationDays?, abortIncompleteUploadsDays?,
 * expiredDeleteMarkers?} (numbers Long), sorted by id, each an enabled rule for the objects under its prefix (a Filter
 * prefix): current versions, noncurrent versions, incomplete multipart uploads, expired delete markers;
 * an empty list means no lifecycle configuration (DeleteBucketLifecycle). Disabled rules are not read back, so a
 * rule disabled outside the tool shows as a change. {@code policy}: the bucket policy, read back in
 * {@link Policies#canonical canonical form} (compact, keys sorted); absent means none (DeleteBucketPolicy). The spec's
 * {@link ResourceSpec#ACCOUNT} is written as the account (STS GetCallerIdentity, once), and the account read back as it.
 *
 * <p>readAll: one GetResources call of the Resource Groups Tagging API (S3 has no tag filter on ListBuckets, and
 * GetResources answers with the buckets located in the client's region only), then, per bucket of the stack,
 * GetBucketEncryption, GetBucketVersioning, GetPublicAccessBlock, GetBucketLifecycleConfiguration and GetBucketPolicy
 * (S3 has no batch form of these, and each configuration has its own call).
 */
public final class BucketProvider extends AwsResourceProvider {

    public static final String TYPE = "aws_s3_bucket";
    /** DeleteObjects takes at most 1000 keys a call. */
    static final int DELETE_BATCH = 1000;
    static final Duration EMPTY_TIMEOUT = Duration.ofMinutes(10);
    static final Duration EMPTY_INTERVAL = Duration.ofSeconds(5);
    static final Set<String> GONE = Set.of("NoSuchBucket");
    static final String LIFECYCLE = "lifecycleRules";
    static final String POLICY = "policy";
    static final String RULE_ID = "id";
    static final String RULE_PREFIX = "prefix";
    static final String TRANSITION_DAYS = "transitionDays";
    static final String STORAGE_CLASS = "storageClass";
    static final String EXPIRATION_DAYS = "expirationDays";
    static final String NONCURRENT_TRANSITION_DAYS = "noncurrentTransitionDays";
    static final String NONCURRENT_STORAGE_CLASS = "noncurrentStorageClass";
    static final String NONCURRENT_EXPIRATION_DAYS = "noncurrentExpirationDays";
    static final String ABORT_UPLOADS_DAYS = "abortIncompleteUploadsDays";
    static final String EXPIRED_DELETE_MARKERS = "expiredDeleteMarkers";
    static final String FORCE_TAG = "infra:force-destroy";
    /** How many ListObjectVersions pages a plan reads to say what a delete loses; beyond, it says "more than". */
    static final int COUNT_PAGES = 10;

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required("blockPublicAccess", Kind.BOOL).updatable(),
            Attribute.required("bucket", Kind.STRING).rule(AwsRules.BUCKET),
            Attribute.optional("forceDestroy", Kind.BOOL).updatable()
                    .doc("stored as the tag `infra:force-destroy`, left out of tags"),
            Attribute.optional("kmsKeyArn", Kind.REFERENCE).updatable()
                    .doc("SSE-KMS; absent = SSE-S3"),
            Attribute.required(LIFECYCLE, Kind.LIST).updatable()
                    .doc("list of {id, prefix, transitionDays?, storageClass?, expirationDays?}, sorted by id; empty = none"),
            Attribute.optional(POLICY, Kind.STRING).updatable()
                    .doc("JSON, canonical: compact, keys sorted; absent = none; `${infra:account}` in it is written as the account and read back as the token"),
            Attribute.required("versioning", Kind.BOOL).updatable(),
            Attribute.computed("arn", Kind.STRING))
            .with(Trait.TAGGED, Trait.ACCOUNT_WIDE)
            .id("bucket name")
            .notes("HeldData: object versions and delete markers (ListObjectVersions, up to 10 pages), kept unless forced, a bucket whose policy lets CloudTrail write only by its own forceDestroy; delete empties the bucket first (all versions) only when its attributes say forceDestroy, else DeleteBucket alone (S3 refuses a non-empty bucket).");

    public BucketProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    private S3Client s3() {
        return clients().s3();
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return GONE.contains(e.code()) || e.isNotFound();
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        Map<String, Map<String, String>> tagged = new TreeMap<>();
        taggedResources("s3", Map.of(STACK_TAG, stack)).forEach((arn, tags) -> {
            String owner = tags.get(LiveResource.REGION_TAG);
            if (owner == null || owner.equals(clients().region())) { // else another region's (S3 lists account-wide)
                tagged.put(arn.substring(arn.lastIndexOf(':') + 1), tags);
            }
        });
        // A bucket deleted since the tagging API indexed it reads as gone.
        return readDetails(tagged.entrySet(), e -> ProviderSupport.unless(this::isGone,
                () -> Optional.of(read(e.getKey(), e.getValue()))));
    }

    /** Per bucket: GetBucketTagging and the five configuration reads. */
    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::readBucket);
    }

    /** By name (unique across AWS): adopted when untagged or tagged for this address and stack. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String bucket = SpecValues.string(spec, "bucket");
        return ProviderSupport.unless(this::isGone, () -> {
            Map<String, String> tags = tagsOf(bucket);
            ProviderSupport.claim(spec.address(), stack, "bucket " + bucket, tags);
            return Optional.of(read(bucket, tags));
        });
    }

    private Optional<LiveResource> readBucket(String bucket) {
        return ProviderSupport.unless(this::isGone, () -> Optional.of(read(bucket, tagsOf(bucket))));
    }

    private LiveResource read(String bucket, Map<String, String> stored) {
        Map<String, String> tags = new TreeMap<>(stored);
        Map<String, Object> a = new TreeMap<>();
        a.put(HeldData.FORCE_DESTROY, "true".equals(tags.remove(FORCE_TAG)));
        a.put("bucket", bucket);
        a.put("arn", arn(bucket));
        // The five configuration reads do not depend on each other: one round trip, not five.
        var kmsKey = ParallelReads.fork(() -> kmsKeyOf(bucket));
        var versioning = ParallelReads.fork(() -> call("GetBucketVersioning",
                () -> s3().getBucketVersioning(b -> b.bucket(bucket))).status() == BucketVersioningStatus.ENABLED);
        var publicAccess = ParallelReads.fork(() -> blocksPublicAccess(bucket));
        var lifecycle = ParallelReads.fork(() -> lifecycleRulesOf(bucket));
        Optional<String> policy = policyOf(bucket);
        kmsKey.join().ifPresent(k -> a.put("kmsKeyArn", k));
        a.put("versioning", versioning.join());
        a.put("blockPublicAccess", publicAccess.join());
        a.put(LIFECYCLE, lifecycle.join());
        policy.ifPresent(p -> a.put(POLICY, p));
        return live(bucket, tags, a);
    }

    /** The enabled lifecycle rules in the attribute's shape, sorted by id; none: NoSuchLifecycleConfiguration. */
    private List<Map<String, Object>> lifecycleRulesOf(String bucket) {
        return ProviderSupport.unless(e -> "NoSuchLifecycleConfiguration".equals(e.code()),
                () -> Optional.of(call("GetBucketLifecycleConfiguration",
                        () -> s3().getBucketLifecycleConfiguration(b -> b.bucket(bucket))).rules()))
                .orElse(List.of()).stream()
                .filter(r -> r.status() == ExpirationStatus.ENABLED)
                .map(BucketProvider::ruleAttribute)
                .sorted(Comparator.comparing(r -> String.valueOf(r.get(RULE_ID))))
                .toList();
    }

    /**
     * One rule's actions: for current versions its first transition and its expiration by days, for noncurrent ones
     * the same by noncurrent days, incomplete uploads aborted after days, expired delete markers removed.
     */
    private static Map<String, Object> ruleAttribute(LifecycleRule rule) {
        Map<String, Object> r = new TreeMap<>();
        r.put(RULE_ID, rule.id());
        String prefix = rule.filter() == null ? null : rule.filter().prefix();
        r.put(RULE_PREFIX, prefix == null ? "" : prefix);
        rule.transitions().stream().filter(t -> t.days() != null).findFirst().ifPresent(t -> {
            r.put(TRANSITION_DAYS, t.days().longValue());
            r.put(STORAGE_CLASS, t.storageClassAsString());
        });
        if (rule.expiration() != null && rule.expiration().days() != null) {
            r.put(EXPIRATION_DAYS, rule.expiration().days().longValue());
        }
        if (rule.expiration() != null && Boolean.TRUE.equals(rule.expiration().expiredObjectDeleteMarker())) {
            r.put(EXPIRED_DELETE_MARKERS, true);
        }
        rule.noncurrentVersionTransitions().stream().filter(t -> t.noncurrentDays() != null).findFirst().ifPresent(t -> {
            r.put(NONCURRENT_TRANSITION_DAYS, t.noncurrentDays().longValue());
            r.put(NONCURRENT_STORAGE_CLASS, t.storageClassAsString());
        });
        if (rule.noncurrentVersionExpiration() != null && rule.noncurrentVersionExpiration().noncurrentDays() != null) {
            r.put(NONCURRENT_EXPIRATION_DAYS, rule.noncurrentVersionExpiration().noncurrentDays().longValue());
        }
        if (rule.abortIncompleteMultipartUpload() != null
                && rule.abortIncompleteMultipartUpload().daysAfterInitiation() != null) {
            r.put(ABORT_UPLOADS_DAYS, rule.abortIncompleteMultipartUpload().daysAfterInitiation().longValue());
        }
        return r;
    }

    /** The bucket policy in canonical form, the account as {@link ResourceSpec#ACCOUNT}; none: NoSuchBucketPolicy. */
    private Optional<String> policyOf(String bucket) {
        return ProviderSupport.unless(e -> "NoSuchBucketPolicy".equals(e.code()),
                () -> Optional.ofNullable(Policies.canonical(call("GetBucketPolicy",
                        () -> s3().getBucketPolicy(b -> b.bucket(bucket))).policy())))
                .map(p -> p.replace(account(), ResourceSpec.ACCOUNT));
    }

    /** The account the clients work in (STS GetCallerIdentity, once): what {@link ResourceSpec#ACCOUNT} stands for. */
    private String account() {
        return clients().globalArn("iam", "root").split(":")[4];
    }

    /** The KMS key of default SSE-KMS encryption; "alias/aws/s3" for AWS's own key; absent for SSE-S3 or none. */
    private Optional<String> kmsKeyOf(String bucket) {
        return ProviderSupport.unless(e -> "ServerSideEncryptionConfigurationNotFoundError".equals(e.code()),
                () -> call("GetBucketEncryption", () -> s3().getBucketEncryption(b -> b.bucket(bucket)))
                        .serverSideEncryptionConfiguration().rules().stream()
                        .map(ServerSideEncryptionRule::applyServerSideEncryptionByDefault)
                        .filter(d -> d != null && d.sseAlgorithm() != ServerSideEncryption.AES256)
                        .map(d -> d.kmsMasterKeyID() == null ? "alias/aws/s3" : d.kmsMasterKeyID())
                        .findFirst());
    }

    private boolean blocksPublicAccess(String bucket) {
        return ProviderSupport.unless(e -> "NoSuchPublicAccessBlockConfiguration".equals(e.code()),
                () -> Optional.of(call("GetPublicAccessBlock", () -> s3().getPublicAccessBlock(b -> b.bucket(bucket)))
                        .publicAccessBlockConfiguration()))
                .map(c -> Boolean.TRUE.equals(c.blockPublicAcls()) && Boolean.TRUE.equals(c.ignorePublicAcls())
                        && Boolean.TRUE.equals(c.blockPublicPolicy()) && Boolean.TRUE.equals(c.restrictPublicBuckets()))
                .orElse(false);
    }

    private Map<String, String> tagsOf(String bucket) {
        Map<String, String> tags = new TreeMap<>();
        ProviderSupport.unless(e -> "NoSuchTagSet".equals(e.code()), () -> Optional.of(call("GetBucketTagging",
                () -> s3().getBucketTagging(b -> b.bucket(bucket))).tagSet()))
                .ifPresent(set -> set.forEach(t -> tags.put(t.key(), t.value())));
        return tags;
    }

    // ---- changes ----------------------------------------------------------------------------------------

    /**
     * CreateBucket in the client's region, tagged; then encryption, the public access block and (when on)
     * versioning. A BucketAlreadyOwnedByYou after a retried call whose first attempt took effect adopts the bucket
     * when its tags say it is this resource.
     */
    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String bucket = SpecValues.string(spec, "bucket");
        String region = clients().region();
        CreateBucketConfiguration.Builder configuration = CreateBucketConfiguration.builder().tags(sdkTags(spec));
        if (!Region.US_EAST_1.id().equals(region)) {
            configuration.locationConstraint(region);
        }
        try {
            // Right after a bucket of this name was deleted (a replica destroyed and made again), S3 answers
            // OperationAborted (409) until the deletion has settled: retried for the propagation window.
            whenPropagated(ctx, "CreateBucket " + bucket + " (OperationAborted: a deletion of the name settling)",
                    e -> "OperationAborted".equals(e.code()), () -> call("CreateBucket", () -> s3().createBucket(b -> b
                            .bucket(bucket).createBucketConfiguration(configuration.build()))));
        } catch (AwsCallException e) {
            if (!"BucketAlreadyOwnedByYou".equals(e.code())) {
                throw e;
            }
            ProviderSupport.claim(spec.address(), spec.tags().get(STACK_TAG), "bucket " + bucket, tagsOf(bucket));
        }
        String what = "configuration of new bucket " + bucket;
        whenPropagated(ctx, what, this::isGone, () -> putEncryption(bucket, spec));
        whenPropagated(ctx, what, this::isGone, () -> putPublicAccessBlock(bucket, spec));
        if (SpecValues.bool(spec, "versioning", false)) {
            whenPropagated(ctx, what, this::isGone, () -> putVersioning(bucket, spec));
        }
        if (!SpecValues.maps(spec, LIFECYCLE).isEmpty()) {
            whenPropagated(ctx, what, this::isGone, () -> putLifecycleRules(bucket, spec));
        }
        if (SpecValues.optionalString(spec, POLICY) != null) {
            whenPropagated(ctx, what, this::isGone, () -> putPolicy(bucket, spec));
        }
        return awaitPropagation(ctx, "bucket " + bucket + " to become readable", () -> readBucket(bucket));
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String bucket = current.id();
        TagChanges t = tagChanges(tags(current), spec.tags());
        if (!t.put().isEmpty() || !t.remove().isEmpty() || changed.contains(HeldData.FORCE_DESTROY)) {
            // PutBucketTagging replaces the whole set.
            List<Tag> all = sdkTags(spec);
            if (all.isEmpty()) {
                call("DeleteBucketTagging", () -> s3().deleteBucketTagging(b -> b.bucket(bucket)));
            } else {
                call("PutBucketTagging", () -> s3().putBucketTagging(b -> b.bucket(bucket).tagging(x -> x.tagSet(all))));
            }
        }
        if (changed.contains("kmsKeyArn")) {
            putEncryption(bucket, spec);
        }
        if (changed.contains("blockPublicAccess")) {
            putPublicAccessBlock(bucket, spec);
        }
        if (changed.contains("versioning")) {
            putVersioning(bucket, spec);
        }
        if (changed.contains(LIFECYCLE)) {
            putLifecycleRules(bucket, spec);
        }
        if (changed.contains(POLICY)) {
            putPolicy(bucket, spec);
        }
        return awaitPropagation(ctx, "bucket " + bucket + " to become readable", () -> readBucket(bucket));
    }

    /**
     * With forceDestroy, empties the bucket (all versions and delete markers) and deletes it, emptying again when an
     * object arrived meanwhile; without, DeleteBucket alone, so S3 refuses a bucket holding objects. Then waits until
     * it is gone.
     */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String bucket = current.id();
        if (Boolean.TRUE.equals(current.attributes().get(HeldData.FORCE_DESTROY))) {
            retrying(ctx, "DeleteBucket " + bucket, EMPTY_TIMEOUT, EMPTY_INTERVAL, e -> "BucketNotEmpty".equals(e.code()),
                    () -> {
                        empty(bucket, ctx.address());
                        return call("DeleteBucket", () -> s3().deleteBucket(b -> b.bucket(bucket)));
                    });
        } else {
            try {
                call("DeleteBucket", () -> s3().deleteBucket(b -> b.bucket(bucket)));
            } catch (AwsCallException e) {
                if (!"BucketNotEmpty".equals(e.code())) {
                    throw e;
                }
                throw new ProviderException(ctx.address(), "bucket " + bucket + " is not empty (objects arrived since"
                        + " the plan) and was kept: infra deletes no data unless told to (forceDestroy: true on it, or"
                        + " --force-delete-data)", e);
            }
        }
        awaitPropagation(ctx, "bucket " + bucket + " to be deleted",
                () -> exists(bucket) ? Optional.empty() : Optional.of(Boolean.TRUE));
    }

    /** Its object versions and delete markers, counted; a bucket receiving CloudTrail's logs holds audit logs. */
    @Override
    public Optional<HeldData> heldData(LiveResource live) {
        String bucket = live.id();
        return wrap(live.address() == null ? bucket : live.address(), () -> ProviderSupport.unless(this::isGone,
                () -> contents(bucket)).map(summary -> new HeldData(summary,
                Policies.grantsService(live.attributes().get(POLICY) instanceof String p ? p : null,
                        Partition.of(clients().region()).servicePrincipal("cloudtrail"))
                        ? HeldData.Guard.KEPT_UNLESS_OWN : HeldData.Guard.KEPT)));
    }

    /** "3 objects (5 versions, 1 delete marker)", from up to {@link #COUNT_PAGES} pages; empty for an empty bucket. */
    private Optional<String> contents(String bucket) {
        // The paginator calls S3 as it is iterated: the pages are read inside the call, so its errors are AWS's.
        List<ListObjectVersionsResponse> pages = call("ListObjectVersions", () -> s3()
                .listObjectVersionsPaginator(b -> b.bucket(bucket)).stream().limit(COUNT_PAGES).toList());
        long objects = 0;
        long versions = 0;
        long markers = 0;
        for (ListObjectVersionsResponse page : pages) {
            objects += page.versions().stream().filter(v -> Boolean.TRUE.equals(v.isLatest())).count();
            versions += page.versions().size();
            markers += page.deleteMarkers().size();
        }
        boolean more = Boolean.TRUE.equals(pages.get(pages.size() - 1).isTruncated());
        if (versions + markers == 0) {
            return Optional.empty();
        }
        String atLeast = more ? "more than " : "";
        List<String> besides = new ArrayList<>();
        if (versions != objects) {
            besides.add(atLeast + count(versions, "version"));
        }
        if (markers > 0) {
            besides.add(atLeast + count(markers, "delete marker"));
        }
        return Optional.of(atLeast + count(objects, "object") + (besides.isEmpty() ? ""
                : " (" + String.join(", ", besides) + ")"));
    }

    private static String count(long n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    private boolean exists(String bucket) {
        return ProviderSupport.unless(this::isGone, () -> Optional.of(call("GetBucketLocation",
                () -> s3().getBucketLocation(b -> b.bucket(bucket))))).isPresent();
    }

    /** Deletes every object version and delete marker, up to 1000 a DeleteObjects call. */
    private void empty(String bucket, String address) {
        List<ObjectIdentifier> batch = new ArrayList<>();
        call("ListObjectVersions", () -> {
            s3().listObjectVersionsPaginator(b -> b.bucket(bucket)).forEach(page -> {
                page.versions().forEach(v -> batch.add(id(v.key(), v.versionId())));
                page.deleteMarkers().forEach(m -> batch.add(id(m.key(), m.versionId())));
                while (batch.size() >= DELETE_BATCH) {
                    deleteObjects(bucket, batch.subList(0, DELETE_BATCH), address);
                }
            });
            return null;
        });
        if (!batch.isEmpty()) {
            deleteObjects(bucket, batch, address);
        }
    }

    /** Deletes these keys and removes them from {@code keys}; fails on any key S3 could not delete. */
    private void deleteObjects(String bucket, List<ObjectIdentifier> keys, String address) {
        List<ObjectIdentifier> now = List.copyOf(keys);
        DeleteObjectsResponse r = call("DeleteObjects", () -> s3().deleteObjects(b -> b.bucket(bucket)
                .delete(d -> d.objects(now).quiet(true))));
        if (!r.errors().isEmpty()) {
            var first = r.errors().get(0);
            throw new ProviderException(address, "DeleteObjects failed for " + r.errors().size() + " keys of " + bucket
                    + ", e.g. " + first.key() + ": " + first.code() + ": " + first.message());
        }
        keys.clear();
    }

    private Object putEncryption(String bucket, ResourceSpec spec) {
        String key = SpecValues.optionalString(spec, "kmsKeyArn");
        ServerSideEncryptionByDefault byDefault = key == null
                ? ServerSideEncryptionByDefault.builder().sseAlgorithm(ServerSideEncryption.AES256).build()
                : ServerSideEncryptionByDefault.builder().sseAlgorithm(ServerSideEncryption.AWS_KMS)
                        .kmsMasterKeyID(key).build();
        return call("PutBucketEncryption", () -> s3().putBucketEncryption(b -> b.bucket(bucket)
                .serverSideEncryptionConfiguration(c -> c.rules(ServerSideEncryptionRule.builder()
                        .applyServerSideEncryptionByDefault(byDefault)
                        .bucketKeyEnabled(key != null)
                        .build()))));
    }

    private Object putPublicAccessBlock(String bucket, ResourceSpec spec) {
        boolean block = SpecValues.bool(spec, "blockPublicAccess", true);
        return call("PutPublicAccessBlock", () -> s3().putPublicAccessBlock(b -> b.bucket(bucket)
                .publicAccessBlockConfiguration(PublicAccessBlockConfiguration.builder()
                        .blockPublicAcls(block).ignorePublicAcls(block)
                        .blockPublicPolicy(block).restrictPublicBuckets(block).build())));
    }

    /** Enabled, or Suspended: a bucket once versioned never goes back to unversioned. */
    private Object putVersioning(String bucket, ResourceSpec spec) {
        BucketVersioningStatus status = SpecValues.bool(spec, "versioning", false)
                ? BucketVersioningStatus.ENABLED : BucketVersioningStatus.SUSPENDED;
        return call("PutBucketVersioning", () -> s3().putBucketVersioning(b -> b.bucket(bucket)
                .versioningConfiguration(v -> v.status(status))));
    }

    /** The spec's rules as the bucket's whole lifecycle configuration; none: DeleteBucketLifecycle. */
    private Object putLifecycleRules(String bucket, ResourceSpec spec) {
        List<LifecycleRule> rules = SpecValues.maps(spec, LIFECYCLE).stream().map(r -> lifecycleRule(spec, r)).toList();
        if (rules.isEmpty()) {
            return call("DeleteBucketLifecycle", () -> s3().deleteBucketLifecycle(b -> b.bucket(bucket)));
        }
        return call("PutBucketLifecycleConfiguration", () -> s3().putBucketLifecycleConfiguration(b -> b
                .bucket(bucket).lifecycleConfiguration(c -> c.rules(rules))));
    }

    /**
     * An enabled rule for the objects under the prefix: transition and expiration of current versions by days, of
     * noncurrent ones by noncurrent days, incomplete uploads aborted, expired delete markers removed, each when given.
     */
    private static LifecycleRule lifecycleRule(ResourceSpec spec, Map<?, ?> rule) {
        Object id = rule.get(RULE_ID);
        if (id == null) {
            throw new ProviderException(spec.address(), LIFECYCLE + ": each rule needs an id, got " + rule);
        }
        Object prefix = rule.get(RULE_PREFIX);
        LifecycleRule.Builder b = LifecycleRule.builder()
                .id(id.toString())
                .status(ExpirationStatus.ENABLED)
                .filter(f -> f.prefix(prefix == null ? "" : prefix.toString()));
        Integer transitionDays = paired(spec, rule, TRANSITION_DAYS, STORAGE_CLASS);
        if (transitionDays != null) {
            b.transitions(Transition.builder().days(transitionDays).storageClass(rule.get(STORAGE_CLASS).toString()).build());
        }
        Integer noncurrentDays = paired(spec, rule, NONCURRENT_TRANSITION_DAYS, NONCURRENT_STORAGE_CLASS);
        if (noncurrentDays != null) {
            b.noncurrentVersionTransitions(NoncurrentVersionTransition.builder().noncurrentDays(noncurrentDays)
                    .storageClass(rule.get(NONCURRENT_STORAGE_CLASS).toString()).build());
        }
        Integer expirationDays = days(spec, rule, EXPIRATION_DAYS);
        // S3 takes the days or the delete-marker flag in one Expiration, not both.
        if (expirationDays != null) {
            b.expiration(e -> e.days(expirationDays));
        } else if (Boolean.TRUE.equals(rule.get(EXPIRED_DELETE_MARKERS))) {
            b.expiration(e -> e.expiredObjectDeleteMarker(true));
        }
        Integer noncurrentExpiration = days(spec, rule, NONCURRENT_EXPIRATION_DAYS);
        if (noncurrentExpiration != null) {
            b.noncurrentVersionExpiration(e -> e.noncurrentDays(noncurrentExpiration));
        }
        Integer abortDays = days(spec, rule, ABORT_UPLOADS_DAYS);
        if (abortDays != null) {
            b.abortIncompleteMultipartUpload(a -> a.daysAfterInitiation(abortDays));
        }
        return b.build();
    }

    /** The days of a transition, which go with its storage class (both absent: null). */
    private static Integer paired(ResourceSpec spec, Map<?, ?> rule, String daysKey, String classKey) {
        Integer days = days(spec, rule, daysKey);
        if ((days == null) != (rule.get(classKey) == null)) {
            throw new ProviderException(spec.address(), LIFECYCLE + " rule " + rule.get(RULE_ID) + ": " + daysKey + " and "
                    + classKey + " go together, got " + rule);
        }
        return days;
    }

    /** A whole number of days of a lifecycle rule, or null when absent. */
    private static Integer days(ResourceSpec spec, Map<?, ?> rule, String key) {
        Object v = rule.get(key);
        if (v == null) {
            return null;
        }
        try {
            return v instanceof Number n ? Math.toIntExact(n.longValue()) : Integer.valueOf(v.toString().trim());
        } catch (ArithmeticException | NumberFormatException e) {
            throw new ProviderException(spec.address(), LIFECYCLE + "." + key + " must be a whole number of days, got "
                    + v);
        }
    }

    /** The spec's policy document, the account written in, as the bucket policy; absent: DeleteBucketPolicy. */
    private Object putPolicy(String bucket, ResourceSpec spec) {
        String policy = SpecValues.optionalString(spec, POLICY);
        if (policy == null) {
            return call("DeleteBucketPolicy", () -> s3().deleteBucketPolicy(b -> b.bucket(bucket)));
        }
        String document = policy.contains(ResourceSpec.ACCOUNT) ? policy.replace(ResourceSpec.ACCOUNT, account()) : policy;
        return call("PutBucketPolicy", () -> s3().putBucketPolicy(b -> b.bucket(bucket).policy(document)));
    }

    private String arn(String bucket) {
        RegionMetadata metadata = Region.of(clients().region()).metadata();
        String partition = metadata == null ? "aws" : metadata.partition().id();
        return "arn:" + partition + ":s3:::" + bucket;
    }

    private static ObjectIdentifier id(String key, String versionId) {
        return ObjectIdentifier.builder().key(key).versionId(versionId).build();
    }

    /** The spec's tags as S3 stores them: with {@link #FORCE_TAG} when the spec says forceDestroy. */
    private static List<Tag> sdkTags(ResourceSpec spec) {
        Map<String, String> tags = new TreeMap<>(spec.tags());
        if (SpecValues.bool(spec, HeldData.FORCE_DESTROY, false)) {
            tags.put(FORCE_TAG, "true");
        }
        return tags.entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build())
                .toList();
    }
}
