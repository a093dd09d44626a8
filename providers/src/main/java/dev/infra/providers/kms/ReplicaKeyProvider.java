package dev.infra.providers.kms;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeyState;

/**
 * {@code aws_kms_replica_key}: a replica, in this provider's region R, of a multi-Region primary key in another
 * region P: primaryKeyArn (F), description, servicePrincipals (a set: the key policy, as for {@code aws_kms_key}),
 * deletionWindowDays (write-only), tags; computed arn (the replica's ARN in R). The id is the key id ({@code mrk-…}:
 * the primary's id, but the key in R).
 *
 * <p>create: ReplicateKey, called in P (the region of primaryKeyArn, through {@link AwsClients#in}) with
 * ReplicaRegion R, the description, the key policy and the tags; then waits until the replica in R is no longer
 * Creating. A replica this region had before, still pending deletion (a {@code destroy --region R} before this
 * replicate), is restored and taken instead, as KMS allows no second one. Description, key policy and tags are not shared by multi-Region keys, so updates and reads are calls in R
 * (UpdateKeyDescription, PutKeyPolicy, Tag/UntagResource); delete is ScheduleKeyDeletion in R. readAll and
 * findExisting (in R): keys tagged with the stack whose MultiRegionConfiguration.MultiRegionKeyType is REPLICA, as
 * in {@link KmsKeyBase}; {@code aws_kms_key} skips those.
 */
public final class ReplicaKeyProvider extends KmsKeyBase {

    public static final String TYPE = "aws_kms_replica_key";
    static final String PRIMARY = "primaryKeyArn";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(WINDOW, Kind.NUMBER).rule(new Rule.Range("deletion window in days", 7, 30)).writeOnly()
                    .doc("delete = ScheduleKeyDeletion in R"),
            Attribute.required(DESCRIPTION, Kind.STRING).updatable(),
            Attribute.required(PRIMARY, Kind.REFERENCE)
                    .doc("a multi-Region primary key in P"),
            Attribute.required(LINKED_ROLES, Kind.SET).updatable(),
            Attribute.required(SERVICES, Kind.SET).updatable()
                    .doc("the same key policy as `aws_kms_key`: root statement + `InfraFor<Service>` statements"),
            Attribute.computed(ARN, Kind.STRING)
                    .doc("the replica's ARN in R"))
            .with(Trait.TAGGED, Trait.LINKED_TO_PRIMARY)
            .id("key id (`mrk-…`, the primary's id, the key in R)")
            .notes("Create = ReplicateKey called in P (the region of primaryKeyArn) with ReplicaRegion R, Description, Policy and the tags (KMS allows one replica per region: one still pending deletion is taken back with CancelKeyDeletion + EnableKey instead, then its description, policy and tags set); waits up to 10 min while it is Creating; policy and tags are not shared, so updates are calls in R. readAll/findExisting in R: keys tagged with the stack whose MultiRegionKeyType is REPLICA");

    public ReplicaKeyProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    @Override
    protected boolean owns(KeyMetadata md) {
        return isReplica(md);
    }

    @Override
    protected LiveResource toLive(KeyMetadata md, Map<String, String> tags) {
        Map<String, Object> a = commonAttributes(md);
        if (md.multiRegionConfiguration() != null && md.multiRegionConfiguration().primaryKey() != null) {
            a.put(PRIMARY, md.multiRegionConfiguration().primaryKey().arn());
        }
        return live(md.keyId(), tags, a);
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        long window = deletionWindow(spec, spec.attributes().get(WINDOW));
        String primary = SpecValues.string(spec, PRIMARY);
        String primaryRegion = regionOf(spec, primary);
        if (primaryRegion.equals(clients().region())) {
            throw new ProviderException(spec.address(), "primary key " + primary + " is in " + primaryRegion
                    + ", the replica's own region: a replica must be in another region");
        }
        String description = SpecValues.optionalString(spec, DESCRIPTION);
        String policy = policy(spec);
        String stack = spec.tags().get(STACK_TAG);
        KmsClient inPrimaryRegion = clients().in(primaryRegion).forCreates(KmsClient.class, KmsClient::builder);
        String keyId;
        try {
            keyId = createOnce(ctx, spec.address(),
                    () -> call("ReplicateKey", () -> inPrimaryRegion.replicateKey(b -> b.keyId(primary)
                            .replicaRegion(clients().region()).description(description).policy(policy)
                            .tags(kmsTags(spec.tags())))).replicaKeyMetadata().keyId(),
                    () -> stack == null ? Optional.empty() : lookup(stack, spec.address()).map(LiveResource::id),
                    KmsKeyBase::principalsNotYetSeen);
        } catch (AwsCallException e) {
            Optional<String> restored = "AlreadyExistsException".equals(e.code()) ? restored(primary, spec, ctx)
                    : Optional.empty();
            if (restored.isEmpty()) {
                // The primary has a replica here that is in use (made outside this resource), or AWS refused otherwise.
                throw new ProviderException(spec.address(), "could not replicate " + primary + " to "
                        + clients().region() + ": " + e.getMessage(), e);
            }
            keyId = restored.get();
        }
        return readBack(ctx, keyId, window);
    }

    /**
     * The replica an earlier destroy of this region scheduled for deletion, taken back: KMS keeps it for its waiting
     * period and refuses another replica there meanwhile ("You can create only one replica of each primary key in each
     * AWS Region"; terraform-provider-aws#49491), so replicating again cancels the deletion (which leaves it disabled),
     * enables it and brings description, policy and tags to the spec's. A replica that is not pending deletion is
     * someone's in use: empty.
     */
    private Optional<String> restored(String primaryArn, ResourceSpec spec, OperationContext ctx) {
        String keyId = primaryArn.substring(primaryArn.lastIndexOf('/') + 1);
        KeyMetadata md;
        try {
            md = call("DescribeKey", () -> kms().describeKey(b -> b.keyId(keyId))).keyMetadata();
        } catch (AwsCallException e) {
            return Optional.empty();
        }
        if (md.keyState() != KeyState.PENDING_DELETION && md.keyState() != KeyState.PENDING_REPLICA_DELETION) {
            return Optional.empty();
        }
        call("CancelKeyDeletion", () -> kms().cancelKeyDeletion(b -> b.keyId(keyId)));
        call("EnableKey", () -> kms().enableKey(b -> b.keyId(keyId)));
        LiveResource taken = readNow(spec, keyId, this::readKey);
        updateCommon(taken, spec, changesOf(taken, spec), ctx);
        return Optional.of(keyId);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        updateCommon(current, spec, changed, ctx);
        return readBack(ctx, current.id(), updatedWindow(spec));
    }

    /** The region of a KMS key ARN ({@code arn:aws:kms:<region>:<account>:key/<id>}). */
    private static String regionOf(ResourceSpec spec, String keyArn) {
        String[] parts = keyArn.split(":", 6);
        if (parts.length < 6 || !"arn".equals(parts[0]) || !"kms".equals(parts[2]) || parts[3].isEmpty()
                || !parts[5].startsWith("key/")) {
            throw new ProviderException(spec.address(), PRIMARY + " must be a KMS key ARN (arn:aws:kms:<region>:"
                    + "<account>:key/<id>), got " + keyArn);
        }
        return parts[3];
    }
}
