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
import dev.infra.providers.AwsClients;
import dev.infra.providers.ParallelReads;
import dev.infra.providers.SpecValues;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.kms.model.KeyMetadata;

/**
 * {@code aws_kms_key}: description, enableKeyRotation, multiRegion, deletionWindowDays (write-only),
 * servicePrincipals (the AWS services allowed to use the key on the account's behalf, a set), tags; computed arn.
 * The id is the key id. Policy, reads and delete: see {@link KmsKeyBase}; each key read also costs a
 * GetKeyRotationStatus.
 *
 * <p>Multi-Region replicas are not this type's (they are {@code aws_kms_replica_key}'s, in their own region's
 * state): discovery by tag skips them, so a plan in a replica region never takes a replica for a leftover key.
 */
public final class KmsKeyProvider extends KmsKeyBase {

    public static final String TYPE = "aws_kms_key";
    static final String ROTATION = "enableKeyRotation";
    static final String MULTI_REGION = "multiRegion";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(WINDOW, Kind.NUMBER).rule(new Rule.Range("deletion window in days", 7, 30)).writeOnly()
                    .doc("used by delete = ScheduleKeyDeletion"),
            Attribute.required(DESCRIPTION, Kind.STRING).updatable(),
            Attribute.required(ROTATION, Kind.BOOL).updatable(),
            Attribute.required(MULTI_REGION, Kind.BOOL),
            Attribute.required(LINKED_ROLES, Kind.SET).updatable()
                    .doc("services whose service-linked role may use the key and CreateGrant for AWS resources: statements `InfraServiceLinkedRoles` and `InfraServiceLinkedRoleGrants`; the role is found with ListRoles under `/aws-service-role/<service>/`, or made with CreateServiceLinkedRole, since KMS refuses a policy naming a missing role"),
            Attribute.required(SERVICES, Kind.SET).updatable()
                    .doc("services allowed to use the key: the key policy is the account root statement plus `InfraFor<Service>` statements for them, each conditioned on this account's resources of that service; see architecture, \"Least privilege\""),
            Attribute.computed(ARN, Kind.STRING))
            .with(Trait.TAGGED)
            .id("key id")
            .notes("Discovery by tag (readAll's stack read, findExisting) skips multi-Region REPLICA keys: they are `aws_kms_replica_key`'s. heldData (both key types; shown, not refused): the encrypted EBS volumes and own snapshots with this KmsKeyId not tagged with the key's `infra:stack` (DescribeVolumes / DescribeSnapshots filtered on encrypted, all pages: EC2 has no key filter)");

    public KmsKeyProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    @Override
    protected boolean owns(KeyMetadata md) {
        return !isReplica(md);
    }

    @Override
    protected LiveResource toLive(KeyMetadata md, Map<String, String> tags) {
        var rotation = ParallelReads.fork(() -> call("GetKeyRotationStatus",
                () -> kms().getKeyRotationStatus(b -> b.keyId(md.keyId()))).keyRotationEnabled());
        Map<String, Object> a = commonAttributes(md);
        a.put(ROTATION, rotation.join());
        a.put(MULTI_REGION, Boolean.TRUE.equals(md.multiRegion()));
        return live(md.keyId(), tags, a);
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        long window = deletionWindow(spec, spec.attributes().get(WINDOW));
        String description = SpecValues.optionalString(spec, DESCRIPTION);
        boolean multiRegion = SpecValues.bool(spec, MULTI_REGION, false);
        String stack = spec.tags().get(STACK_TAG);
        String keyId = createOnce(ctx, spec.address(),
                () -> call("CreateKey", () -> kmsForCreates().createKey(b -> b.description(description).policy(policy(spec))
                        .multiRegion(multiRegion).tags(kmsTags(spec.tags())))).keyMetadata().keyId(),
                () -> stack == null ? Optional.empty() : lookup(stack, spec.address()).map(LiveResource::id),
                KmsKeyBase::principalsNotYetSeen);
        if (SpecValues.bool(spec, ROTATION, false)) {
            setRotation(ctx, keyId, true);
        }
        return readBack(ctx, keyId, window);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String keyId = current.id();
        updateCommon(current, spec, changed, ctx);
        Boolean rotation = SpecValues.optionalBoolean(spec, ROTATION);
        if (rotation != null && changed.contains(ROTATION)) {
            setRotation(ctx, keyId, rotation);
        }
        return readBack(ctx, keyId, updatedWindow(spec));
    }

    /** Rotation calls right after CreateKey may not see the key yet (NotFoundException): retried for a while. */
    private void setRotation(OperationContext ctx, String keyId, boolean enabled) {
        whenPropagated(ctx, (enabled ? "EnableKeyRotation " : "DisableKeyRotation ") + keyId, this::isGone,
                () -> enabled
                        ? call("EnableKeyRotation", () -> kms().enableKeyRotation(b -> b.keyId(keyId)))
                        : call("DisableKeyRotation", () -> kms().disableKeyRotation(b -> b.keyId(keyId))));
    }
}
