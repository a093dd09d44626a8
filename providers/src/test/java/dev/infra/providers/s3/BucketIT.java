package dev.infra.providers.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.HeldData;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.Policies;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.SleepingOperationContext;
import dev.infra.providers.testing.ProviderTestSupport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ExpirationStatus;
import software.amazon.awssdk.services.s3.model.LifecycleRule;
import software.amazon.awssdk.services.s3.model.PublicAccessBlockConfiguration;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.ServerSideEncryptionByDefault;
import software.amazon.awssdk.services.s3.model.Transition;

/** S3 buckets against the emulator, in ap-south-2 (and us-east-1, where CreateBucket takes no location). */
class BucketIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "ap-south-2";
    }

    private S3Client s3() {
        return clients.s3();
    }

    private Map<String, String> rawTags(String bucket) {
        Map<String, String> out = new TreeMap<>();
        s3().getBucketTagging(b -> b.bucket(bucket)).tagSet().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private ServerSideEncryptionByDefault rawEncryption(String bucket) {
        return s3().getBucketEncryption(b -> b.bucket(bucket)).serverSideEncryptionConfiguration().rules().get(0)
                .applyServerSideEncryptionByDefault();
    }

    private PublicAccessBlockConfiguration rawPublicAccessBlock(String bucket) {
        return s3().getPublicAccessBlock(b -> b.bucket(bucket)).publicAccessBlockConfiguration();
    }

    private static void assertAwsError(Executable call, String code) {
        assertThatThrownBy(call::execute)
                .isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode()).isEqualTo(code));
    }

    private ResourceSpec bucketSpec(String address, String bucket, String kmsKeyArn, boolean versioning,
                                    boolean blockPublicAccess, Map<String, String> userTags) {
        return bucketSpec(address, bucket, kmsKeyArn, versioning, blockPublicAccess, List.of(), null, userTags);
    }

    private ResourceSpec bucketSpec(String address, String bucket, String kmsKeyArn, boolean versioning,
                                    boolean blockPublicAccess, List<Map<String, Object>> lifecycleRules, String policy,
                                    Map<String, String> userTags) {
        Map<String, Object> a = new TreeMap<>(Map.of("bucket", bucket, "versioning", versioning,
                "blockPublicAccess", blockPublicAccess, "lifecycleRules", lifecycleRules));
        if (kmsKeyArn != null) {
            a.put("kmsKeyArn", kmsKeyArn);
        }
        if (policy != null) {
            a.put("policy", policy);
        }
        return spec(address, BucketProvider.TYPE, a, userTags);
    }

    /** A lifecycle rule as the expander writes it: numbers Long, optional parts absent. */
    private static Map<String, Object> rule(String id, String prefix, Long transitionDays, String storageClass,
                                            Long expirationDays) {
        Map<String, Object> r = new TreeMap<>(Map.of("id", id, "prefix", prefix));
        if (transitionDays != null) {
            r.put("transitionDays", transitionDays);
            r.put("storageClass", storageClass);
        }
        if (expirationDays != null) {
            r.put("expirationDays", expirationDays);
        }
        return r;
    }

    /** A bucket policy letting {@code service} write under {@code prefix}, in canonical form (compact, keys sorted). */
    private static String canonicalPolicy(String bucket, String service, String prefix) {
        return "{\"Statement\":[{\"Action\":\"s3:PutObject\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":\""
                + service + "\"},\"Resource\":\"arn:aws:s3:::" + bucket + "/" + prefix + "*\",\"Sid\":\"Write\"}],"
                + "\"Version\":\"2012-10-17\"}";
    }

    private Map<String, LifecycleRule> rawRules(String bucket) {
        Map<String, LifecycleRule> out = new TreeMap<>();
        s3().getBucketLifecycleConfiguration(b -> b.bucket(bucket)).rules().forEach(r -> out.put(r.id(), r));
        return out;
    }

    private static void assertRawRule(LifecycleRule raw, String prefix, Integer transitionDays, String storageClass,
                                      Integer expirationDays) {
        assertThat(raw.status()).isEqualTo(ExpirationStatus.ENABLED);
        assertThat(raw.filter().prefix() == null ? "" : raw.filter().prefix()).isEqualTo(prefix);
        if (transitionDays == null) {
            assertThat(raw.transitions()).isEmpty();
        } else {
            assertThat(raw.transitions()).singleElement().satisfies(t -> {
                assertThat(t.days()).isEqualTo(transitionDays);
                assertThat(t.storageClassAsString()).isEqualTo(storageClass);
            });
        }
        assertThat(raw.expiration() == null ? null : raw.expiration().days()).isEqualTo(expirationDays);
        // Current versions only: nothing for noncurrent ones.
        assertThat(raw.noncurrentVersionTransitions()).isEmpty();
        assertThat(raw.noncurrentVersionExpiration()).isNull();
    }

    @Test
    void bucketLifecycle() {
        String address = "edge/bucket.logs";
        String bucket = stack + "-logs";
        String trailPolicy = canonicalPolicy(bucket, "cloudtrail.amazonaws.com", "AWSLogs/");
        ResourceSpec spec = bucketSpec(address, bucket, null, false, true,
                List.of(rule("all", "", null, null, 400L), rule("archive", "logs/", 30L, "STANDARD_IA", 365L)),
                trailPolicy, Map.of("a", "1"));
        assertThat(new BucketProvider(clients).findExisting(stack, spec)).isEmpty();

        LiveResource created;
        try (AwsClients counted = Emulator.clients(region())) {
            created = new BucketProvider(counted).create(spec, ctx(address));
            // Tagged by CreateBucket itself: no window in which the bucket exists untagged.
            assertThat(counted.counter().count("S3", "PutBucketTagging")).isZero();
        }

        assertThat(s3().getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString()).isEqualTo("ap-south-2");
        assertThat(rawTags(bucket)).isEqualTo(spec.tags());
        assertThat(rawEncryption(bucket).sseAlgorithmAsString()).isEqualTo("AES256");
        assertThat(s3().getBucketVersioning(b -> b.bucket(bucket)).status()).isNull();
        PublicAccessBlockConfiguration block = rawPublicAccessBlock(bucket);
        assertThat(block.blockPublicAcls() && block.ignorePublicAcls() && block.blockPublicPolicy()
                && block.restrictPublicBuckets()).isTrue();
        Map<String, LifecycleRule> rules = rawRules(bucket);
        assertThat(rules).containsOnlyKeys("all", "archive");
        assertRawRule(rules.get("all"), "", null, null, 400);
        assertRawRule(rules.get("archive"), "logs/", 30, "STANDARD_IA", 365);
        assertThat(Policies.canonical(s3().getBucketPolicy(b -> b.bucket(bucket)).policy())).isEqualTo(trailPolicy);
        assertThat(created.id()).isEqualTo(bucket);
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).containsEntry("arn", "arn:aws:s3:::" + bucket).doesNotContainKey("kmsKeyArn");

        BucketProvider buckets = new BucketProvider(clients);
        KmsClient kms = clients.client(KmsClient.class, KmsClient::builder);
        String key = kms.createKey(b -> b.description("bucket key")).keyMetadata().arn();
        String otherPolicy = canonicalPolicy(bucket, "logging.s3.amazonaws.com", "access/");
        ResourceSpec changed = bucketSpec(address, bucket, key, true, false,
                List.of(rule("archive", "old/", 60L, "GLACIER", null)), otherPolicy, Map.of("b", "2"));
        LiveResource updated = buckets.update(created, changed,
                Set.of("kmsKeyArn", "versioning", "blockPublicAccess", "lifecycleRules", "policy", "tags"), ctx(address));
        assertThat(rawEncryption(bucket).sseAlgorithmAsString()).isEqualTo("aws:kms");
        assertThat(rawEncryption(bucket).kmsMasterKeyID()).isEqualTo(key);
        assertThat(s3().getBucketVersioning(b -> b.bucket(bucket)).status()).isEqualTo(BucketVersioningStatus.ENABLED);
        block = rawPublicAccessBlock(bucket);
        assertThat(block.blockPublicAcls() || block.ignorePublicAcls() || block.blockPublicPolicy()
                || block.restrictPublicBuckets()).isFalse();
        assertThat(rawTags(bucket)).isEqualTo(changed.tags());
        rules = rawRules(bucket);
        assertThat(rules).containsOnlyKeys("archive");
        assertRawRule(rules.get("archive"), "old/", 60, "GLACIER", null);
        assertThat(Policies.canonical(s3().getBucketPolicy(b -> b.bucket(bucket)).policy())).isEqualTo(otherPolicy);
        assertMatchesSpec(updated, changed);

        // Versioning off again suspends it: a bucket once versioned never goes back to unversioned. No rules: no
        // lifecycle configuration; no policy: none.
        ResourceSpec suspended = bucketSpec(address, bucket, key, false, false, Map.of("b", "2"));
        LiveResource updatedAgain = buckets.update(updated, suspended, Set.of("versioning", "lifecycleRules", "policy"),
                ctx(address));
        assertThat(s3().getBucketVersioning(b -> b.bucket(bucket)).status()).isEqualTo(BucketVersioningStatus.SUSPENDED);
        assertAwsError(() -> s3().getBucketLifecycleConfiguration(b -> b.bucket(bucket)), "NoSuchLifecycleConfiguration");
        assertAwsError(() -> s3().getBucketPolicy(b -> b.bucket(bucket)), "NoSuchBucketPolicy");
        assertMatchesSpec(updatedAgain, suspended);
        assertThat(updatedAgain.attributes()).containsEntry("lifecycleRules", List.of()).doesNotContainKey("policy");

        assertThat(buckets.readAll(ReadRequest.of(stack, Set.of(bucket)))).containsExactly(updatedAgain);
        assertThat(buckets.findExisting(stack, suspended)).contains(updatedAgain);
        assertThatThrownBy(() -> buckets.findExisting("other-" + stack, suspended))
                .isInstanceOf(ProviderException.class).hasMessageContaining(bucket);

        // Versions, an overwritten key and a delete marker: a forced delete empties them all first.
        s3().putObject(b -> b.bucket(bucket).key("a.log"), RequestBody.fromString("one"));
        s3().putObject(b -> b.bucket(bucket).key("a.log"), RequestBody.fromString("two"));
        s3().putObject(b -> b.bucket(bucket).key("b.log"), RequestBody.fromString("three"));
        s3().deleteObject(b -> b.bucket(bucket).key("b.log"));
        buckets.delete(forced(updatedAgain), ctx(address));
        assertAwsError(() -> s3().getBucketLocation(b -> b.bucket(bucket)), "NoSuchBucket");
        assertThat(buckets.findExisting(stack, suspended)).isEmpty();
        buckets.delete(updatedAgain, ctx(address)); // already gone
    }

    /** A CreateBucket whose answer was lost is retried; BucketAlreadyOwnedByYou then adopts the bucket, ours by its tags. */
    @Test
    void aRetriedCreateAdoptsTheBucketItsFirstAttemptMade() {
        String address = "edge/bucket.retried";
        String bucket = stack + "-retried";
        ResourceSpec spec = bucketSpec(address, bucket, null, true, true, Map.of());
        LiveResource created;
        try (AwsClients lossy = Emulator.clients(region(), Faults.loseAnswer("CreateBucket", 1))) {
            created = new BucketProvider(lossy).create(spec, ctx(address));
        }
        assertThat(rawTags(bucket)).isEqualTo(spec.tags());
        assertThat(s3().getBucketVersioning(b -> b.bucket(bucket)).status()).isEqualTo(BucketVersioningStatus.ENABLED);
        assertMatchesSpec(created, spec);
        new BucketProvider(clients).delete(created, ctx(address));
    }

    /** Right after a bucket of the name was deleted S3 answers OperationAborted (scripted here): retried until it goes. */
    @Test
    void aCreateRightAfterADeleteOfTheNameIsRetried() {
        String address = "edge/bucket.again";
        String bucket = stack + "-again";
        ResourceSpec spec = bucketSpec(address, bucket, null, false, true, Map.of());
        LiveResource created;
        try (AwsClients settling = Emulator.clients(region(), Faults.awsError("CreateBucket", 2, 409, "OperationAborted",
                "A conflicting conditional operation is currently in progress against this resource. Please try again."))) {
            created = new BucketProvider(settling).create(spec, SleepingOperationContext.pretending(address));
        }
        assertThat(rawTags(bucket)).isEqualTo(spec.tags());
        new BucketProvider(clients).delete(created, ctx(address));
    }

    /** One GetResources call finds the stack's buckets; each then costs its five configuration reads. */
    @Test
    void readAllFindsTheStacksBucketsThroughTheTaggingApi() {
        BucketProvider buckets = new BucketProvider(clients);
        LiveResource first = buckets.create(bucketSpec("edge/bucket.a", stack + "-a", null, false, true, Map.of()),
                ctx("a"));
        LiveResource second = buckets.create(bucketSpec("edge/bucket.b", stack + "-b", null, true, true, Map.of()),
                ctx("b"));
        // A bucket of the stack's state whose tags were removed is still read, by name.
        String untagged = stack + "-c";
        LiveResource third = buckets.create(bucketSpec("edge/bucket.c", untagged, null, false, true, Map.of()), ctx("c"));
        s3().deleteBucketTagging(b -> b.bucket(untagged));

        try (AwsClients counted = Emulator.clients(region())) {
            assertThat(new BucketProvider(counted).readAll(ReadRequest.of(stack, Set.of(first.id(), second.id()))))
                    .containsExactlyInAnyOrder(first, second);
            assertThat(counted.counter().snapshot()).isEqualTo(Map.of(
                    "ResourceGroupsTaggingApi", Map.of("GetResources", 1L),
                    "S3", Map.of("GetBucketEncryption", 2L, "GetBucketVersioning", 2L, "GetPublicAccessBlock", 2L,
                            "GetBucketLifecycleConfiguration", 2L, "GetBucketPolicy", 2L)));

            counted.counter().reset();
            assertThat(new BucketProvider(counted).readAll(ReadRequest.of(stack, Set.of(untagged))))
                    .extracting(LiveResource::id).containsExactlyInAnyOrder(first.id(), second.id(), untagged);
            assertThat(counted.counter().count("S3", "GetBucketTagging")).isEqualTo(1);
        }

        buckets.delete(first, ctx("a"));
        buckets.delete(second, ctx("b"));
        buckets.delete(third, ctx("c"));
    }

    /**
     * A policy and lifecycle rules written outside the tool read back in the attributes' shape: the policy canonical,
     * the rules sorted by id with Long numbers, a disabled rule left out (so that it shows as a change).
     */
    @Test
    void policyAndRulesWrittenElsewhereReadBackInTheAttributesShape() {
        BucketProvider buckets = new BucketProvider(clients);
        String bucket = stack + "-drift";
        LiveResource created = buckets.create(bucketSpec("edge/bucket.drift", bucket, null, false, true, Map.of()),
                ctx("d"));
        assertThat(created.attributes()).containsEntry("lifecycleRules", List.of()).doesNotContainKey("policy");

        String pretty = """
                {
                  "Version": "2012-10-17",
                  "Statement": [ { "Sid": "Write", "Resource": "arn:aws:s3:::%s/AWSLogs/*", "Effect": "Allow",
                                   "Principal": { "Service": "cloudtrail.amazonaws.com" }, "Action": "s3:PutObject" } ]
                }""".formatted(bucket);
        s3().putBucketPolicy(b -> b.bucket(bucket).policy(pretty));
        s3().putBucketLifecycleConfiguration(b -> b.bucket(bucket).lifecycleConfiguration(c -> c.rules(
                LifecycleRule.builder().id("z-expire").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("tmp/"))
                        .expiration(e -> e.days(7)).build(),
                LifecycleRule.builder().id("off").status(ExpirationStatus.DISABLED).filter(f -> f.prefix("x/"))
                        .expiration(e -> e.days(1)).build(),
                LifecycleRule.builder().id("a-archive").status(ExpirationStatus.ENABLED).filter(f -> f.prefix("logs/"))
                        .transitions(Transition.builder().days(90).storageClass("GLACIER").build()).build())));

        assertThat(buckets.readAll(ReadRequest.of(stack, Set.of(bucket)))).singleElement().satisfies(live -> {
            assertThat(live.attributes()).containsEntry("policy",
                    canonicalPolicy(bucket, "cloudtrail.amazonaws.com", "AWSLogs/"));
            assertThat(live.attributes().get("lifecycleRules")).isEqualTo(List.of(
                    Map.of("id", "a-archive", "prefix", "logs/", "transitionDays", 90L, "storageClass", "GLACIER"),
                    Map.of("id", "z-expire", "prefix", "tmp/", "expirationDays", 7L)));
        });
        buckets.delete(created, ctx("d"));
        assertAwsError(() -> s3().getBucketLocation(b -> b.bucket(bucket)), "NoSuchBucket");
    }

    /** DeleteObjects takes 1000 keys a call: 1001 versions cost two. */
    @Test
    void deleteEmptiesInBatchesOfAThousand() {
        BucketProvider buckets = new BucketProvider(clients);
        String bucket = stack + "-full";
        LiveResource full = buckets.create(bucketSpec("edge/bucket.full", bucket, null, false, true, Map.of()), ctx("f"));
        for (int i = 0; i < 1001; i++) {
            String key = "k" + i;
            s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(key));
        }

        try (AwsClients counted = Emulator.clients(region())) {
            new BucketProvider(counted).delete(forced(full), ctx("f"));
            assertThat(counted.counter().count("S3", "DeleteObjects")).isEqualTo(2);
        }
        assertAwsError(() -> s3().getBucketLocation(b -> b.bucket(bucket)), "NoSuchBucket");
    }

    /**
     * Noncurrent versions move and expire, incomplete uploads are aborted, expired delete markers removed: written as
     * S3 rules (read back raw) and read back in the attributes' shape, so the plan sees no change.
     */
    @Test
    void rulesForNoncurrentVersionsUploadsAndDeleteMarkers() {
        BucketProvider buckets = new BucketProvider(clients);
        String bucket = stack + "-versions";
        Map<String, Object> old = new TreeMap<>(Map.of("id", "old-versions", "prefix", "", "noncurrentTransitionDays", 30L,
                "noncurrentStorageClass", "STANDARD_IA", "noncurrentExpirationDays", 365L));
        Map<String, Object> housekeeping = new TreeMap<>(Map.of("id", "infra-housekeeping", "prefix", "",
                "abortIncompleteUploadsDays", 7L, "expiredDeleteMarkers", true));
        ResourceSpec spec = bucketSpec("edge/bucket.versions", bucket, null, true, true, List.of(housekeeping, old), null,
                Map.of());
        LiveResource created = buckets.create(spec, ctx("v"));

        Map<String, LifecycleRule> raw = rawRules(bucket);
        assertThat(raw.get("old-versions").noncurrentVersionTransitions()).singleElement().satisfies(t -> {
            assertThat(t.noncurrentDays()).isEqualTo(30);
            assertThat(t.storageClassAsString()).isEqualTo("STANDARD_IA");
        });
        assertThat(raw.get("old-versions").noncurrentVersionExpiration().noncurrentDays()).isEqualTo(365);
        assertThat(raw.get("old-versions").transitions()).isEmpty();
        assertThat(raw.get("infra-housekeeping").abortIncompleteMultipartUpload().daysAfterInitiation()).isEqualTo(7);
        assertThat(raw.get("infra-housekeeping").expiration().expiredObjectDeleteMarker()).isTrue();
        assertMatchesSpec(created, spec);
        assertThat(buckets.readAll(ReadRequest.of(stack, Set.of(bucket)))).singleElement()
                .satisfies(live -> assertMatchesSpec(live, spec));
        buckets.delete(created, ctx("v"));
    }

    /**
     * A policy the expansion writes names the account as ${infra:account}: S3 gets the account (STS), and the read gives
     * the token back, so the plan sees no change.
     */
    @Test
    void thePolicysAccountIsWrittenInAndReadBackAsTheToken() {
        BucketProvider buckets = new BucketProvider(clients);
        String bucket = stack + "-account";
        String policy = canonicalPolicy(bucket, "cloudtrail.amazonaws.com", "AWSLogs/" + ResourceSpec.ACCOUNT + "/");
        ResourceSpec spec = bucketSpec("edge/bucket.account", bucket, null, false, true, List.of(), policy, Map.of());
        LiveResource created = buckets.create(spec, ctx("a"));

        String raw = s3().getBucketPolicy(b -> b.bucket(bucket)).policy();
        assertThat(raw).contains("arn:aws:s3:::" + bucket + "/AWSLogs/123456789012/*").doesNotContain("infra:account");
        assertThat(created.attributes()).containsEntry("policy", policy);
        assertThat(buckets.readAll(ReadRequest.of(stack, Set.of(bucket)))).singleElement()
                .satisfies(live -> assertMatchesSpec(live, spec));
        buckets.delete(created, ctx("a"));
    }

    /** What the planner hands a delete the user allowed to take the data along. */
    private static LiveResource forced(LiveResource live) {
        Map<String, Object> a = new TreeMap<>(live.attributes());
        a.put(HeldData.FORCE_DESTROY, true);
        return LiveResource.of(live.id(), live.address(), a);
    }

    /**
     * A bucket holding objects is kept: heldData counts what a delete would lose, a delete without forceDestroy leaves
     * it as it is (S3 refuses DeleteBucket), CloudTrail's logs are kept unless the bucket itself says so, and
     * forceDestroy is stored as a tag (read back, not among the user's tags).
     */
    @Test
    void dataIsKeptUnlessTheDeleteIsForced() {
        BucketProvider buckets = new BucketProvider(clients);
        String address = "edge/bucket.kept";
        String bucket = stack + "-kept";
        LiveResource live = buckets.create(bucketSpec("edge/bucket.kept", bucket, null, true, true, Map.of()),
                ctx(address));
        assertThat(live.attributes()).containsEntry(HeldData.FORCE_DESTROY, false);
        assertThat(buckets.heldData(live)).isEmpty();

        s3().putObject(b -> b.bucket(bucket).key("a.log"), RequestBody.fromString("one"));
        s3().putObject(b -> b.bucket(bucket).key("a.log"), RequestBody.fromString("two"));
        s3().putObject(b -> b.bucket(bucket).key("b.log"), RequestBody.fromString("three"));
        s3().deleteObject(b -> b.bucket(bucket).key("b.log"));
        assertThat(buckets.heldData(live)).contains(new HeldData("1 object (3 versions, 1 delete marker)",
                HeldData.Guard.KEPT));

        assertThatThrownBy(() -> buckets.delete(live, ctx(address))).isInstanceOf(ProviderException.class)
                .hasMessageContaining(address).hasMessageContaining("bucket " + bucket + " is not empty")
                .hasMessageContaining("kept");
        var left = s3().listObjectVersions(b -> b.bucket(bucket));
        assertThat(left.versions()).hasSize(3);
        assertThat(left.deleteMarkers()).hasSize(1);

        s3().putBucketPolicy(b -> b.bucket(bucket).policy(canonicalPolicy(bucket, "cloudtrail.amazonaws.com", "AWSLogs/")));
        LiveResource trail = buckets.readAll(ReadRequest.of(stack, Set.of(bucket))).get(0);
        assertThat(buckets.heldData(trail)).map(HeldData::guard).contains(HeldData.Guard.KEPT_UNLESS_OWN);

        Map<String, Object> a = new TreeMap<>(Map.of("bucket", bucket, "versioning", true, "blockPublicAccess", true,
                "lifecycleRules", List.of(), HeldData.FORCE_DESTROY, true));
        ResourceSpec force = spec(address, BucketProvider.TYPE, a, Map.of());
        LiveResource updated = buckets.update(trail, force, Set.of(HeldData.FORCE_DESTROY), ctx(address));
        assertThat(rawTags(bucket)).containsEntry("infra:force-destroy", "true");
        assertThat(updated.attributes()).containsEntry(HeldData.FORCE_DESTROY, true);
        assertThat(updated.attributes().get("tags")).isEqualTo(force.tags());

        buckets.delete(updated, ctx(address));
        assertAwsError(() -> s3().getBucketLocation(b -> b.bucket(bucket)), "NoSuchBucket");
        assertThat(buckets.heldData(updated)).isEmpty();
    }

    /** In us-east-1, CreateBucket takes no location constraint (AWS refuses one naming us-east-1). */
    @Test
    void bucketInUsEast1() {
        try (AwsClients east = Emulator.clients("us-east-1")) {
            BucketProvider buckets = new BucketProvider(east);
            String bucket = stack + "-east";
            ResourceSpec spec = bucketSpec("edge/bucket.east", bucket, null, false, true, Map.of());
            LiveResource created = buckets.create(spec, ctx("east"));
            assertThat(east.s3().getBucketLocation(b -> b.bucket(bucket)).locationConstraintAsString()).isNullOrEmpty();
            assertMatchesSpec(created, spec);
            buckets.delete(created, ctx("east"));
            assertAwsError(() -> east.s3().getBucketLocation(b -> b.bucket(bucket)), "NoSuchBucket");
        }
    }
}
