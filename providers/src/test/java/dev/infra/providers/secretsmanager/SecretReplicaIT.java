package dev.infra.providers.secretsmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.core.provider.ResourceSchema;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsProviders;
import dev.infra.providers.testing.ReplicaRegionTestSupport;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * {@code aws_secretsmanager_secret_replica} against the emulator: the Redis AUTH secret made in ap-south-1 by
 * {@link SecretProvider}, its replica in ap-northeast-2 by the provider on that region's clients. Assertions read
 * both regions with raw SDK calls: the replica region holds the primary's value under its own key.
 */
class SecretReplicaIT extends ReplicaRegionTestSupport {

    private static final String REPLICA_REGION = "ap-northeast-2";

    @Override
    protected String region() {
        return "ap-south-1";
    }

    @Override
    protected String replicaRegion() {
        return REPLICA_REGION;
    }

    private static SecretsManagerClient secrets(AwsClients in) {
        return in.client(SecretsManagerClient.class, SecretsManagerClient::builder);
    }

    private static String keyIn(AwsClients in) {
        return in.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description("stack key")).keyMetadata().arn();
    }

    @Test
    void schemaAndRegistration() {
        ResourceSchema schema = AwsProviders.registry(replicaClients).get(SecretReplicaProvider.TYPE).schema();
        assertThat(schema.updatable()).isEmpty();
        assertThat(schema.computed()).containsExactly("status");
        assertThat(schema.forcesReplacement("kmsKeyId")).isTrue();
        assertThat(schema.forcesReplacement("secretArn")).isTrue();
    }

    @Test
    void theReplicaRegionReadsThePrimarysTokenUnderItsOwnKeyUntilTheReplicaIsRemoved() {
        String name = "infra/" + stack + "/sessions/redis-auth-token";
        LiveResource secret = new SecretProvider(clients).create(spec("cache.sessions/auth-token", SecretProvider.TYPE,
                attributes("name", name, "description", "AUTH token", "kmsKeyId", keyIn(clients),
                        "generatedLength", 64L), Map.of()), ctx("cache.sessions/auth-token"));
        String replicaKey = keyIn(replicaClients);
        SecretReplicaProvider replicas = new SecretReplicaProvider(replicaClients);
        ResourceSpec spec = untaggedSpec("cache.sessions/auth-token", SecretReplicaProvider.TYPE,
                attributes("secretArn", secret.id(), "kmsKeyId", replicaKey));
        try {
            LiveResource replica = replicas.create(spec, ctx("cache.sessions/auth-token"));

            assertThat(replica.id()).isEqualTo(secret.id());
            assertThat(replica.attributes()).containsEntry("status", "InSync").containsEntry("kmsKeyId", replicaKey);
            DescribeSecretResponse primary = secrets(clients).describeSecret(b -> b.secretId(secret.id()));
            assertThat(primary.replicationStatus()).singleElement().satisfies(r -> {
                assertThat(r.region()).isEqualTo(REPLICA_REGION);
                assertThat(r.kmsKeyId()).isEqualTo(replicaKey);
            });
            // What a client of the secondary reads in its own region: the primary's value, the replica's key.
            DescribeSecretResponse here = secrets(replicaClients).describeSecret(b -> b.secretId(name));
            assertThat(here.primaryRegion()).isEqualTo(region());
            assertThat(here.kmsKeyId()).isEqualTo(replicaKey);
            assertThat(secrets(replicaClients).getSecretValue(b -> b.secretId(name)).secretString()).hasSize(64)
                    .isEqualTo(secrets(clients).getSecretValue(b -> b.secretId(secret.id())).secretString());
            // Found again rather than added twice (an interrupted create), and read from state.
            assertThat(replicas.findExisting(stack, spec)).hasValueSatisfying(f -> assertThat(f.id()).isEqualTo(secret.id()));
            assertThat(replicas.readAll(ReadRequest.of(stack, Set.of(secret.id())))).extracting(LiveResource::id)
                    .containsExactly(secret.id());

            replicas.delete(replica, ctx("cache.sessions/auth-token"));

            assertThat(secrets(clients).describeSecret(b -> b.secretId(secret.id())).replicationStatus()).isEmpty();
            assertThatThrownBy(() -> secrets(replicaClients).describeSecret(b -> b.secretId(name)))
                    .isInstanceOf(ResourceNotFoundException.class);
            assertThat(replicas.readAll(ReadRequest.of(stack, Set.of(secret.id())))).isEmpty();
            replicas.delete(replica, ctx("cache.sessions/auth-token")); // already gone: fine
        } finally {
            // A failed assertion must not leave a replica behind, which would block the primary's delete.
            secrets(clients).removeRegionsFromReplication(b -> b.secretId(secret.id()).removeReplicaRegions(REPLICA_REGION));
            new SecretProvider(clients).delete(secret, ctx("cache.sessions/auth-token"));
        }
    }

    /**
     * A secret of the primary's name already in the replica region: the stack's own scheduled for deletion (a replica
     * promoted in a failover, then deleted with a recovery window) is overwritten by the replica; another's stops the
     * create before any call that would leave a Failed replica behind.
     */
    @Test
    void aLeftoverOfTheNameInTheReplicaRegionIsOverwrittenOnlyWhenItIsTheStacksAndGoing() {
        String address = "cache.left/auth-token";
        String name = "infra/" + stack + "/left/redis-auth-token";
        ResourceSpec secretSpec = spec(address, SecretProvider.TYPE, attributes("name", name, "description", "AUTH token",
                "kmsKeyId", keyIn(clients), "generatedLength", 64L), Map.of());
        LiveResource secret = new SecretProvider(clients).create(secretSpec, ctx(address));
        SecretsManagerClient there = secrets(replicaClients);
        String leftover = there.createSecret(b -> b.name(name).secretString("old").tags(secretSpec.tags().entrySet()
                .stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList())).arn();
        ResourceSpec spec = untaggedSpec(address, SecretReplicaProvider.TYPE,
                attributes("secretArn", secret.id(), "kmsKeyId", keyIn(replicaClients)));
        SecretReplicaProvider replicas = new SecretReplicaProvider(replicaClients);
        try {
            // In use, even the stack's: never overwritten.
            assertThatThrownBy(() -> replicas.create(spec, ctx(address))).isInstanceOf(ProviderException.class)
                    .hasMessageContaining(REPLICA_REGION + " already has a secret named " + name + " (" + leftover + ")")
                    .hasMessageContaining("--force-delete-without-recovery");
            assertThat(secrets(clients).describeSecret(b -> b.secretId(secret.id())).replicationStatus()).isEmpty();

            there.deleteSecret(b -> b.secretId(leftover).recoveryWindowInDays(7L));
            LiveResource replica = replicas.create(spec, ctx(address));

            assertThat(replica.attributes()).containsEntry("status", "InSync");
            DescribeSecretResponse here = there.describeSecret(b -> b.secretId(name));
            assertThat(here.primaryRegion()).isEqualTo(region());
            assertThat(here.deletedDate()).isNull();
            assertThat(there.getSecretValue(b -> b.secretId(name)).secretString())
                    .isEqualTo(secrets(clients).getSecretValue(b -> b.secretId(secret.id())).secretString());
            replicas.delete(replica, ctx(address));
        } finally {
            secrets(clients).removeRegionsFromReplication(b -> b.secretId(secret.id()).removeReplicaRegions(REPLICA_REGION));
            new SecretProvider(clients).delete(secret, ctx(address));
        }
    }

    /** Another's secret of the name, scheduled for deletion or not, is never overwritten. */
    @Test
    void anotherSecretOfTheNameInTheReplicaRegionIsNeverOverwritten() {
        String address = "cache.theirs/auth-token";
        String name = "infra/" + stack + "/theirs/redis-auth-token";
        LiveResource secret = new SecretProvider(clients).create(spec(address, SecretProvider.TYPE, attributes("name",
                name, "description", "AUTH token", "kmsKeyId", keyIn(clients), "generatedLength", 64L), Map.of()),
                ctx(address));
        SecretsManagerClient there = secrets(replicaClients);
        String theirs = there.createSecret(b -> b.name(name).secretString("theirs")).arn();
        there.deleteSecret(b -> b.secretId(theirs).recoveryWindowInDays(7L));
        try {
            assertThatThrownBy(() -> new SecretReplicaProvider(replicaClients).create(untaggedSpec(address,
                    SecretReplicaProvider.TYPE, attributes("secretArn", secret.id(), "kmsKeyId", keyIn(replicaClients))),
                    ctx(address))).isInstanceOf(ProviderException.class)
                    .hasMessageContaining("scheduled for deletion").hasMessageContaining("is not the stack's");
            assertThat(there.describeSecret(b -> b.secretId(theirs)).deletedDate()).isNotNull();
        } finally {
            there.deleteSecret(b -> b.secretId(theirs).forceDeleteWithoutRecovery(true));
            new SecretProvider(clients).delete(secret, ctx(address));
        }
    }
}
