package dev.infra.providers.ec2;

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
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code aws_ebs_encryption_by_default}: the account's EBS encryption-by-default setting in the client's Region, one
 * per Region, so its id is the Region's name; no tags. enabled (Boolean) and kmsKeyId (the default key's ARN; absent
 * in the spec = the AWS managed key aws/ebs, which AWS reports as {@code arn:aws:kms:<region>:<account>:alias/aws/ebs}).
 * A read is GetEbsEncryptionByDefault + GetEbsDefaultKmsKeyId; create and update Enable (or Disable) and
 * ModifyEbsDefaultKmsKeyId (or ResetEbsDefaultKmsKeyId).
 *
 * <p>The setting is the account's, so a stack borrows it ({@link #singleton}). findExisting always finds it: held by
 * another stack when it is on with a key tagged with that stack's {@code infra:stack} (ListResourceTags of the key;
 * then {@link LiveResource#HELD_BY}, and update refuses to change it); otherwise with {@code previous} = {enabled,
 * kmsKeyId} as it is now. {@code previous} (write-only) is carried through every update into the state, and delete
 * puts it back; a state recorded without it gets AWS's defaults (disabled, AWS managed key).
 */
public final class EbsEncryptionByDefaultProvider extends AwsResourceProvider {

    public static final String TYPE = "aws_ebs_encryption_by_default";
    static final String ENABLED = "enabled";
    static final String KMS_KEY_ID = "kmsKeyId";
    static final String PREVIOUS = "previous";

    /** The Region's setting. */
    record Setting(boolean enabled, String kmsKeyId) {
        Map<String, Object> attributes() {
            Map<String, Object> a = new TreeMap<>();
            a.put(ENABLED, enabled);
            putIfPresent(a, KMS_KEY_ID, kmsKeyId);
            return a;
        }
    }

    private final String region;

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(ENABLED, Kind.BOOL).updatable(),
            Attribute.required(KMS_KEY_ID, Kind.REFERENCE).updatable()
                    .doc("key ARN"),
            Attribute.optional(PREVIOUS, Kind.MAP).writeOnly()
                    .doc("{enabled, kmsKeyId}: what the account had when the stack borrowed it"))
            .with(Trait.SINGLETON)
            .id("region name")
            .notes("One per region, a singleton: findExisting always finds it, held by another stack (heldBy) when on with a key tagged with that stack's `infra:stack` (ListResourceTags), else with previous = the setting as it is; update refuses one held by another stack; delete = put previous back (no record: disable + reset key)");

    public EbsEncryptionByDefaultProvider(AwsClients clients) {
        super(clients, ENTRY);
        this.region = clients.region();
    }

    private Ec2Client ec2() {
        return clients().ec2();
    }

    private Setting setting() {
        Boolean enabled = call("GetEbsEncryptionByDefault", () -> ec2().getEbsEncryptionByDefault(b -> { }))
                .ebsEncryptionByDefault();
        String key = call("GetEbsDefaultKmsKeyId", () -> ec2().getEbsDefaultKmsKeyId(b -> { })).kmsKeyId();
        return new Setting(Boolean.TRUE.equals(enabled), key);
    }

    private LiveResource live(Setting s) {
        return live(region, Map.of(), s.attributes());
    }

    /** The Region's setting when {@code ids} name this Region. */
    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return ids.contains(region) ? List.of(live(setting())) : List.of();
    }

    /** The one setting of the Region: another stack's (HELD_BY), this stack's, or free (with what it is now). */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        Setting now = setting();
        String holder = holder(now);
        LiveResource live = live(now);
        if (holder != null && !holder.equals(stack)) {
            return Optional.of(with(live, LiveResource.HELD_BY, holder));
        }
        return Optional.of(holder == null ? with(live, PREVIOUS, now.attributes()) : live);
    }

    /** The stack whose key the setting encrypts with, when it is on with an infra stack's key; else null. */
    private String holder(Setting s) {
        if (!s.enabled() || s.kmsKeyId() == null || isAwsManagedKey(s.kmsKeyId())) {
            return null;
        }
        KmsClient kms = clients().client(KmsClient.class, KmsClient::builder);
        return ProviderSupport.unless(e -> e.isNotFound() || e.statusCode() == 400 || e.statusCode() == 403,
                () -> call("ListResourceTags", () -> kms.listResourceTags(b -> b.keyId(s.kmsKeyId()))).tags().stream()
                        .filter(t -> STACK_TAG.equals(t.tagKey())).map(t -> t.tagValue()).findFirst())
                .orElse(null);
    }

    /** Sets the spec; what the setting was is what delete restores. */
    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        Setting before = setting();
        apply(spec, before);
        return with(live(setting()), PREVIOUS, before.attributes());
    }

    /** Compares with the setting as it is now, not as state last saw it; keeps the record of what it was. */
    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        if (current.attributes().get(LiveResource.HELD_BY) instanceof String holder) {
            throw new ProviderException(spec.address(), "EBS encryption by default in " + region + " is held by stack "
                    + holder + " (its key encrypts by default); left as it is");
        }
        apply(spec, setting());
        return with(live(setting()), PREVIOUS, current.attributes().get(PREVIOUS));
    }

    /** Sets what {@code spec} asks for where {@code current} differs. */
    private void apply(ResourceSpec spec, Setting current) {
        set(new Setting(SpecValues.bool(spec, ENABLED, true), SpecValues.optionalString(spec, KMS_KEY_ID)), current);
    }

    /** Makes the setting {@code want} (a null or AWS managed key: the AWS managed key) where {@code current} differs. */
    private void set(Setting want, Setting current) {
        if (current.enabled() != want.enabled()) {
            if (want.enabled()) {
                call("EnableEbsEncryptionByDefault", () -> ec2().enableEbsEncryptionByDefault(b -> { }));
            } else {
                call("DisableEbsEncryptionByDefault", () -> ec2().disableEbsEncryptionByDefault(b -> { }));
            }
        }
        String key = want.kmsKeyId() == null || isAwsManagedKey(want.kmsKeyId()) ? null : want.kmsKeyId();
        if (key != null && !key.equals(current.kmsKeyId())) {
            call("ModifyEbsDefaultKmsKeyId", () -> ec2().modifyEbsDefaultKmsKeyId(b -> b.kmsKeyId(key)));
        } else if (key == null && (current.kmsKeyId() == null || !isAwsManagedKey(current.kmsKeyId()))) {
            call("ResetEbsDefaultKmsKeyId", () -> ec2().resetEbsDefaultKmsKeyId(b -> { }));
        }
    }

    private static boolean isAwsManagedKey(String keyArn) {
        return keyArn.endsWith(":alias/aws/ebs");
    }

    /** Puts back what the setting was before the stack took it (no record: AWS's defaults, off and aws/ebs). */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        Map<?, ?> previous = current.attributes().get(PREVIOUS) instanceof Map<?, ?> m ? m : Map.of();
        set(new Setting(Boolean.TRUE.equals(previous.get(ENABLED)),
                previous.get(KMS_KEY_ID) instanceof String k ? k : null), setting());
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return false; // the setting always exists
    }
}
