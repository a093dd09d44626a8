package dev.infra.providers.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.testing.ProviderTestSupport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerReplicationStatus;
import software.amazon.awssdk.services.s3.model.ReplicationConfiguration;
import software.amazon.awssdk.services.s3.model.ReplicationRule;
import software.amazon.awssdk.services.s3.model.ReplicationRuleStatus;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Replication rules against the emulator: the provider is the replica region's (ca-central-1), the source bucket is in
 * sa-east-1, reached through {@code clients.in}. Every assertion on AWS is a raw GetBucketReplication in sa-east-1.
 */
class BucketReplicationRuleIT extends ProviderTestSupport {

    private static final String SOURCE_REGION = "sa-east-1";
    private static final String TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"s3.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    private String source;
    private String replica;
    private String other;
    private String roleArn;
    private String secondRoleArn;

    @Override
    protected String region() {
        return "ca-central-1";
    }

    private S3Client sourceS3() {
        return clients.in(SOURCE_REGION).s3();
    }

    private IamClient iam() {
        return clients.client(IamClient.class, IamClient::builder);
    }

    @BeforeEach
    void buckets() {
        source = stack + "-source";
        replica = stack + "-replica";
        other = stack + "-other";
        bucket(sourceS3(), SOURCE_REGION, source, true);
        bucket(clients.s3(), region(), replica, true);
        bucket(clients.s3(), region(), other, true);
        roleArn = iam().createRole(b -> b.roleName(stack + "-replication").assumeRolePolicyDocument(TRUST)).role().arn();
        secondRoleArn = iam().createRole(b -> b.roleName(stack + "-replication-2").assumeRolePolicyDocument(TRUST))
                .role().arn();
    }

    @AfterEach
    void cleanUp() {
        for (String bucket : List.of(source, replica, other)) {
            try {
                (bucket.equals(source) ? sourceS3() : clients.s3()).deleteBucket(b -> b.bucket(bucket));
            } catch (S3Exception e) {
                // deleted by the test
            }
        }
        iam().deleteRole(b -> b.roleName(stack + "-replication"));
        iam().deleteRole(b -> b.roleName(stack + "-replication-2"));
    }

    private static void bucket(S3Client s3, String region, String name, boolean versioned) {
        s3.createBucket(b -> b.bucket(name).createBucketConfiguration(c -> c.locationConstraint(region)));
        if (versioned) {
            s3.putBucketVersioning(b -> b.bucket(name).versioningConfiguration(v -> v.status(BucketVersioningStatus.ENABLED)));
        }
    }

    private ReplicationConfiguration rawConfiguration() {
        return sourceS3().getBucketReplication(b -> b.bucket(source)).replicationConfiguration();
    }

    private ReplicationRule rawRule(String ruleId) {
        return rawConfiguration().rules().stream().filter(r -> ruleId.equals(r.id())).findFirst().orElseThrow();
    }

    private ResourceSpec ruleSpec(String address, String bucket, String ruleId, String destination, String role,
                                  boolean deleteMarkers) {
        return untaggedSpec(address, BucketReplicationRuleProvider.TYPE, attributes("bucket", bucket,
                "sourceRegion", SOURCE_REGION, "ruleId", ruleId, "destinationBucketArn", "arn:aws:s3:::" + destination,
                "roleArn", role, "deleteMarkerReplication", deleteMarkers));
    }

    @Test
    void ruleLifecycleBesideAnotherRegionsRule() {
        BucketReplicationRuleProvider rules = new BucketReplicationRuleProvider(clients);
        String address = "replication/rule.ca-central-1";
        ResourceSpec spec = ruleSpec(address, source, "infra-ca-central-1", replica, roleArn, false);

        LiveResource created = rules.create(spec, ctx(address));

        assertThat(created.id()).isEqualTo(SOURCE_REGION + "/" + source + "/infra-ca-central-1");
        assertThat(created.address()).isNull();
        ReplicationConfiguration raw = rawConfiguration();
        assertThat(raw.role()).isEqualTo(roleArn);
        assertThat(raw.rules()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("infra-ca-central-1");
            assertThat(r.priority()).isEqualTo(1);
            assertThat(r.status()).isEqualTo(ReplicationRuleStatus.ENABLED);
            assertThat(r.destination().bucket()).isEqualTo("arn:aws:s3:::" + replica);
            assertThat(r.deleteMarkerReplication().status()).isEqualTo(DeleteMarkerReplicationStatus.DISABLED);
            assertThat(r.filter().prefix()).isEmpty();
        });
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).containsEntry("priority", 1L);

        // Another replica region's rule for another destination: the first stays as it was.
        String otherAddress = "replication/rule.eu-west-3";
        ResourceSpec second = ruleSpec(otherAddress, source, "infra-eu-west-3", other, roleArn, true);
        LiveResource secondRule = rules.create(second, ctx(otherAddress));

        assertThat(rawConfiguration().rules()).extracting(ReplicationRule::id)
                .containsExactlyInAnyOrder("infra-ca-central-1", "infra-eu-west-3");
        assertThat(rawRule("infra-eu-west-3").priority()).isEqualTo(2);
        assertThat(rawRule("infra-eu-west-3").deleteMarkerReplication().status())
                .isEqualTo(DeleteMarkerReplicationStatus.ENABLED);
        assertThat(rawRule("infra-ca-central-1").destination().bucket()).isEqualTo("arn:aws:s3:::" + replica);
        assertThat(secondRule.attributes()).containsEntry("priority", 2L).containsEntry("deleteMarkerReplication", true);

        // Update: delete markers, destination, role and the replica key (SSE-KMS objects replicate only with
        // one); the rule keeps its priority, the other rule stays.
        String replicaKey = "arn:aws:kms:ca-central-1:123456789012:key/mrk-1234abcd12ab34cd56ef1234567890ab";
        Map<String, Object> changedAttributes = new java.util.HashMap<>(
                ruleSpec(address, source, "infra-ca-central-1", other, secondRoleArn, true).attributes());
        changedAttributes.put("replicaKmsKeyArn", replicaKey);
        ResourceSpec changed = untaggedSpec(address, BucketReplicationRuleProvider.TYPE, changedAttributes);
        LiveResource updated = rules.update(created, changed,
                Set.of("deleteMarkerReplication", "destinationBucketArn", "roleArn", "replicaKmsKeyArn"), ctx(address));
        assertThat(rawRule("infra-ca-central-1").sourceSelectionCriteria().sseKmsEncryptedObjects().statusAsString())
                .isEqualTo("Enabled");
        assertThat(rawRule("infra-ca-central-1").destination().encryptionConfiguration().replicaKmsKeyID()).isEqualTo(replicaKey);

        ReplicationRule rawUpdated = rawRule("infra-ca-central-1");
        assertThat(rawUpdated.deleteMarkerReplication().status()).isEqualTo(DeleteMarkerReplicationStatus.ENABLED);
        assertThat(rawUpdated.destination().bucket()).isEqualTo("arn:aws:s3:::" + other);
        assertThat(rawUpdated.priority()).isEqualTo(1);
        assertThat(rawConfiguration().role()).isEqualTo(secondRoleArn);
        assertThat(rawConfiguration().rules()).hasSize(2);
        assertMatchesSpec(updated, changed);

        // readAll from ids alone: one GetBucketReplication for both rules of the bucket; an id never made is left out.
        clients.counter().reset();
        List<LiveResource> all = rules.readAll(ReadRequest.of(stack,
                Set.of(updated.id(), secondRule.id(), SOURCE_REGION + "/" + source + "/never-made")));
        assertThat(all).extracting(LiveResource::id).containsExactlyInAnyOrder(updated.id(), secondRule.id());
        assertThat(all).contains(updated);
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of("S3", Map.of("GetBucketReplication", 1L)));
        assertThat(rules.readAll(ReadRequest.of(stack, Set.of()))).isEmpty(); // no tags: nothing to discover

        assertThat(rules.findExisting(stack, changed)).contains(updated);
        assertThat(rules.findExisting(stack, ruleSpec(address, source, "infra-never", other, roleArn, true))).isEmpty();

        // Delete one: the other stays, with its priority and the configuration's role.
        rules.delete(updated, ctx(address));

        assertThat(rawConfiguration().rules()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("infra-eu-west-3");
            assertThat(r.priority()).isEqualTo(2);
        });
        assertThat(rawConfiguration().role()).isEqualTo(secondRoleArn);
        rules.delete(updated, ctx(address)); // already gone: fine

        // Delete the last: no configuration left.
        rules.delete(secondRule, ctx(otherAddress));

        assertThatThrownBy(this::rawConfiguration).isInstanceOf(S3Exception.class)
                .satisfies(e -> assertThat(((S3Exception) e).awsErrorDetails().errorCode())
                        .isEqualTo("ReplicationConfigurationNotFoundError"));
        assertThat(rules.readAll(ReadRequest.of(stack, Set.of(secondRule.id())))).isEmpty();
        rules.delete(secondRule, ctx(otherAddress));
    }

    @Test
    void createAdoptsTheRuleAnInterruptedCreateMadeAndDeleteOfAGoneBucketIsDone() {
        BucketReplicationRuleProvider rules = new BucketReplicationRuleProvider(clients);
        String address = "replication/rule";
        // A rule with this id already there (an earlier create whose answer was lost): replaced, keeping its priority.
        sourceS3().putBucketReplication(b -> b.bucket(source).replicationConfiguration(c -> c.role(roleArn).rules(
                ReplicationRule.builder().id("infra-ca-central-1").priority(5).filter(f -> f.prefix(""))
                        .status(ReplicationRuleStatus.ENABLED).deleteMarkerReplication(d -> d.status("Disabled"))
                        .destination(d -> d.bucket("arn:aws:s3:::" + replica)).build())));
        ResourceSpec spec = ruleSpec(address, source, "infra-ca-central-1", replica, roleArn, true);

        assertThat(rules.findExisting(stack, spec)).hasValueSatisfying(r -> assertThat(r.attributes())
                .containsEntry("priority", 5L).containsEntry("deleteMarkerReplication", false));
        LiveResource created = rules.create(spec, ctx(address));

        assertThat(rawConfiguration().rules()).singleElement().satisfies(r -> {
            assertThat(r.priority()).isEqualTo(5);
            assertThat(r.deleteMarkerReplication().status()).isEqualTo(DeleteMarkerReplicationStatus.ENABLED);
        });

        sourceS3().deleteBucketReplication(b -> b.bucket(source));
        sourceS3().deleteBucket(b -> b.bucket(source));
        rules.delete(created, ctx(address)); // bucket gone: done
        assertThat(rules.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
    }

    @Test
    void anUnversionedSourceBucketFailsWithAwsMessage() {
        String unversioned = stack + "-plain";
        bucket(sourceS3(), SOURCE_REGION, unversioned, false);
        BucketReplicationRuleProvider rules = new BucketReplicationRuleProvider(clients);
        String address = "replication/rule";

        assertThatThrownBy(() -> rules.create(ruleSpec(address, unversioned, "infra-ca-central-1", replica, roleArn,
                false), ctx(address)))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining(address)
                .hasMessageContaining("InvalidRequest")
                .hasMessageContaining("Versioning must be 'Enabled'")
                .hasMessageContaining(unversioned);
        sourceS3().deleteBucket(b -> b.bucket(unversioned));
    }

    /** The launcher's patch_s3_replication_delete_marker_replication: GetBucketReplication reports what was put. */
    @Test
    void getBucketReplicationReportsDeleteMarkerReplicationAsPut() {
        sourceS3().putBucketReplication(b -> b.bucket(source).replicationConfiguration(c -> c.role(roleArn).rules(
                ReplicationRule.builder().id("on").priority(1).filter(f -> f.prefix(""))
                        .status(ReplicationRuleStatus.ENABLED).deleteMarkerReplication(d -> d.status("Enabled"))
                        .destination(d -> d.bucket("arn:aws:s3:::" + replica)).build(),
                ReplicationRule.builder().id("off").priority(2).filter(f -> f.prefix(""))
                        .status(ReplicationRuleStatus.ENABLED).deleteMarkerReplication(d -> d.status("Disabled"))
                        .destination(d -> d.bucket("arn:aws:s3:::" + other)).build())));

        assertThat(rawRule("on").deleteMarkerReplication().status()).isEqualTo(DeleteMarkerReplicationStatus.ENABLED);
        assertThat(rawRule("off").deleteMarkerReplication().status()).isEqualTo(DeleteMarkerReplicationStatus.DISABLED);
        assertThat(rawRule("off").priority()).isEqualTo(2);
        sourceS3().deleteBucketReplication(b -> b.bucket(source));
    }
}
