package dev.infra.providers.cloudtrail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.ProviderTestSupport;
import dev.infra.providers.testing.SleepingOperationContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudtrail.CloudTrailClient;
import software.amazon.awssdk.services.cloudtrail.model.Trail;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sts.StsClient;

/** CloudTrail trails against the emulator, in me-south-1. */
class TrailIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "me-south-1";
    }

    private CloudTrailClient cloudTrail() {
        return clients.client(CloudTrailClient.class, CloudTrailClient::builder);
    }

    private Trail rawTrail(String arn) {
        List<Trail> trails = cloudTrail().describeTrails(b -> b.includeShadowTrails(false)).trailList().stream()
                .filter(t -> t.trailARN().equals(arn)).toList();
        assertThat(trails).as("trail %s", arn).hasSize(1);
        return trails.get(0);
    }

    private boolean rawTrailExists(String arn) {
        return cloudTrail().describeTrails(b -> b.includeShadowTrails(false)).trailList().stream()
                .anyMatch(t -> t.trailARN().equals(arn));
    }

    private boolean rawLogging(String name) {
        return cloudTrail().getTrailStatus(b -> b.name(name)).isLogging();
    }

    private Map<String, String> rawTags(String arn) {
        Map<String, String> out = new TreeMap<>();
        cloudTrail().listTags(b -> b.resourceIdList(arn)).resourceTagList().forEach(r -> r.tagsList()
                .forEach(t -> out.put(t.key(), t.value())));
        return out;
    }

    /** A bucket whose policy lets CloudTrail write, as AWS requires (the expansion adds that policy). */
    private String trailBucket(String name) {
        String account = clients.client(StsClient.class, StsClient::builder).getCallerIdentity().account();
        clients.s3().createBucket(b -> b.bucket(name).createBucketConfiguration(c -> c.locationConstraint(region())));
        String arn = "arn:aws:s3:::" + name;
        clients.s3().putBucketPolicy(b -> b.bucket(name).policy("""
                {"Version":"2012-10-17","Statement":[
                 {"Sid":"AWSCloudTrailAclCheck","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
                  "Action":"s3:GetBucketAcl","Resource":"%s"},
                 {"Sid":"AWSCloudTrailWrite","Effect":"Allow","Principal":{"Service":"cloudtrail.amazonaws.com"},
                  "Action":"s3:PutObject","Resource":"%s/AWSLogs/%s/*",
                  "Condition":{"StringEquals":{"s3:x-amz-acl":"bucket-owner-full-control"}}}]}
                """.formatted(arn, arn, account)));
        return name;
    }

    private String kmsKey() {
        return clients.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description("trail"))
                .keyMetadata().arn();
    }

    private ResourceSpec trailSpec(String address, String bucket, boolean multiRegion, boolean validation,
                                   String kmsKeyArn, boolean logging, Map<String, String> userTags) {
        return spec(address, TrailProvider.TYPE, attributes("name", stack + "-trail", "s3BucketName", bucket,
                "isMultiRegionTrail", multiRegion, "logFileValidation", validation, "kmsKeyArn", kmsKeyArn,
                "logging", logging), userTags);
    }

    @Test
    void trailLifecycle() {
        TrailProvider trails = new TrailProvider(clients);
        String address = "audit/trail";
        String first = trailBucket(stack + "-trail-a");
        String second = trailBucket(stack + "-trail-b");
        String key = kmsKey();
        ResourceSpec spec = trailSpec(address, first, false, true, key, true, Map.of("team", "platform", "retired", "soon"));
        assertThat(trails.findExisting(stack, spec)).isEmpty();

        LiveResource created = trails.create(spec, ctx(address));

        Trail raw = rawTrail(created.id());
        assertThat(raw.name()).isEqualTo(stack + "-trail");
        assertThat(raw.s3BucketName()).isEqualTo(first);
        assertThat(raw.isMultiRegionTrail()).isFalse();
        assertThat(raw.logFileValidationEnabled()).isTrue();
        assertThat(raw.kmsKeyId()).isEqualTo(key);
        assertThat(rawLogging(raw.name())).isTrue();
        assertThat(rawTags(created.id())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).containsEntry("arn", raw.trailARN());

        ResourceSpec changed = trailSpec(address, second, true, false, null, false, Map.of("team", "security"));
        LiveResource updated = trails.update(created, changed, Set.of("s3BucketName", "isMultiRegionTrail",
                "logFileValidation", "kmsKeyArn", "logging", "tags"), ctx(address));

        raw = rawTrail(created.id());
        assertThat(raw.s3BucketName()).isEqualTo(second);
        assertThat(raw.isMultiRegionTrail()).isTrue();
        assertThat(raw.logFileValidationEnabled()).isFalse();
        assertThat(raw.kmsKeyId()).isNullOrEmpty();
        assertThat(rawLogging(raw.name())).isFalse();
        assertThat(rawTags(created.id())).isEqualTo(changed.tags()).doesNotContainKey("retired");
        assertMatchesSpec(updated, changed);
        assertThat(updated.attributes()).doesNotContainKey("kmsKeyArn");

        ResourceSpec encrypted = trailSpec(address, second, true, false, key, true, Map.of("team", "security"));
        LiveResource again = trails.update(updated, encrypted, Set.of("kmsKeyArn", "logging"), ctx(address));
        assertThat(rawTrail(created.id()).kmsKeyId()).isEqualTo(key);
        assertThat(rawLogging(raw.name())).isTrue();
        assertMatchesSpec(again, encrypted);

        clients.counter().reset();
        assertThat(trails.readAll(ReadRequest.of(stack, Set.of(created.id())))).singleElement()
                .satisfies(r -> assertMatchesSpec(r, encrypted));
        // DescribeTrails has no tag filter: one call for the region's trails, one ListTags per 20 of them, and
        // GetTrailStatus for the stack's trail only.
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of(
                "CloudTrail", Map.of("DescribeTrails", 1L, "ListTags", 1L, "GetTrailStatus", 1L)));

        assertThat(trails.findExisting(stack, encrypted)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(created.id()));
        assertThatThrownBy(() -> trails.findExisting("some-other-stack", encrypted))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("trail " + stack + "-trail already exists and belongs to " + address);

        trails.delete(again, ctx(address));
        assertThat(rawTrailExists(created.id())).isFalse();
        assertThat(trails.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        assertThat(trails.findExisting(stack, encrypted)).isEmpty();
        trails.delete(again, ctx(address)); // already gone: fine
    }

    @Test
    void stateIdsAreReadWithoutTheStackTagAndOtherStacksAreLeftOut() {
        TrailProvider trails = new TrailProvider(clients);
        String address = "audit/trail";
        LiveResource ours = trails.create(trailSpec(address, trailBucket(stack + "-trail-c"), false, false, null,
                false, Map.of()), ctx(address));
        cloudTrail().removeTags(b -> b.resourceId(ours.id()).tagsList(t -> t.key("infra:stack")));

        assertThat(trails.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
        assertThat(trails.readAll(ReadRequest.of(stack, Set.of(ours.id(),
                "arn:aws:cloudtrail:me-south-1:123456789012:trail/gone")))).singleElement().satisfies(r -> {
                    assertThat(r.id()).isEqualTo(ours.id());
                    assertThat(r.address()).isEqualTo(address);
                    assertThat(r.attributes()).containsEntry("logging", false);
                });
        trails.delete(ours, ctx(address));
    }

    @Test
    void createIsRetriedWhileTheBucketPolicyIsNotVisibleYet() {
        String address = "audit/trail";
        ResourceSpec spec = trailSpec(address, trailBucket(stack + "-trail-d"), false, true, null, true, Map.of());
        try (AwsClients flaky = Emulator.clients(region(),
                Faults.awsError("CreateTrail", 1, 400, "InsufficientS3BucketPolicyException"))) {
            SleepingOperationContext ctx = SleepingOperationContext.pretending(address);
            LiveResource created = new TrailProvider(flaky).create(spec, ctx);

            assertThat(flaky.counter().count("CloudTrail", "CreateTrail")).isEqualTo(2);
            assertThat(ctx.sleeps()).isEqualTo(1);
            assertThat(rawLogging(stack + "-trail")).isTrue();
            new TrailProvider(clients).delete(created, ctx(address));
        }
    }

    @Test
    void createThatTookEffectDespiteAServerErrorIsAdoptedNotRepeated() {
        String address = "audit/trail";
        ResourceSpec spec = trailSpec(address, trailBucket(stack + "-trail-e"), false, false, null, false, Map.of());
        try (AwsClients flaky = Emulator.clients(region(), Faults.loseAnswer("CreateTrail", 1))) {
            LiveResource created = new TrailProvider(flaky).create(spec, ctx(address));

            assertThat(flaky.counter().count("CloudTrail", "CreateTrail")).isEqualTo(1);
            assertThat(rawTrail(created.id()).name()).isEqualTo(stack + "-trail");
            assertMatchesSpec(created, spec);
            new TrailProvider(clients).delete(created, ctx(address));
        }
    }
}
