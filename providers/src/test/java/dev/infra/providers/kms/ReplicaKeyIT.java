package dev.infra.providers.kms;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.ProviderTestSupport;
import dev.infra.providers.testing.SleepingOperationContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DescribeKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.MultiRegionKey;
import software.amazon.awssdk.services.kms.model.MultiRegionKeyType;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * KMS replica keys against the emulator: the provider is the replica region's (ca-central-1), the multi-Region primary
 * is in sa-east-1 and ReplicateKey is called there (through {@code clients.in}). Assertions are raw DescribeKey,
 * GetKeyPolicy and ListResourceTags calls in each region.
 */
class ReplicaKeyIT extends ProviderTestSupport {

    private static final String PRIMARY_REGION = "sa-east-1";

    @Override
    protected String region() {
        return "ca-central-1";
    }

    private KmsClient kms(String region) {
        return clients.in(region).client(KmsClient.class, KmsClient::builder);
    }

    private KeyMetadata rawKey(String region, String keyId) {
        return kms(region).describeKey(b -> b.keyId(keyId)).keyMetadata();
    }

    private List<String> rawServicePrincipals(String region, String keyId) throws Exception {
        JsonNode policy = new ObjectMapper().readTree(
                kms(region).getKeyPolicy(b -> b.keyId(keyId).policyName("default")).policy());
        List<String> out = new ArrayList<>();
        for (JsonNode statement : policy.path("Statement")) {
            String service = statement.path("Principal").path("Service").asText();
            if (statement.path("Sid").asText().startsWith("InfraFor") && !out.contains(service)) {
                out.add(service);
            }
        }
        return out;
    }

    private Map<String, String> rawTags(String region, String keyId) {
        Map<String, String> out = new TreeMap<>();
        kms(region).listResourceTags(b -> b.keyId(keyId)).tags().forEach(t -> out.put(t.tagKey(), t.tagValue()));
        return out;
    }

    private ResourceSpec replicaSpec(String address, String primaryArn, String description, List<String> services,
                                     Map<String, String> userTags) {
        return spec(address, ReplicaKeyProvider.TYPE, attributes("primaryKeyArn", primaryArn, "description",
                description, "servicePrincipals", services, "deletionWindowDays", 7L), userTags);
    }

    private static void assertPrimaryListing(KeyMetadata primary, String replicaRegion) {
        assertThat(primary.multiRegionConfiguration().multiRegionKeyType()).isEqualTo(MultiRegionKeyType.PRIMARY);
        assertThat(primary.multiRegionConfiguration().primaryKey().arn()).isEqualTo(primary.arn());
        assertThat(primary.multiRegionConfiguration().replicaKeys()).extracting(MultiRegionKey::region)
                .contains(replicaRegion);
    }

    /**
     * A replica stays Creating while KMS copies it, minutes on AWS: the create waits for it past the 2-minute
     * propagation wait (4 minutes of pretended time here, 2 s polls), as Terraform does for up to 10.
     */
    @Test
    void aReplicaCreatingForMinutesIsWaitedFor() {
        KmsKeyProvider primaries = new KmsKeyProvider(clients.in(PRIMARY_REGION));
        LiveResource primary = primaries.create(spec("encryption/key", KmsKeyProvider.TYPE, attributes("description",
                "stack key", "enableKeyRotation", false, "multiRegion", true, "servicePrincipals", List.of()), Map.of()),
                ctx("encryption/key"));
        String address = "encryption/key.replica-slow";
        AtomicInteger creating = new AtomicInteger(120);
        try (AwsClients slow = Emulator.clients(region(), Faults.rewrite(DescribeKeyResponse.class,
                r -> r.keyMetadata().arn().contains(":" + region() + ":") && creating.getAndDecrement() > 0
                        ? r.toBuilder().keyMetadata(r.keyMetadata().toBuilder().keyState(KeyState.CREATING).build()).build()
                        : r))) {
            SleepingOperationContext ctx = SleepingOperationContext.pretending(address);
            LiveResource created = new ReplicaKeyProvider(slow).create(replicaSpec(address,
                    (String) primary.attributes().get("arn"), "slow replica", List.of(), Map.of()), ctx);

            assertThat(ctx.sleeps()).isGreaterThan(60);
            assertThat(rawKey(region(), created.id()).keyState()).isEqualTo(KeyState.ENABLED);
            new ReplicaKeyProvider(clients).delete(created, ctx(address));
        }
        primaries.delete(primary, ctx("encryption/key"));
    }

    @Test
    void replicaLifecycle() throws Exception {
        KmsKeyProvider primaries = new KmsKeyProvider(clients.in(PRIMARY_REGION));
        String primaryAddress = "encryption/key";
        LiveResource primary = primaries.create(spec(primaryAddress, KmsKeyProvider.TYPE, attributes("description",
                "stack key", "enableKeyRotation", false, "multiRegion", true, "servicePrincipals",
                List.of("logs.sa-east-1.amazonaws.com")), Map.of()), ctx(primaryAddress));
        String primaryArn = (String) primary.attributes().get("arn");
        assertThat(primary.id()).startsWith("mrk-");

        ReplicaKeyProvider replicas = new ReplicaKeyProvider(clients);
        String address = "encryption/key.replica-ca-central-1";
        ResourceSpec spec = replicaSpec(address, primaryArn, "stack key (ca-central-1)",
                List.of("logs.ca-central-1.amazonaws.com", "s3.amazonaws.com"), Map.of("team", "platform", "old", "x"));

        LiveResource created = replicas.create(spec, ctx(address));

        assertThat(created.id()).isEqualTo(primary.id());
        KeyMetadata raw = rawKey(region(), created.id());
        assertThat(raw.arn()).startsWith("arn:aws:kms:ca-central-1:").endsWith(":key/" + primary.id());
        assertThat(raw.keyState()).isEqualTo(KeyState.ENABLED);
        assertThat(raw.multiRegionConfiguration().multiRegionKeyType()).isEqualTo(MultiRegionKeyType.REPLICA);
        assertThat(raw.multiRegionConfiguration().primaryKey().arn()).isEqualTo(primaryArn);
        assertThat(raw.multiRegionConfiguration().primaryKey().region()).isEqualTo(PRIMARY_REGION);
        assertThat(raw.description()).isEqualTo("stack key (ca-central-1)");
        assertThat(rawServicePrincipals(region(), created.id()))
                .containsExactly("logs.ca-central-1.amazonaws.com", "s3.amazonaws.com");
        assertThat(rawTags(region(), created.id())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).containsEntry("arn", raw.arn()).containsEntry("deletionWindowDays", 7L);

        // The primary, read after the replica (and the replica again after it), is still the primary.
        assertPrimaryListing(rawKey(PRIMARY_REGION, primary.id()), region());
        assertThat(rawKey(PRIMARY_REGION, primary.id()).description()).isEqualTo("stack key");
        assertThat(rawServicePrincipals(PRIMARY_REGION, primary.id())).containsExactly("logs.sa-east-1.amazonaws.com");
        assertThat(rawKey(region(), created.id()).multiRegionConfiguration().multiRegionKeyType())
                .isEqualTo(MultiRegionKeyType.REPLICA);

        ResourceSpec changed = replicaSpec(address, primaryArn, "replica of the stack key",
                List.of("cloudtrail.amazonaws.com"), Map.of("team", "security"));
        LiveResource updated = replicas.update(created, changed, Set.of("description", "servicePrincipals", "tags"),
                ctx(address));

        raw = rawKey(region(), created.id());
        assertThat(raw.description()).isEqualTo("replica of the stack key");
        assertThat(rawServicePrincipals(region(), created.id())).containsExactly("cloudtrail.amazonaws.com");
        assertThat(rawTags(region(), created.id())).isEqualTo(changed.tags());
        assertMatchesSpec(updated, changed);
        // Not shared properties: the primary keeps its own.
        assertThat(rawKey(PRIMARY_REGION, primary.id()).description()).isEqualTo("stack key");
        assertThat(rawServicePrincipals(PRIMARY_REGION, primary.id())).containsExactly("logs.sa-east-1.amazonaws.com");

        // readAll in R finds the replica (one GetResources, DescribeKey and GetKeyPolicy per key); aws_kms_key does not.
        clients.counter().reset();
        assertThat(replicas.readAll(ReadRequest.of(stack, Set.of()))).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(created.id());
            assertMatchesSpec(r, changed, "deletionWindowDays");
        });
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of(
                "ResourceGroupsTaggingApi", Map.of("GetResources", 1L),
                "Kms", Map.of("DescribeKey", 1L, "GetKeyPolicy", 1L)));
        KmsKeyProvider keysInReplicaRegion = new KmsKeyProvider(clients);
        assertThat(keysInReplicaRegion.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
        assertThat(keysInReplicaRegion.findExisting(stack, changed)).isEmpty();
        // …and in P, aws_kms_key finds the primary, the replica type nothing.
        assertThat(primaries.readAll(ReadRequest.of(stack, Set.of()))).extracting(LiveResource::id)
                .containsExactly(primary.id());
        assertThat(new ReplicaKeyProvider(clients.in(PRIMARY_REGION)).readAll(ReadRequest.of(stack, Set.of()))).isEmpty();

        assertThat(replicas.findExisting(stack, changed)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(created.id()));
        assertThat(replicas.findExisting("some-other-stack", changed)).isEmpty();

        // Delete: ScheduleKeyDeletion of the replica in R; the primary in P is untouched.
        replicas.delete(updated, ctx(address));

        raw = rawKey(region(), created.id());
        assertThat(raw.keyState()).isEqualTo(KeyState.PENDING_DELETION);
        assertThat(Duration.between(Instant.now(), raw.deletionDate()).toHours()).isBetween(7 * 24 - 1L, 7 * 24L);
        KeyMetadata rawPrimary = rawKey(PRIMARY_REGION, primary.id());
        assertThat(rawPrimary.keyState()).isEqualTo(KeyState.ENABLED);
        assertThat(rawPrimary.multiRegionConfiguration().multiRegionKeyType()).isEqualTo(MultiRegionKeyType.PRIMARY);
        assertThat(replicas.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        replicas.delete(updated, ctx(address)); // already pending deletion: fine

        primaries.delete(primary, ctx(primaryAddress));
        // AWS: PendingReplicaDeletion while a replica (here pending deletion itself) remains.
        assertThat(rawKey(PRIMARY_REGION, primary.id()).keyState())
                .isIn(KeyState.PENDING_DELETION, KeyState.PENDING_REPLICA_DELETION);
    }

    /**
     * The launcher's patch_kms_multi_region_configuration and patch_kms_replicate_key, through raw calls: reading the
     * replica and the primary in either order reports each as what it is, and ReplicateKey (by the primary's ARN) gives
     * the replica its own description, policy and tags.
     */
    @Test
    void describeKeyReportsEachMultiRegionKeyAsWhatItIs() {
        KeyMetadata primary = kms(PRIMARY_REGION).createKey(b -> b.multiRegion(true).description("primary")).keyMetadata();
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Only\",\"Effect\":\"Allow\","
                + "\"Principal\":{\"AWS\":\"*\"},\"Action\":\"kms:Decrypt\",\"Resource\":\"*\"}]}";

        KeyMetadata replica = kms(PRIMARY_REGION).replicateKey(b -> b.keyId(primary.arn()).replicaRegion(region())
                .description("replica").policy(policy).tags(Tag.builder().tagKey("k").tagValue("v").build()))
                .replicaKeyMetadata();

        assertThat(replica.arn()).startsWith("arn:aws:kms:ca-central-1:");
        assertThat(replica.multiRegionConfiguration().multiRegionKeyType()).isEqualTo(MultiRegionKeyType.REPLICA);
        for (int round = 0; round < 2; round++) {
            KeyMetadata inReplicaRegion = rawKey(region(), primary.keyId());
            assertThat(inReplicaRegion.multiRegionConfiguration().multiRegionKeyType()).isEqualTo(MultiRegionKeyType.REPLICA);
            assertThat(inReplicaRegion.multiRegionConfiguration().primaryKey().arn()).isEqualTo(primary.arn());
            assertThat(inReplicaRegion.multiRegionConfiguration().replicaKeys()).extracting(MultiRegionKey::arn)
                    .containsExactly(replica.arn());
            KeyMetadata inPrimaryRegion = rawKey(PRIMARY_REGION, primary.keyId());
            assertPrimaryListing(inPrimaryRegion, region());
        }
        assertThat(rawKey(region(), primary.keyId()).description()).isEqualTo("replica");
        assertThat(rawKey(PRIMARY_REGION, primary.keyId()).description()).isEqualTo("primary");
        assertThat(kms(region()).getKeyPolicy(b -> b.keyId(primary.keyId()).policyName("default")).policy())
                .contains("\"Sid\":\"Only\"");
        assertThat(kms(PRIMARY_REGION).getKeyPolicy(b -> b.keyId(primary.keyId()).policyName("default")).policy())
                .doesNotContain("\"Sid\":\"Only\"");
        assertThat(rawTags(region(), primary.keyId())).isEqualTo(Map.of("k", "v"));
        assertThat(rawTags(PRIMARY_REGION, primary.keyId())).isEmpty();

        // Aliases are per Region: one made, then deleted, in the replica's region never touches the primary's.
        String alias = "alias/replica-key-it-" + primary.keyId().substring(4, 12);
        kms(PRIMARY_REGION).createAlias(b -> b.aliasName(alias).targetKeyId(primary.keyId()));
        kms(region()).createAlias(b -> b.aliasName(alias).targetKeyId(primary.keyId()));
        kms(region()).deleteAlias(b -> b.aliasName(alias));
        assertThat(kms(PRIMARY_REGION).listAliases(b -> b.keyId(primary.keyId())).aliases())
                .extracting(a -> a.aliasName()).containsExactly(alias);
        assertThat(kms(region()).listAliases(b -> b.keyId(primary.keyId())).aliases()).isEmpty();
        kms(PRIMARY_REGION).deleteAlias(b -> b.aliasName(alias));

        // ScheduleKeyDeletion of the replica: the replica only.
        kms(region()).scheduleKeyDeletion(b -> b.keyId(primary.keyId()).pendingWindowInDays(7));
        assertThat(rawKey(region(), primary.keyId()).keyState()).isEqualTo(KeyState.PENDING_DELETION);
        assertThat(rawKey(PRIMARY_REGION, primary.keyId()).keyState()).isEqualTo(KeyState.ENABLED);
        kms(PRIMARY_REGION).scheduleKeyDeletion(b -> b.keyId(primary.keyId()).pendingWindowInDays(7));
    }
}
