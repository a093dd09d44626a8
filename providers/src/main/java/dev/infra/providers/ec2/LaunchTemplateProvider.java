package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.ParallelReads;
import dev.infra.providers.SpecValues;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplate;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateBlockDeviceMappingRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateEbsBlockDeviceRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateHttpTokensState;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateIamInstanceProfileSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateInstanceMetadataOptionsRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecification;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateTagSpecificationRequest;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.RequestLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.ResponseLaunchTemplateData;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * {@code aws_launch_template}: name, imageId, instanceType, userData (plain text; base64 on the wire), securityGroupIds
 * (a set), iamInstanceProfileArn (may be absent), rootVolumeSize (GiB), kmsKeyId, tags; computed latestVersion.
 *
 * <p>Every version this writes has the root volume {@value #ROOT_DEVICE} as gp3, encrypted (with kmsKeyId when given)
 * and deleted on termination, requires IMDSv2 ({@code HttpTokens=required}), and tags the instances and volumes
 * launched from it with the spec's tags minus {@code infra:address} (see {@link #launchedTags}).
 *
 * <p>A read is one DescribeLaunchTemplates call plus one DescribeLaunchTemplateVersions call (the default version)
 * per template. imageId reads back as written: a {@code resolve:ssm:…} parameter stays the parameter, since
 * DescribeLaunchTemplateVersions reports the parameter unless ResolveAlias is asked for.
 *
 * <p>An update of any data attribute (or of the tags given to launched instances and volumes) creates a new version
 * holding the complete data and makes it the default. The new version is not based on a source version: with
 * SourceVersion, AWS would carry over what the spec no longer names (an instance profile, user data), so a removed
 * attribute would silently stay.
 */
public final class LaunchTemplateProvider extends Ec2Provider<LaunchTemplateProvider.Template> {

    public static final String TYPE = "aws_launch_template";
    static final String ROOT_DEVICE = "/dev/xvda";
    static final String DEFAULT_VERSION = "$Default";
    static final String IMAGE_ID = "imageId";
    static final String INSTANCE_TYPE = "instanceType";
    static final String USER_DATA = "userData";
    static final String SECURITY_GROUP_IDS = "securityGroupIds";
    static final String INSTANCE_PROFILE = "iamInstanceProfileArn";
    static final String ROOT_VOLUME_SIZE = "rootVolumeSize";
    static final String KMS_KEY_ID = "kmsKeyId";
    static final String LATEST_VERSION = "latestVersion";
    /** The attributes held in a version's data: changing one makes a new version. */
    static final Set<String> DATA = Set.of(IMAGE_ID, INSTANCE_TYPE, USER_DATA, SECURITY_GROUP_IDS, INSTANCE_PROFILE,
            ROOT_VOLUME_SIZE, KMS_KEY_ID);
    /** The most DescribeLaunchTemplates returns per page. */
    private static final int PAGE_SIZE = 200;

    /** A launch template with its default version's data. */
    public record Template(LaunchTemplate template, ResponseLaunchTemplateData data) {

        String id() {
            return template.launchTemplateId();
        }
    }

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final dev.infra.core.catalogue.ResourceType ENTRY = dev.infra.core.catalogue.ResourceType.of(TYPE,
            Attribute.required(IMAGE_ID, Kind.STRING).updatable(),
            Attribute.required(INSTANCE_TYPE, Kind.STRING).updatable(),
            Attribute.required(KMS_KEY_ID, Kind.REFERENCE).updatable()
                    .doc("root volume encrypted with it"),
            Attribute.required("name", Kind.STRING).rule(AwsRules.LAUNCH_TEMPLATE),
            Attribute.required(ROOT_VOLUME_SIZE, Kind.NUMBER).updatable()
                    .doc("GiB"),
            Attribute.required(SECURITY_GROUP_IDS, Kind.SET).updatable(),
            Attribute.required(USER_DATA, Kind.STRING).updatable()
                    .doc("plain text; base64 on the wire"),
            Attribute.optional(INSTANCE_PROFILE, Kind.STRING).updatable()
                    .doc("may be absent"),
            Attribute.computed(LATEST_VERSION, Kind.NUMBER).recomputedOnUpdate())
            .with(Trait.TAGGED)
            .id("lt-…")
            .notes("An update creates a new version and makes it the default");

    public LaunchTemplateProvider(AwsClients clients) {
        super(clients, ENTRY, ResourceType.LAUNCH_TEMPLATE, "InvalidLaunchTemplateId.NotFound", Template::id, t -> t.template().tags());
    }

    @Override
    protected List<Template> describe(List<Filter> filters, Collection<String> ids) {
        List<LaunchTemplate> templates = new ArrayList<>();
        try {
            templates.addAll(describeTemplates(filters, ids));
        } catch (AwsCallException e) {
            if (!isMissing(e) || ids.isEmpty()) {
                throw e;
            }
            // One of the ids is gone and EC2 failed the whole call: ask one by one.
            for (String id : ids) {
                try {
                    templates.addAll(describeTemplates(filters, List.of(id)));
                } catch (AwsCallException one) {
                    if (!isMissing(one)) {
                        throw one;
                    }
                }
            }
        }
        return ParallelReads.each(templates, t -> defaultVersionData(t.launchTemplateId()).map(data -> new Template(t, data)));
    }

    private List<LaunchTemplate> describeTemplates(List<Filter> filters, Collection<String> ids) {
        return call("DescribeLaunchTemplates", () -> ec2().describeLaunchTemplatesPaginator(b -> b
                        .filters(filtersOrNull(filters))
                        .launchTemplateIds(idsOrNull(ids))
                        .maxResults(ids.isEmpty() ? PAGE_SIZE : null))
                .launchTemplates().stream().toList());
    }

    /**
     * Whether EC2 said the template does not exist: InvalidLaunchTemplateId.NotFound, or (for some calls, even when
     * asked by id) InvalidLaunchTemplateName.NotFoundException.
     */
    private static boolean isMissing(AwsCallException e) {
        return e.isNotFound() || "InvalidLaunchTemplateName.NotFoundException".equals(e.code());
    }

    /** The default version's data; empty when the template was deleted since it was listed. */
    private Optional<ResponseLaunchTemplateData> defaultVersionData(String id) {
        try {
            return call("DescribeLaunchTemplateVersions", () -> ec2().describeLaunchTemplateVersions(
                    b -> b.launchTemplateId(id).versions(DEFAULT_VERSION)))
                    .launchTemplateVersions().stream()
                    .findFirst()
                    .map(LaunchTemplateVersion::launchTemplateData);
        } catch (AwsCallException e) {
            if (isMissing(e)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    protected Map<String, Object> attributesOf(Template t) {
        Map<String, Object> a = new TreeMap<>();
        ResponseLaunchTemplateData d = t.data();
        a.put("name", t.template().launchTemplateName());
        putIfPresent(a, LATEST_VERSION, t.template().latestVersionNumber());
        putIfPresent(a, IMAGE_ID, d.imageId());
        putIfPresent(a, INSTANCE_TYPE, d.instanceTypeAsString());
        if (d.userData() != null && !d.userData().isEmpty()) {
            a.put(USER_DATA, new String(Base64.getMimeDecoder().decode(d.userData()), StandardCharsets.UTF_8));
        }
        a.put(SECURITY_GROUP_IDS, d.securityGroupIds().stream().sorted().toList());
        if (d.iamInstanceProfile() != null) {
            putIfPresent(a, INSTANCE_PROFILE, d.iamInstanceProfile().arn());
        }
        d.blockDeviceMappings().stream()
                .filter(m -> ROOT_DEVICE.equals(m.deviceName()) && m.ebs() != null)
                .map(LaunchTemplateBlockDeviceMapping::ebs)
                .findFirst()
                .ifPresent(ebs -> {
                    putIfPresent(a, ROOT_VOLUME_SIZE, toLong(ebs.volumeSize()));
                    putIfPresent(a, KMS_KEY_ID, ebs.kmsKeyId());
                });
        return a;
    }

    @Override
    protected String createResource(Ec2Client once, ResourceSpec spec, TagSpecification tags, String clientToken) {
        String name = SpecValues.string(spec, "name");
        RequestLaunchTemplateData data = data(spec);
        return call("CreateLaunchTemplate", () -> once.createLaunchTemplate(b -> b
                .launchTemplateName(name)
                .launchTemplateData(data)
                .tagSpecifications(tags)
                .clientToken(clientToken))).launchTemplate().launchTemplateId();
    }

    @Override
    protected void updateAttributes(LiveResource current, ResourceSpec spec, Set<String> changed, OperationContext ctx) {
        String id = current.id();
        Template now = describeOne(id).orElseThrow(
                () -> new ProviderException(spec.address(), "launch template " + id + " no longer exists"));
        boolean dataChanged = changed.stream().anyMatch(DATA::contains)
                || !launchedTags(spec.tags()).equals(instanceTags(now.data()));
        if (!dataChanged) {
            return;
        }
        RequestLaunchTemplateData data = data(spec);
        String token = UUID.randomUUID().toString();
        Long version = call("CreateLaunchTemplateVersion", () -> ec2().createLaunchTemplateVersion(b -> b
                .launchTemplateId(id)
                .launchTemplateData(data)
                .clientToken(token))).launchTemplateVersion().versionNumber();
        call("ModifyLaunchTemplate", () -> ec2().modifyLaunchTemplate(
                b -> b.launchTemplateId(id).defaultVersion(Long.toString(version))));
    }

    /** The tags the default version gives launched instances. */
    private static Map<String, String> instanceTags(ResponseLaunchTemplateData data) {
        return data.tagSpecifications().stream()
                .filter(s -> s.resourceType() == ResourceType.INSTANCE)
                .map(LaunchTemplateTagSpecification::tags)
                .findFirst()
                .map(Ec2Provider::tagMap)
                .orElse(Map.of());
    }

    /** The complete data of a version for {@code spec}. */
    private static RequestLaunchTemplateData data(ResourceSpec spec) {
        String userData = SpecValues.optionalString(spec, USER_DATA);
        String profile = SpecValues.optionalString(spec, INSTANCE_PROFILE);
        List<String> groups = SpecValues.strings(spec, SECURITY_GROUP_IDS).stream().distinct().sorted().toList();
        Long rootSize = spec.attributes().get(ROOT_VOLUME_SIZE) == null ? null : SpecValues.number(spec, ROOT_VOLUME_SIZE);
        Map<String, String> launched = launchedTags(spec.tags());
        return RequestLaunchTemplateData.builder()
                .imageId(SpecValues.string(spec, IMAGE_ID))
                .instanceType(SpecValues.string(spec, INSTANCE_TYPE))
                .userData(userData == null ? null
                        : Base64.getEncoder().encodeToString(userData.getBytes(StandardCharsets.UTF_8)))
                .securityGroupIds(groups.isEmpty() ? null : groups)
                .iamInstanceProfile(profile == null ? null
                        : LaunchTemplateIamInstanceProfileSpecificationRequest.builder().arn(profile).build())
                .blockDeviceMappings(LaunchTemplateBlockDeviceMappingRequest.builder()
                        .deviceName(ROOT_DEVICE)
                        .ebs(LaunchTemplateEbsBlockDeviceRequest.builder()
                                .volumeSize(rootSize == null ? null : Math.toIntExact(rootSize))
                                .volumeType(VolumeType.GP3)
                                .encrypted(true)
                                .kmsKeyId(SpecValues.optionalString(spec, KMS_KEY_ID))
                                .deleteOnTermination(true)
                                .build())
                        .build())
                .metadataOptions(LaunchTemplateInstanceMetadataOptionsRequest.builder()
                        .httpTokens(LaunchTemplateHttpTokensState.REQUIRED)
                        .build())
                .tagSpecifications(launchedTagSpecification(ResourceType.INSTANCE, launched),
                        launchedTagSpecification(ResourceType.VOLUME, launched))
                .build();
    }

    private static LaunchTemplateTagSpecificationRequest launchedTagSpecification(ResourceType type, Map<String, String> tags) {
        return LaunchTemplateTagSpecificationRequest.builder().resourceType(type).tags(sdkTags(tags)).build();
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        try {
            call("DeleteLaunchTemplate", () -> ec2().deleteLaunchTemplate(b -> b.launchTemplateId(current.id())));
        } catch (AwsCallException e) {
            if (!isMissing(e)) {
                throw e;
            }
        }
    }
}
