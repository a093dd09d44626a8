package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * {@code aws_ebs_encryption_by_default}: the account's EBS encryption-by-default setting in the client's Region, one
 * per Region, so its id is the Region's name; no tags. enabled (Boolean) and kmsKeyId (the default key's ARN; absent
 * in the spec = the AWS managed key aws/ebs, which AWS reports as {@code arn:aws:kms:<region>:<account>:alias/aws/ebs}).
 * A read is GetEbsEncryptionByDefault + GetEbsDefaultKmsKeyId; create and update Enable (or Disable) and
 * ModifyEbsDefaultKmsKeyId (or ResetEbsDefaultKmsKeyId); delete puts back AWS's defaults: disabled, AWS managed key.
 * The setting always exists, so findExisting always finds it and the engine adopts it.
 */
public final class EbsEncryptionByDefaultProvider extends Ec2Provider<EbsEncryptionByDefaultProvider.Setting> {

    public static final String TYPE = "aws_ebs_encryption_by_default";
    static final String ENABLED = "enabled";
    static final String KMS_KEY_ID = "kmsKeyId";

    /** The Region's setting. */
    public record Setting(String region, boolean enabled, String kmsKeyId) {}

    private final String region;

    public EbsEncryptionByDefaultProvider(AwsClients clients) {
        super(clients, TYPE, "InvalidParameterValue", Setting::region, Set.of(ENABLED, KMS_KEY_ID), Set.of());
        this.region = clients.region();
    }

    /** The Region's setting when {@code ids} name this Region (or nothing); there is no filter to apply. */
    @Override
    protected List<Setting> describe(List<Filter> filters, Collection<String> ids) {
        if (!ids.isEmpty() && !ids.contains(region)) {
            return List.of();
        }
        Boolean enabled = call("GetEbsEncryptionByDefault", () -> ec2().getEbsEncryptionByDefault(b -> { }))
                .ebsEncryptionByDefault();
        String key = call("GetEbsDefaultKmsKeyId", () -> ec2().getEbsDefaultKmsKeyId(b -> { })).kmsKeyId();
        return List.of(new Setting(region, Boolean.TRUE.equals(enabled), key));
    }

    @Override
    protected Map<String, Object> attributesOf(Setting s) {
        Map<String, Object> a = new TreeMap<>();
        a.put(ENABLED, s.enabled());
        putIfPresent(a, KMS_KEY_ID, s.kmsKeyId());
        return a;
    }

    /** The one setting of the Region: it always exists. */
    @Override
    protected Optional<Setting> lookup(String stack, ResourceSpec spec) {
        return describeOne(region);
    }

    /** Enable/Modify are idempotent, so this uses the retrying client, not {@code once}. */
    @Override
    protected String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken) {
        apply(spec, null);
        return region;
    }

    /** Compares with the setting as it is now, not as state last saw it. */
    @Override
    protected void updateAttributes(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
        apply(spec, describeOne(region).orElse(null));
    }

    /** Sets what {@code spec} asks for where {@code current} differs (everything, when current is null). */
    private void apply(ResourceSpec spec, Setting current) {
        boolean enabled = SpecValues.bool(spec, ENABLED, true);
        if (current == null || current.enabled() != enabled) {
            if (enabled) {
                call("EnableEbsEncryptionByDefault", () -> ec2().enableEbsEncryptionByDefault(b -> { }));
            } else {
                call("DisableEbsEncryptionByDefault", () -> ec2().disableEbsEncryptionByDefault(b -> { }));
            }
        }
        String key = SpecValues.optionalString(spec, KMS_KEY_ID);
        String currentKey = current == null ? null : current.kmsKeyId();
        if (key != null && !key.equals(currentKey)) {
            call("ModifyEbsDefaultKmsKeyId", () -> ec2().modifyEbsDefaultKmsKeyId(b -> b.kmsKeyId(key)));
        } else if (key == null && (currentKey == null || !isAwsManagedKey(currentKey))) {
            call("ResetEbsDefaultKmsKeyId", () -> ec2().resetEbsDefaultKmsKeyId(b -> { }));
        }
    }

    private static boolean isAwsManagedKey(String keyArn) {
        return keyArn.endsWith(":alias/aws/ebs");
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        call("DisableEbsEncryptionByDefault", () -> ec2().disableEbsEncryptionByDefault(b -> { }));
        call("ResetEbsDefaultKmsKeyId", () -> ec2().resetEbsDefaultKmsKeyId(b -> { }));
    }
}
