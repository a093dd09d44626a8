package dev.infra.providers.athena;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.core.provider.ResourceSchema;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.ProviderTestSupport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.athena.AthenaClient;
import software.amazon.awssdk.services.athena.model.EncryptionOption;
import software.amazon.awssdk.services.athena.model.InvalidRequestException;
import software.amazon.awssdk.services.athena.model.ResourceNotFoundException;
import software.amazon.awssdk.services.athena.model.ResultConfiguration;
import software.amazon.awssdk.services.athena.model.WorkGroup;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Athena workgroups against the emulator, in ap-south-1 (which GlueIT uses too: the two services share no state).
 * The KMS keys are made with raw SDK calls. UpdateWorkGroup, GetWorkGroup's answer for an unknown workgroup and
 * ListTagsForResource of an untagged one come from launcher patches, checked here with raw calls.
 */
class AthenaIT extends ProviderTestSupport {

    private String keyA;
    private String keyB;

    @Override
    protected String region() {
        return "ap-south-1";
    }

    @BeforeAll
    void keys() {
        KmsClient kms = clients.client(KmsClient.class, KmsClient::builder);
        keyA = kms.createKey(b -> b.description("athena results A")).keyMetadata().arn();
        keyB = kms.createKey(b -> b.description("athena results B")).keyMetadata().arn();
    }

    private AthenaClient athena() {
        return clients.client(AthenaClient.class, AthenaClient::builder);
    }

    private WorkGroup raw(String name) {
        return athena().getWorkGroup(b -> b.workGroup(name)).workGroup();
    }

    private String arnOf(String name) {
        return clients.arn("athena", "workgroup/" + name);
    }

    private Map<String, String> rawTags(String name) {
        Map<String, String> out = new TreeMap<>();
        athena().listTagsForResource(b -> b.resourceARN(arnOf(name))).tags().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    /** Workgroups of the region but primary, whoever made them: readAll reads the tags of each. */
    private long workGroupsInRegion() {
        return athena().listWorkGroups(b -> { }).workGroups().stream().filter(w -> !w.name().equals("primary")).count();
    }

    private String groupName(String suffix) {
        return "queries-" + stack.substring(3) + suffix;
    }

    private ResourceSpec groupSpec(String address, String name, String output, String key, boolean enforce,
                                   Map<String, String> userTags) {
        Map<String, Object> a = new TreeMap<>();
        a.put("name", name);
        a.put("outputLocation", output);
        if (key != null) {
            a.put("kmsKeyArn", key);
        }
        a.put("enforceConfiguration", enforce);
        return spec(address, AthenaWorkGroupProvider.TYPE, a, userTags);
    }

    @Test
    void schemaFollowsTheContract() {
        ResourceSchema schema = new AthenaWorkGroupProvider(clients).schema();
        assertThat(schema.updatable()).containsExactlyInAnyOrder("tags", "outputLocation", "kmsKeyArn",
                "enforceConfiguration");
        assertThat(schema.computed()).isEmpty();
        assertThat(schema.forcesReplacement("name")).isTrue();
    }

    @Test
    void workGroupLifecycle() {
        AthenaWorkGroupProvider groups = new AthenaWorkGroupProvider(clients);
        String address = "monitoring/athena";
        String name = groupName("");
        ResourceSpec spec = groupSpec(address, name, "s3://trail-logs/athena/", keyA, true,
                Map.of("team", "platform", "retired", "soon"));

        LiveResource created = groups.create(spec, ctx(address));

        ResultConfiguration results = raw(name).configuration().resultConfiguration();
        assertThat(results.outputLocation()).isEqualTo("s3://trail-logs/athena/");
        assertThat(results.encryptionConfiguration().encryptionOption()).isEqualTo(EncryptionOption.SSE_KMS);
        assertThat(results.encryptionConfiguration().kmsKey()).isEqualTo(keyA);
        assertThat(raw(name).configuration().enforceWorkGroupConfiguration()).isTrue();
        assertThat(rawTags(name)).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);
        assertThat(created.id()).isEqualTo(name);

        ResourceSpec changed = groupSpec(address, name, "s3://trail-logs/queries/", keyB, false, Map.of("team", "security"));
        LiveResource updated = groups.update(created, changed,
                Set.of("outputLocation", "kmsKeyArn", "enforceConfiguration", "tags"), ctx(address));

        results = raw(name).configuration().resultConfiguration();
        assertThat(results.outputLocation()).isEqualTo("s3://trail-logs/queries/");
        assertThat(results.encryptionConfiguration().kmsKey()).isEqualTo(keyB);
        assertThat(raw(name).configuration().enforceWorkGroupConfiguration()).isFalse();
        assertThat(rawTags(name)).isEqualTo(changed.tags()).doesNotContainKey("retired");
        assertMatchesSpec(updated, changed);

        // Without kmsKeyArn the results are no longer encrypted.
        ResourceSpec plain = groupSpec(address, name, "s3://trail-logs/plain/", null, false, Map.of("team", "security"));
        LiveResource unencrypted = groups.update(updated, plain, Set.of("outputLocation"), ctx(address));
        assertThat(raw(name).configuration().resultConfiguration().encryptionConfiguration()).isNull();
        assertThat(unencrypted.attributes()).doesNotContainKey("kmsKeyArn");
        assertMatchesSpec(unencrypted, plain);

        // Others' workgroups in the region: one untagged, one of another stack.
        String untagged = groupName("-untagged");
        String theirs = groupName("-theirs");
        athena().createWorkGroup(b -> b.name(untagged));
        athena().createWorkGroup(b -> b.name(theirs).tags(t -> t.key("infra:stack").value("their-stack")));
        try {
            long inRegion = workGroupsInRegion();
            clients.counter().reset();
            List<LiveResource> all = groups.readAll(ReadRequest.of(stack, Set.of(name)));
            assertThat(all).singleElement().satisfies(r -> {
                assertThat(r.id()).isEqualTo(name);
                assertMatchesSpec(r, plain);
            });
            // ListWorkGroups, the tags of every workgroup but primary, GetWorkGroup for the stack's one.
            assertThat(clients.counter().snapshot()).isEqualTo(Map.of("Athena", Map.of(
                    "ListWorkGroups", 1L, "ListTagsForResource", inRegion, "GetWorkGroup", 1L)));
        } finally {
            athena().deleteWorkGroup(b -> b.workGroup(untagged));
            athena().deleteWorkGroup(b -> b.workGroup(theirs));
        }

        assertThat(groups.findExisting(stack, plain)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(name));
        assertThatThrownBy(() -> groups.findExisting("some-other-stack", plain))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("already exists and belongs to " + address + " of stack " + stack);

        groups.delete(unencrypted, ctx(address));
        assertThatThrownBy(() -> raw(name)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("is not found");
        assertThat(groups.readAll(ReadRequest.of(stack, Set.of(name)))).isEmpty();
        assertThat(groups.findExisting(stack, plain)).isEmpty();
        groups.delete(unencrypted, ctx(address)); // already gone: fine
    }

    @Test
    void stateIdsAreReadWhateverTheirTags() {
        AthenaWorkGroupProvider groups = new AthenaWorkGroupProvider(clients);
        String address = "monitoring/athena";
        String name = groupName("-ids");
        groups.create(groupSpec(address, name, "s3://trail-logs/athena/", null, true, Map.of()), ctx(address));
        try {
            athena().untagResource(b -> b.resourceARN(arnOf(name)).tagKeys("infra:stack"));
            assertThat(groups.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
            assertThat(groups.readAll(ReadRequest.of(stack, Set.of(name, groupName("-gone"))))).singleElement()
                    .satisfies(r -> {
                        assertThat(r.id()).isEqualTo(name);
                        assertThat(r.address()).isEqualTo(address);
                    });
        } finally {
            athena().deleteWorkGroup(b -> b.workGroup(name).recursiveDeleteOption(true));
        }
    }

    @Test
    void createThatTookEffectDespiteAServerErrorIsAdoptedNotRepeated() {
        String address = "monitoring/lost";
        String name = groupName("-lost");
        try (AwsClients flaky = Emulator.clients(region(), Faults.loseAnswer("CreateWorkGroup", 1))) {
            LiveResource created = new AthenaWorkGroupProvider(flaky).create(
                    groupSpec(address, name, "s3://trail-logs/athena/", keyA, true, Map.of()), ctx(address));

            assertThat(flaky.counter().count("Athena", "CreateWorkGroup")).isEqualTo(1);
            assertThat(created.id()).isEqualTo(name);
            assertThat(rawTags(name)).containsEntry("infra:address", address);
        } finally {
            athena().deleteWorkGroup(b -> b.workGroup(name).recursiveDeleteOption(true));
        }
    }

    /** The launcher's Athena patches answer as AWS documents. */
    @Test
    void emulatorAnswersAsAwsForUnknownAndUntaggedWorkGroups() {
        String unknown = groupName("-unknown");
        assertThatThrownBy(() -> raw(unknown)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("WorkGroup " + unknown + " is not found");
        assertThatThrownBy(() -> athena().updateWorkGroup(b -> b.workGroup(unknown)
                .configurationUpdates(u -> u.enforceWorkGroupConfiguration(false))))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("is not found");
        assertThatThrownBy(() -> athena().listTagsForResource(b -> b.resourceARN(arnOf(unknown))))
                .isInstanceOf(ResourceNotFoundException.class);

        String bare = groupName("-bare");
        athena().createWorkGroup(b -> b.name(bare).configuration(c -> c.resultConfiguration(
                r -> r.outputLocation("s3://a/b/").expectedBucketOwner("123456789012"))));
        try {
            assertThat(athena().listTagsForResource(b -> b.resourceARN(arnOf(bare))).tags()).isEmpty();
            // UpdateWorkGroup changes what it names, removes what it is told to, and leaves the rest.
            athena().updateWorkGroup(b -> b.workGroup(bare).description("changed").configurationUpdates(u -> u
                    .publishCloudWatchMetricsEnabled(true)
                    .resultConfigurationUpdates(r -> r.removeExpectedBucketOwner(true))));
            WorkGroup wg = raw(bare);
            assertThat(wg.description()).isEqualTo("changed");
            assertThat(wg.configuration().publishCloudWatchMetricsEnabled()).isTrue();
            assertThat(wg.configuration().resultConfiguration().outputLocation()).isEqualTo("s3://a/b/");
            assertThat(wg.configuration().resultConfiguration().expectedBucketOwner()).isNull();
        } finally {
            athena().deleteWorkGroup(b -> b.workGroup(bare));
        }
    }
}
