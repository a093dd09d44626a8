package dev.infra.providers.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.ProviderTestSupport;
import dev.infra.providers.testing.SleepingOperationContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/** Secrets Manager secrets against the emulator, in eu-west-3. */
class SecretIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "eu-west-3";
    }

    private SecretsManagerClient secrets() {
        return clients.client(SecretsManagerClient.class, SecretsManagerClient::builder);
    }

    private String newKey() {
        return clients.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description("secret key"))
                .keyMetadata().arn();
    }

    private DescribeSecretResponse rawSecret(String id) {
        return secrets().describeSecret(b -> b.secretId(id));
    }

    private Map<String, String> rawTags(String id) {
        Map<String, String> out = new TreeMap<>();
        rawSecret(id).tags().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private String rawValue(String id) {
        return secrets().getSecretValue(b -> b.secretId(id)).secretString();
    }

    private ResourceSpec secretSpec(String address, String description, String kmsKeyId, Map<String, String> tags) {
        Map<String, Object> a = new TreeMap<>();
        a.put("name", "infra/" + stack + "/redis-auth-token");
        a.put("description", description);
        if (kmsKeyId != null) {
            a.put("kmsKeyId", kmsKeyId);
        }
        a.put("generatedLength", 64L);
        return spec(address, SecretProvider.TYPE, a, tags);
    }

    private static void assertValueNotIn(LiveResource r, String value) {
        assertThat(r.attributes().values()).noneSatisfy(v -> assertThat(String.valueOf(v)).contains(value));
        assertThat(String.valueOf(r)).doesNotContain(value);
    }

    @Test
    void secretLifecycle() {
        SecretProvider provider = new SecretProvider(clients);
        String address = "cache.main/auth-token";
        String firstKey = newKey();
        ResourceSpec spec = secretSpec(address, "AUTH token", firstKey, Map.of("retired", "soon"));

        LiveResource created = provider.create(spec, ctx(address));

        DescribeSecretResponse raw = rawSecret(created.id());
        assertThat(raw.arn()).isEqualTo(created.id());
        assertThat(raw.name()).isEqualTo("infra/" + stack + "/redis-auth-token");
        assertThat(raw.description()).isEqualTo("AUTH token");
        assertThat(raw.kmsKeyId()).isEqualTo(firstKey);
        assertThat(rawTags(created.id())).isEqualTo(spec.tags());
        String value = rawValue(created.id());
        assertThat(value).hasSize(64);
        // Only letters, digits and what Redis AUTH accepts: ! & # $ ^ < > -
        assertThat(value).matches("[A-Za-z0-9!&#$^<>-]{64}");
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).containsEntry("arn", raw.arn()).containsEntry("generatedLength", 64L);
        assertValueNotIn(created, value);

        String secondKey = newKey();
        ResourceSpec changed = secretSpec(address, "Redis AUTH token", secondKey, Map.of());
        LiveResource updated = provider.update(created, changed, Set.of("description", "kmsKeyId", "tags"), ctx(address));

        raw = rawSecret(created.id());
        assertThat(raw.description()).isEqualTo("Redis AUTH token");
        assertThat(raw.kmsKeyId()).isEqualTo(secondKey);
        assertThat(rawTags(created.id())).isEqualTo(changed.tags()).doesNotContainKey("retired");
        assertThat(rawValue(created.id())).isEqualTo(value); // UpdateSecret without a value keeps it
        assertThat(secrets().listSecretVersionIds(b -> b.secretId(created.id())).versions()).hasSize(1);
        assertMatchesSpec(updated, changed);
        assertValueNotIn(updated, value);

        clients.counter().reset();
        List<LiveResource> all = provider.readAll(ReadRequest.of(stack, Set.of(created.id())));
        assertThat(all).singleElement().satisfies(r -> {
            assertMatchesSpec(r, changed, "generatedLength"); // write-only: AWS does not report it
            assertValueNotIn(r, value);
        });
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of("SecretsManager", Map.of("ListSecrets", 1L)));

        assertThat(provider.findExisting(stack, changed)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(created.id()));
        assertThatThrownBy(() -> provider.findExisting("some-other-stack", changed))
                .isInstanceOf(ProviderException.class).hasMessageContaining("already exists and belongs to " + address);

        provider.delete(updated, ctx(address));
        // Deleted without recovery: gone, or for a moment still marked deleted while AWS's background deletion runs.
        assertThat(catchThrowable(() -> assertThat(rawSecret(created.id()).deletedDate()).isNotNull()))
                .satisfiesAnyOf(t -> assertThat(t).isNull(), t -> assertThat(t).isInstanceOf(ResourceNotFoundException.class));
        assertThat(provider.readAll(ReadRequest.of(stack, Set.of(created.id())))).isEmpty();
        assertThat(provider.findExisting(stack, changed)).isEmpty();
        provider.delete(updated, ctx(address)); // already gone: fine
    }

    @Test
    void stateIdsAreReadWhateverTheirTagsAndTheDefaultKeyIsAbsent() {
        SecretProvider provider = new SecretProvider(clients);
        String address = "cache.other/auth-token";
        ResourceSpec spec = secretSpec(address, "AUTH token", null, Map.of());
        LiveResource created = provider.create(spec, ctx(address));
        assertThat(created.attributes()).doesNotContainKey("kmsKeyId");

        secrets().untagResource(b -> b.secretId(created.id()).tagKeys("infra:stack"));
        assertThat(provider.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
        assertThat(provider.readAll(ReadRequest.of(stack, Set.of(created.id())))).singleElement()
                .satisfies(r -> assertThat(r.address()).isEqualTo(address));
        provider.delete(created, ctx(address));
    }

    /**
     * Destroyed, or deleted by hand with a recovery window, the stack's secret keeps its name for 7-30 days: the next
     * create takes it back (RestoreSecret), value and ARN kept, and brings it to the spec.
     */
    @Test
    void aSecretOfTheStackScheduledForDeletionIsTakenBack() {
        SecretProvider provider = new SecretProvider(clients);
        String address = "cache.restored/auth-token";
        LiveResource first = provider.create(secretSpec(address, "AUTH token", null, Map.of()), ctx(address));
        String value = rawValue(first.id());
        secrets().deleteSecret(b -> b.secretId(first.id()).recoveryWindowInDays(7L));
        assertThat(provider.readAll(ReadRequest.of(stack, Set.of(first.id())))).isEmpty();

        ResourceSpec spec = secretSpec(address, "Redis AUTH token", null, Map.of("team", "cache"));
        LiveResource back = provider.create(spec, ctx(address));

        assertThat(back.id()).isEqualTo(first.id());
        DescribeSecretResponse raw = rawSecret(first.id());
        assertThat(raw.deletedDate()).isNull();
        assertThat(raw.description()).isEqualTo("Redis AUTH token");
        assertThat(rawTags(first.id())).isEqualTo(spec.tags());
        assertThat(rawValue(first.id())).isEqualTo(value);
        assertMatchesSpec(back, spec);
        provider.delete(back, ctx(address));
    }

    /**
     * ForceDeleteWithoutRecovery frees the name only once AWS's background deletion has run: a replacement's create
     * right after its delete is retried until then (the emulator keeps the name a few seconds, as AWS does).
     */
    @Test
    void aNameForceDeletedAMomentAgoIsWaitedFor() {
        SecretProvider provider = new SecretProvider(clients);
        String address = "cache.replaced/auth-token";
        ResourceSpec spec = secretSpec(address, "AUTH token", null, Map.of());
        LiveResource first = provider.create(spec, ctx(address));
        provider.delete(first, ctx(address));

        var context = ctx(address);
        LiveResource second = provider.create(spec, context);

        assertThat(rawSecret(second.id()).deletedDate()).isNull();
        assertThat(rawValue(second.id())).hasSize(64);
        assertThat(context.waitedFor()).anySatisfy(w -> assertThat(w).contains("InvalidRequestException"));
        provider.delete(second, ctx(address));
    }

    /** A secret of the name that is not this address's is never taken back: the create fails naming the ways out. */
    @Test
    void anotherSecretScheduledForDeletionIsNotTakenBack() {
        String name = "infra/" + stack + "/redis-auth-token";
        String other = secrets().createSecret(b -> b.name(name).secretString("theirs")).arn();
        secrets().deleteSecret(b -> b.secretId(other).recoveryWindowInDays(30L));
        String address = "cache.taken/auth-token";

        assertThatThrownBy(() -> new SecretProvider(clients).create(secretSpec(address, "AUTH token", null, Map.of()),
                SleepingOperationContext.pretending(address)))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("secret " + name + " is scheduled for deletion")
                .hasMessageContaining("aws secretsmanager restore-secret --secret-id " + name)
                .hasMessageContaining("--force-delete-without-recovery");
        assertThat(rawSecret(other).deletedDate()).isNotNull();
        secrets().deleteSecret(b -> b.secretId(other).forceDeleteWithoutRecovery(true));
    }

    /** Even when AWS's answer quotes the value, no message nor cause the provider raises carries it. */
    @Test
    void valueNeverAppearsInFailures() {
        AtomicReference<String> sent = new AtomicReference<>();
        ExecutionInterceptor echo = new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (context.request() instanceof CreateSecretRequest r) {
                    sent.set(r.secretString());
                    throw AwsServiceException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                            .errorCode("InvalidRequestException").errorMessage("bad value '" + r.secretString() + "'")
                            .build()).build();
                }
            }
        };
        try (AwsClients echoing = Emulator.clients(region(), echo)) {
            String address = "cache.echo/auth-token";
            assertThatThrownBy(() -> new SecretProvider(echoing).create(secretSpec(address, "x", null, Map.of()), ctx(address)))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageContaining("InvalidRequestException: bad value '***'")
                    .satisfies(e -> {
                        assertThat(sent.get()).hasSize(64);
                        for (Throwable t = e; t != null; t = t.getCause()) {
                            assertThat(String.valueOf(t)).doesNotContain(sent.get());
                            for (Throwable s : t.getSuppressed()) {
                                assertThat(String.valueOf(s)).doesNotContain(sent.get());
                            }
                        }
                    });
        }
    }
}
