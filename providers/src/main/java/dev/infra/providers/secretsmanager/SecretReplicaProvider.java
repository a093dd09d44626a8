package dev.infra.providers.secretsmanager;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.ReplicationStatusType;
import software.amazon.awssdk.services.secretsmanager.model.StatusType;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * {@code aws_secretsmanager_secret_replica}: "the secret {@code secretArn} of its region has a replica in this
 * region, encrypted with {@code kmsKeyId}" (Secrets Manager replication). It lives in the replica region's registry;
 * every change is a call on the primary secret, in its region ({@link AwsClients#in}), which the ARN names. The
 * replica keeps the primary's value (and every rotation of it) without the value passing through infra: what a
 * Global Datastore secondary, which takes the primary's AUTH token, needs its region's clients to read.
 *
 * <p>Id: the primary secret's ARN. Create: ReplicateSecretToRegions with this region and key (a region the secret
 * already lists is adopted, never added twice; a secret of the name already here is overwritten only when it is the
 * stack's and scheduled for deletion, see {@link #createResource}), then a wait until its status is InSync; Failed
 * fails with AWS's message. Delete: RemoveRegionsFromReplication (which deletes the replica), waited until the primary no longer lists
 * this region; a primary or replica already gone is done. readAll: a DescribeSecret in the primary's region per id.
 */
public final class SecretReplicaProvider extends AwsResourceProvider {

    public static final String TYPE = "aws_secretsmanager_secret_replica";
    static final String SECRET = "secretArn";
    static final String KMS_KEY = "kmsKeyId";
    static final String STATUS = "status";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(KMS_KEY, Kind.REFERENCE)
                    .doc("the KMS key *in R* encrypting the replica (the stack key's replica there)"),
            Attribute.required(SECRET, Kind.REFERENCE)
                    .doc("the ARN of the secret in P; also the id"),
            Attribute.computed(STATUS, Kind.STRING))
            .with(Trait.LINKED_TO_PRIMARY)
            .id("the primary secret's ARN")
            .notes("No tags (the replica carries the primary's). Create = ReplicateSecretToRegions in P {Region R,"
                    + " KmsKeyId}, waited until R is InSync (Failed = AWS's message); a region P already lists is"
                    + " adopted. Delete = RemoveRegionsFromReplication in P, waited until P no longer lists R."
                    + " readAll: a DescribeSecret in P per id");

    public SecretReplicaProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return "ResourceNotFoundException".equals(e.code()) || e.isNotFound();
    }

    private String region() {
        return clients().region();
    }

    /** The client of the primary secret's region, which its ARN names (arn:partition:secretsmanager:REGION:…). */
    private SecretsManagerClient primary(String arn) {
        String[] parts = arn.split(":", 6);
        if (parts.length < 6 || !"secretsmanager".equals(parts[2])) {
            throw new IllegalArgumentException("not a secret ARN: " + arn);
        }
        return clients().in(parts[3]).client(SecretsManagerClient.class, SecretsManagerClient::builder);
    }

    /** This region's entry in the primary secret's replication, unless the secret is gone or being deleted. */
    private Optional<ReplicationStatusType> replicaHere(String arn) {
        return ProviderSupport.unless(this::isGone, () -> {
            DescribeSecretResponse d = call("DescribeSecret", () -> primary(arn).describeSecret(b -> b.secretId(arn)));
            return d.deletedDate() != null ? Optional.empty()
                    : d.replicationStatus().stream().filter(r -> region().equals(r.region())).findFirst();
        });
    }

    private Optional<LiveResource> read(String arn) {
        return replicaHere(arn).map(r -> {
            Map<String, Object> a = new TreeMap<>();
            a.put(SECRET, arn);
            putIfPresent(a, KMS_KEY, r.kmsKeyId());
            putIfPresent(a, STATUS, r.statusAsString());
            return live(arn, Map.of(), a);
        });
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::read);
    }

    /** Adopts the replica the primary already lists (a create that was interrupted, or made by hand). */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return read(SpecValues.string(spec, SECRET));
    }

    // ---- changes ----------------------------------------------------------------------------------------

    /**
     * ReplicateSecretToRegions, unless the primary lists this region InSync or replicating already (adopted); an
     * entry that Failed is removed and tried again. A secret of the primary's name already in this region would make
     * the replica fail: when it is scheduled for deletion and carries the primary's stack and address tags (the
     * stack's own, left by a failover or an earlier copy) it is overwritten (ForceOverwriteReplicaSecret), as it goes
     * anyway and a restored one would not follow the primary's value; any other fails before the call, naming it.
     */
    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String arn = SpecValues.string(spec, SECRET);
        String key = SpecValues.string(spec, KMS_KEY);
        Optional<ReplicationStatusType> listed = replicaHere(arn);
        if (listed.isPresent() && listed.get().status() == StatusType.FAILED) {
            call("RemoveRegionsFromReplication", () -> primary(arn).removeRegionsFromReplication(
                    b -> b.secretId(arn).removeReplicaRegions(region())));
            listed = Optional.empty();
        }
        if (listed.isEmpty()) {
            boolean overwrite = inTheWay(spec, arn);
            call("ReplicateSecretToRegions", () -> primary(arn).replicateSecretToRegions(b -> b.secretId(arn)
                    .addReplicaRegions(r -> r.region(region()).kmsKeyId(key)).forceOverwriteReplicaSecret(overwrite)));
        }
        return awaitPropagation(ctx, "the replica in " + region() + " of " + arn + " to be InSync", () -> {
            Optional<ReplicationStatusType> r = replicaHere(arn);
            if (r.isPresent() && r.get().status() == StatusType.FAILED) {
                throw new ProviderException(spec.address(), "replicating " + arn + " to " + region() + " failed: "
                        + r.get().statusMessage());
            }
            return r.filter(s -> s.status() == StatusType.IN_SYNC).flatMap(s -> read(arn));
        });
    }

    /**
     * Whether this region holds a secret of the primary's name that replication must overwrite (the stack's own,
     * scheduled for deletion); fails for any other secret of that name.
     */
    private boolean inTheWay(ResourceSpec spec, String arn) {
        DescribeSecretResponse p = call("DescribeSecret", () -> primary(arn).describeSecret(b -> b.secretId(arn)));
        Optional<DescribeSecretResponse> here = ProviderSupport.unless(this::isGone, () -> Optional.of(call(
                "DescribeSecret", () -> secrets().describeSecret(b -> b.secretId(p.name())))));
        if (here.isEmpty()) {
            return false;
        }
        DescribeSecretResponse d = here.get();
        if (d.deletedDate() != null && owner(d.tags()).equals(owner(p.tags())) && !owner(p.tags()).isEmpty()) {
            return true;
        }
        throw new ProviderException(spec.address(), region() + " already has a secret named " + p.name() + " ("
                + d.arn() + (d.deletedDate() != null ? ", scheduled for deletion, deleted " + d.deletedDate() : "")
                + ") that is not the stack's: a replica of " + arn + " would fail over it. Restore and rename it, or"
                + " free the name (aws secretsmanager delete-secret --region " + region() + " --secret-id " + d.arn()
                + " --force-delete-without-recovery), then apply again");
    }

    /** The stack and address tags of a secret: whose it is. */
    private static Map<String, String> owner(List<Tag> tags) {
        Map<String, String> out = new TreeMap<>();
        tags.stream().filter(t -> t.key().equals(STACK_TAG) || t.key().equals(ADDRESS_TAG))
                .forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private SecretsManagerClient secrets() {
        return clients().client(SecretsManagerClient.class, SecretsManagerClient::builder);
    }

    /** Nothing is updatable: a new key or secret replaces the replica. */
    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        return readNow(spec, current.id(), this::read);
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String arn = current.id();
        if (replicaHere(arn).isEmpty()) {
            return;
        }
        call("RemoveRegionsFromReplication", () -> primary(arn).removeRegionsFromReplication(
                b -> b.secretId(arn).removeReplicaRegions(region())));
        awaitGone(ctx, "the replica in " + region() + " of " + arn, () -> replicaHere(arn));
    }
}
