package dev.infra.providers.kms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.HeldData;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.ProviderTestSupport;
import dev.infra.providers.testing.SleepingOperationContext;
import java.time.Duration;
import java.time.Instant;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AliasListEntry;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;

/** KMS keys and aliases against the emulator, in ap-southeast-3. */
class KmsIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "ap-southeast-3";
    }

    private KmsClient kms() {
        return clients.client(KmsClient.class, KmsClient::builder);
    }

    private KeyMetadata rawKey(String keyId) {
        return kms().describeKey(b -> b.keyId(keyId)).keyMetadata();
    }

    private Map<String, String> rawTags(String keyId) {
        Map<String, String> out = new TreeMap<>();
        kms().listResourceTags(b -> b.keyId(keyId)).tags().forEach(t -> out.put(t.tagKey(), t.tagValue()));
        return out;
    }

    private boolean rawRotation(String keyId) {
        return kms().getKeyRotationStatus(b -> b.keyId(keyId)).keyRotationEnabled();
    }

    private ResourceSpec keySpec(String address, String description, boolean rotation, boolean multiRegion,
                                 Long window, Map<String, String> userTags) {
        Map<String, Object> a = new TreeMap<>();
        a.put("description", description);
        a.put("enableKeyRotation", rotation);
        a.put("multiRegion", multiRegion);
        if (window != null) {
            a.put("deletionWindowDays", window);
        }
        return spec(address, KmsKeyProvider.TYPE, a, userTags);
    }

    /**
     * Deleting the key would make what it encrypts outside the stack unreadable: heldData names the volumes and
     * snapshots not tagged with the stack (the stack's own are not counted), with the window that keeps them.
     */
    @Test
    void heldDataNamesWhatTheKeyEncryptsOutsideTheStack() {
        KmsKeyProvider keys = new KmsKeyProvider(clients);
        String address = "encryption/key.volumes";
        LiveResource key = keys.create(keySpec(address, "k", false, false, 10L, Map.of()), ctx(address));
        assertThat(keys.heldData(key)).isEmpty();

        String zone = region() + "a";
        String arn = (String) key.attributes().get("arn");
        var ec2 = clients.ec2();
        String ours = ec2.createVolume(b -> b.availabilityZone(zone).size(1).encrypted(true).kmsKeyId(arn)
                .tagSpecifications(t -> t.resourceType("volume").tags(x -> x.key("infra:stack").value(stack))))
                .volumeId();
        String outside = ec2.createVolume(b -> b.availabilityZone(zone).size(1).encrypted(true).kmsKeyId(arn)).volumeId();
        String snapshot = ec2.createSnapshot(b -> b.volumeId(outside)).snapshotId();

        assertThat(keys.heldData(key)).hasValueSatisfying(h -> {
            assertThat(h.guard()).isEqualTo(HeldData.Guard.SHOWN);
            assertThat(h.summary()).contains("the key of 2 EBS volume(s)/snapshot(s) outside the stack (" + outside
                    + ", " + snapshot + ")", "10-day window").doesNotContain(ours);
        });
        ec2.deleteSnapshot(b -> b.snapshotId(snapshot));
        ec2.deleteVolume(b -> b.volumeId(outside));
        ec2.deleteVolume(b -> b.volumeId(ours));
        keys.delete(key, ctx(address));
    }

    /** The services that may use the key are in its policy, beside the account root, and follow updates. */
    @Test
    void servicePrincipalsAreTheKeyPolicy() throws Exception {
        KmsKeyProvider keys = new KmsKeyProvider(clients);
        String address = "encryption/key.policy";
        Map<String, Object> a = new TreeMap<>(Map.of("description", "k", "enableKeyRotation", false, "multiRegion", false,
                "servicePrincipals", List.of("logs.ap-southeast-3.amazonaws.com", "cloudtrail.amazonaws.com")));
        ResourceSpec spec = spec(address, KmsKeyProvider.TYPE, a, Map.of());

        LiveResource created = keys.create(spec, ctx(address));

        JsonNode policy = new ObjectMapper().readTree(kms().getKeyPolicy(b -> b.keyId(created.id()).policyName("default")).policy());
        assertThat(policy.toString()).contains(":iam::").contains(":root");
        // Each service for this account's resources only, as its guide says: the account, the source ARN, the context.
        Map<String, JsonNode> bySid = new TreeMap<>();
        policy.path("Statement").forEach(st -> bySid.put(st.path("Sid").asText(), st));
        String account = "123456789012";
        JsonNode trail = bySid.get("InfraForCloudtrail");
        assertThat(trail.path("Principal").path("Service").asText()).isEqualTo("cloudtrail.amazonaws.com");
        assertThat(trail.path("Action").toString()).isEqualTo("[\"kms:GenerateDataKey*\"]");
        assertThat(trail.path("Condition").path("StringEquals").path("aws:SourceAccount").asText()).isEqualTo(account);
        assertThat(trail.path("Condition").path("ArnLike").path("aws:SourceArn").asText())
                .isEqualTo("arn:aws:cloudtrail:*:" + account + ":trail/*");
        assertThat(trail.path("Condition").path("StringLike").path("kms:EncryptionContext:aws:cloudtrail:arn").asText())
                .isEqualTo("arn:aws:cloudtrail:*:" + account + ":trail/*");
        assertThat(bySid.get("InfraForCloudtrailDescribe").path("Action").toString()).isEqualTo("[\"kms:DescribeKey\"]");
        assertThat(bySid.get("InfraForCloudtrailDescribe").path("Condition").path("StringEquals").path("aws:SourceAccount")
                .asText()).isEqualTo(account);
        JsonNode logs = bySid.get("InfraForLogs");
        assertThat(logs.path("Principal").path("Service").asText()).isEqualTo("logs.ap-southeast-3.amazonaws.com");
        assertThat(logs.path("Condition").path("ArnLike").path("kms:EncryptionContext:aws:logs:arn").asText())
                .isEqualTo("arn:aws:logs:ap-southeast-3:" + account + ":log-group:*");
        assertThat(created.attributes().get("servicePrincipals"))
                .isEqualTo(List.of("cloudtrail.amazonaws.com", "logs.ap-southeast-3.amazonaws.com"));

        a.put("servicePrincipals", List.of("cloudwatch.amazonaws.com"));
        LiveResource updated = keys.update(created, spec(address, KmsKeyProvider.TYPE, a, Map.of()),
                Set.of("servicePrincipals"), ctx(address));
        JsonNode alarms = new ObjectMapper().readTree(kms().getKeyPolicy(b -> b.keyId(created.id()).policyName("default"))
                .policy());
        assertThat(alarms.toString()).doesNotContain("cloudtrail.amazonaws.com");
        JsonNode cloudwatch = null;
        for (JsonNode st : alarms.path("Statement")) {
            if (st.path("Sid").asText().equals("InfraForCloudwatch")) {
                cloudwatch = st;
            }
        }
        assertThat(cloudwatch).isNotNull();
        assertThat(cloudwatch.path("Principal").path("Service").asText()).isEqualTo("cloudwatch.amazonaws.com");
        assertThat(cloudwatch.path("Condition").path("StringEquals").path("aws:SourceAccount").asText()).isEqualTo(account);
        assertThat(cloudwatch.path("Condition").path("ArnLike").path("aws:SourceArn").asText())
                .isEqualTo("arn:aws:cloudwatch:*:" + account + ":alarm:*");
        assertThat(updated.attributes().get("servicePrincipals")).isEqualTo(List.of("cloudwatch.amazonaws.com"));
        keys.delete(updated, ctx(address));
    }

    /**
     * Auto Scaling's service-linked role may use the key and grant it to the instances it launches; KMS needs the role
     * to exist, so it is made when the account has none, and found when it has.
     */
    @Test
    void serviceLinkedRolesAreInThePolicyAndMadeWhenMissing() throws Exception {
        KmsKeyProvider keys = new KmsKeyProvider(clients);
        String address = "encryption/key.linked";
        Map<String, Object> a = new TreeMap<>(Map.of("description", "k", "enableKeyRotation", false, "multiRegion", false,
                "servicePrincipals", List.of(), "serviceLinkedRoles", List.of("autoscaling.amazonaws.com")));

        LiveResource created = keys.create(spec(address, KmsKeyProvider.TYPE, a, Map.of()), ctx(address));

        IamClient iam = clients.client(IamClient.class, IamClient::builder);
        List<Role> roles = iam.listRoles(b -> b.pathPrefix("/aws-service-role/autoscaling.amazonaws.com/")).roles();
        assertThat(roles).extracting(Role::roleName).contains("AWSServiceRoleForAutoScaling");
        String roleArn = roles.stream().filter(r -> r.roleName().equals("AWSServiceRoleForAutoScaling")).findFirst().orElseThrow().arn();
        JsonNode policy = new ObjectMapper().readTree(kms().getKeyPolicy(b -> b.keyId(created.id()).policyName("default")).policy());
        JsonNode grants = null;
        for (JsonNode statement : policy.path("Statement")) {
            if (statement.path("Sid").asText().equals("InfraServiceLinkedRoleGrants")) {
                grants = statement;
            }
        }
        assertThat(grants).isNotNull();
        assertThat(grants.path("Principal").path("AWS").toString()).contains(roleArn);
        assertThat(grants.path("Action").asText()).isEqualTo("kms:CreateGrant");
        assertThat(grants.path("Condition").path("Bool").path("kms:GrantIsForAWSResource").asBoolean()).isTrue();
        assertThat(policy.toString()).contains("\"Sid\":\"InfraServiceLinkedRoles\"");
        assertThat(created.attributes().get("serviceLinkedRoles")).isEqualTo(List.of("autoscaling.amazonaws.com"));

        // A second key finds the role the first one made (one per account): no second CreateServiceLinkedRole.
        clients.counter().reset();
        LiveResource second = keys.create(spec("encryption/key.linked-2", KmsKeyProvider.TYPE, a, Map.of()),
                ctx("encryption/key.linked-2"));
        assertThat(clients.counter().snapshot().get("Iam")).doesNotContainKey("CreateServiceLinkedRole");

        a.put("serviceLinkedRoles", List.of());
        LiveResource updated = keys.update(created, spec(address, KmsKeyProvider.TYPE, a, Map.of()),
                Set.of("serviceLinkedRoles"), ctx(address));
        assertThat(kms().getKeyPolicy(b -> b.keyId(created.id()).policyName("default")).policy())
                .doesNotContain("InfraServiceLinkedRole");
        assertThat(updated.attributes().get("serviceLinkedRoles")).isEqualTo(List.of());
        keys.delete(updated, ctx(address));
        keys.delete(second, ctx("encryption/key.linked-2"));
    }

    private static void assertDeletionInDays(KeyMetadata raw, long days) {
        assertThat(raw.keyState()).isEqualTo(KeyState.PENDING_DELETION);
        assertThat(Duration.between(Instant.now(), raw.deletionDate()).toHours()).isBetween(days * 24 - 1, days * 24);
    }

    @Test
    void keyLifecycle() {
        KmsKeyProvider keys = new KmsKeyProvider(clients);
        String address = "encryption/key";
        ResourceSpec spec = keySpec(address, "stack key", true, false, 10L, Map.of("team", "platform", "retired", "soon"));

        LiveResource created = keys.create(spec, ctx(address));

        KeyMetadata raw = rawKey(created.id());
        assertThat(raw.description()).isEqualTo("stack key");
        assertThat(raw.multiRegion()).isFalse();
        assertThat(raw.keyState()).isEqualTo(KeyState.ENABLED);
        assertThat(rawRotation(created.id())).isTrue();
        assertThat(rawTags(created.id())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).containsEntry("arn", raw.arn());

        ResourceSpec changed = keySpec(address, "the stack's key", false, false, 10L, Map.of("team", "security"));
        LiveResource updated = keys.update(created, changed, Set.of("description", "enableKeyRotation", "tags"),
                ctx(address));

        raw = rawKey(created.id());
        assertThat(raw.description()).isEqualTo("the stack's key");
        assertThat(rawRotation(created.id())).isFalse();
        assertThat(rawTags(created.id())).isEqualTo(changed.tags()).doesNotContainKey("retired");
        assertMatchesSpec(updated, changed);

        clients.counter().reset();
        List<LiveResource> all = keys.readAll(ReadRequest.of(stack, Set.of(created.id())));
        assertThat(all).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(created.id());
            assertMatchesSpec(r, changed, "deletionWindowDays"); // write-only: AWS does not report it
        });
        // One GetResources for the stack, then DescribeKey, GetKeyRotationStatus, GetKeyPolicy per key (no batch forms).
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of(
                "ResourceGroupsTaggingApi", Map.of("GetResources", 1L),
                "Kms", Map.of("DescribeKey", 1L, "GetKeyRotationStatus", 1L, "GetKeyPolicy", 1L)));

        assertThat(keys.findExisting(stack, changed)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(created.id()));
        assertThat(keys.findExisting("some-other-stack", changed)).isEmpty();

        keys.delete(updated, ctx(address));
        assertDeletionInDays(rawKey(created.id()), 10);
        assertThat(keys.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        assertThat(keys.findExisting(stack, changed)).isEmpty();
        keys.delete(updated, ctx(address)); // already pending deletion: fine
    }

    @Test
    void multiRegionKeyWithDefaultWindowAndStateIdsWithoutStackTag() {
        KmsKeyProvider keys = new KmsKeyProvider(clients);
        String address = "encryption/key";
        LiveResource created = keys.create(keySpec(address, "multi", false, true, null, Map.of()), ctx(address));
        assertThat(rawKey(created.id()).multiRegion()).isTrue();
        assertThat(created.attributes()).containsEntry("multiRegion", true).containsEntry("deletionWindowDays", 7L);

        kms().untagResource(b -> b.keyId(created.id()).tagKeys("infra:stack"));
        assertThat(keys.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
        assertThat(keys.readAll(ReadRequest.of(stack, Set.of(created.id(), "0b1c2d3e-0000-4000-8000-000000000000"))))
                .singleElement().satisfies(r -> {
                    assertThat(r.id()).isEqualTo(created.id());
                    assertThat(r.address()).isEqualTo(address);
                });

        // What the engine hands delete when the live read is all it has: no deletionWindowDays, so 7 days.
        keys.delete(LiveResource.of(created.id(), address, Map.of()), ctx(address));
        assertDeletionInDays(rawKey(created.id()), 7);
    }

    /**
     * KMS refuses a policy naming a principal it does not see yet (MalformedPolicyDocumentException; the emulator refuses
     * principals that do not exist, but cannot make one exist late): CreateKey and PutKeyPolicy are retried for IAM's
     * propagation window, then fail with KMS's answer.
     */
    @Test
    void policiesNamingPrincipalsKmsDoesNotSeeYetAreRetriedForAWhile() {
        try (AwsClients propagating = Emulator.clients(region(),
                Faults.awsError("CreateKey", 2, 400, "MalformedPolicyDocumentException"),
                Faults.awsError("PutKeyPolicy", 2, 400, "MalformedPolicyDocumentException"))) {
            String address = "encryption/propagating";
            KmsKeyProvider keys = new KmsKeyProvider(propagating);
            LiveResource created = keys.create(keySpec(address, "late", false, false, null, Map.of()),
                    SleepingOperationContext.pretending(address));
            assertThat(kms().describeKey(b -> b.keyId(created.id())).keyMetadata().description()).isEqualTo("late");

            ResourceSpec withLogs = spec(address, KmsKeyProvider.TYPE, new TreeMap<>(Map.of("description", "late",
                    "enableKeyRotation", false, "multiRegion", false, "servicePrincipals", List.of("logs." + region()
                            + ".amazonaws.com"))), Map.of());
            LiveResource updated = keys.update(created, withLogs, Set.of("servicePrincipals"),
                    SleepingOperationContext.pretending(address));
            assertThat(kms().getKeyPolicy(b -> b.keyId(created.id()).policyName("default")).policy())
                    .contains("logs." + region() + ".amazonaws.com");
            keys.delete(updated, ctx(address));
        }
        try (AwsClients never = Emulator.clients(region(),
                Faults.awsError("CreateKey", 10_000, 400, "MalformedPolicyDocumentException"))) {
            String address = "encryption/never";
            assertThatThrownBy(() -> new KmsKeyProvider(never).create(keySpec(address, "never", false, false, null,
                    Map.of()), SleepingOperationContext.pretending(address)))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("gave up after 120 s")
                    .hasMessageContaining("MalformedPolicyDocumentException");
        }
    }

    @Test
    void createThatTookEffectDespiteAServerErrorIsAdoptedNotRepeated() {
        try (AwsClients flaky = Emulator.clients(region(), Faults.loseAnswer("CreateKey", 1))) {
            String address = "encryption/lost-answer";
            ResourceSpec spec = keySpec(address, "once", true, false, null, Map.of());

            LiveResource created = new KmsKeyProvider(flaky).create(spec, ctx(address));

            assertThat(flaky.counter().count("Kms", "CreateKey")).isEqualTo(1);
            ResourceGroupsTaggingApiClient tagging = clients.client(ResourceGroupsTaggingApiClient.class,
                    ResourceGroupsTaggingApiClient::builder);
            assertThat(tagging.getResources(b -> b.resourceTypeFilters("kms:key")
                    .tagFilters(t -> t.key("infra:address").values(address), t -> t.key("infra:stack").values(stack)))
                    .resourceTagMappingList()).singleElement()
                    .satisfies(m -> assertThat(m.resourceARN()).endsWith(created.id()));
            assertThat(rawRotation(created.id())).isTrue();
        }
    }

    @Test
    void deletionWindowOutsideWhatKmsAllowsFailsBeforeAnyCall() {
        String address = "encryption/key";
        clients.counter().reset();
        assertThatThrownBy(() -> new KmsKeyProvider(clients).create(
                keySpec(address, "bad", false, false, 3L, Map.of()), ctx(address)))
                .isInstanceOf(ProviderException.class)
                .hasMessage(address + ": deletionWindowDays must be between 7 and 30 days, got 3");
        assertThat(clients.counter().total()).isZero();
    }

    @Test
    void aliasLifecycle() {
        KmsKeyProvider keys = new KmsKeyProvider(clients);
        KmsAliasProvider aliases = new KmsAliasProvider(clients);
        LiveResource first = keys.create(keySpec("encryption/key.first", "first", false, false, null, Map.of()), ctx("k1"));
        LiveResource second = keys.create(keySpec("encryption/key.second", "second", false, false, null, Map.of()), ctx("k2"));
        String address = "encryption/alias";
        String name = "alias/infra-" + stack;
        ResourceSpec spec = untaggedSpec(address, KmsAliasProvider.TYPE, Map.of("name", name, "targetKeyId", first.id()));

        LiveResource created = aliases.create(spec, ctx(address));

        assertThat(created.id()).isEqualTo(name);
        assertThat(created.address()).isNull();
        assertThat(rawAlias(name)).extracting(AliasListEntry::targetKeyId).isEqualTo(first.id());
        assertMatchesSpec(created, spec);

        ResourceSpec changed = untaggedSpec(address, KmsAliasProvider.TYPE, Map.of("name", name, "targetKeyId", second.id()));
        LiveResource updated = aliases.update(created, changed, Set.of("targetKeyId"), ctx(address));
        assertThat(rawAlias(name)).extracting(AliasListEntry::targetKeyId).isEqualTo(second.id());
        assertMatchesSpec(updated, changed);

        clients.counter().reset();
        assertThat(aliases.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
        assertThat(clients.counter().total()).isZero(); // no tags, nothing in state: nothing to read
        assertThat(aliases.readAll(ReadRequest.of(stack, Set.of(name, "alias/gone")))).containsExactly(updated);
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of("Kms", Map.of("ListAliases", 1L)));
        assertThat(aliases.findExisting(stack, changed)).contains(updated);

        aliases.delete(updated, ctx(address));
        assertThat(rawAliasOrNull(name)).isNull();
        aliases.delete(updated, ctx(address)); // already gone: fine
        assertThat(aliases.findExisting(stack, changed)).isEmpty();
    }

    @Test
    void aliasNamesAreChecked() {
        ResourceSpec spec = untaggedSpec("encryption/alias", KmsAliasProvider.TYPE,
                Map.of("name", "infra-" + stack, "targetKeyId", "1234abcd-12ab-34cd-56ef-1234567890ab"));
        assertThatThrownBy(() -> new KmsAliasProvider(clients).create(spec, ctx("encryption/alias")))
                .isInstanceOf(ProviderException.class)
                .hasMessageStartingWith("encryption/alias: alias name must start with alias/");
    }

    private AliasListEntry rawAliasOrNull(String name) {
        return kms().listAliasesPaginator(b -> b.limit(100)).aliases().stream()
                .filter(a -> a.aliasName().equals(name)).findFirst().orElse(null);
    }

    private AliasListEntry rawAlias(String name) {
        AliasListEntry a = rawAliasOrNull(name);
        assertThat(a).as("alias %s", name).isNotNull();
        return a;
    }
}
