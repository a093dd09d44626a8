package dev.infra.providers.opensearch;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.Lifecycle;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import dev.infra.providers.iam.ServiceLinkedRoles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.ClusterConfig;
import software.amazon.awssdk.services.opensearch.model.DomainEndpointOptions;
import software.amazon.awssdk.services.opensearch.model.DomainInfo;
import software.amazon.awssdk.services.opensearch.model.DomainStatus;
import software.amazon.awssdk.services.opensearch.model.EBSOptions;
import software.amazon.awssdk.services.opensearch.model.EncryptionAtRestOptions;
import software.amazon.awssdk.services.opensearch.model.EngineType;
import software.amazon.awssdk.services.opensearch.model.GetUpgradeStatusResponse;
import software.amazon.awssdk.services.opensearch.model.LogPublishingOption;
import software.amazon.awssdk.services.opensearch.model.NodeToNodeEncryptionOptions;
import software.amazon.awssdk.services.opensearch.model.Tag;
import software.amazon.awssdk.services.opensearch.model.UpdateDomainConfigRequest;
import software.amazon.awssdk.services.opensearch.model.UpgradeStatus;
import software.amazon.awssdk.services.opensearch.model.VPCDerivedInfo;
import software.amazon.awssdk.services.opensearch.model.VPCOptions;
import software.amazon.awssdk.services.opensearch.model.VolumeType;

/**
 * {@code aws_opensearch_domain}: name, engineVersion, instanceType, instanceCount, zoneAwareness, subnetIds (set),
 * securityGroupIds (set), ebsVolumeSize (gp3, GiB), encryptAtRest, kmsKeyId, nodeToNodeEncryption, enforceHttps,
 * tlsPolicy, logPublishing (Map: log type such as {@code SEARCH_SLOW_LOGS} → the ARN of the CloudWatch log group it is
 * published to; the types not listed are off), tags; computed endpoint (the VPC endpoint, else the public one) and arn.
 * Id: the domain name.
 *
 * <p>A domain in a VPC needs the account's OpenSearch service-linked role, which the API does not make: it is found or
 * made first ({@link ServiceLinkedRoles}), and CreateDomain is retried while OpenSearch does not see it yet.
 *
 * <p>A create, a configuration change and an engine upgrade are asynchronous: each waits until the domain is no longer
 * processing (and, after a create, has an endpoint). Configuration changes are one UpdateDomainConfig carrying whole
 * sections (cluster, VPC, EBS, endpoint options) for those that differ; an engine version change is UpgradeDomain,
 * which UpdateDomainConfig cannot do; its failure is read from GetUpgradeStatus. Only the upgrade paths AWS offers the
 * domain are open ("Upgrading Amazon OpenSearch Service domains", supported upgrade paths): an engine version change
 * to another, a downgrade included, is refused at plan time with the versions GetCompatibleVersions lists for it
 * ({@link #refusals}). Tags are given at creation (TagList)
 * and changed with AddTags / RemoveTags.
 *
 * <p>readAll: ListDomainNames (OpenSearch engine) + DescribeDomains in batches of {@value #DESCRIBE_BATCH} names (its
 * limit) + one ListTags per domain, as no call filters by tag: 1 + ⌈n/5⌉ + n calls for n domains in the region. A
 * domain being deleted counts as gone.
 */
public final class OpenSearchDomainProvider extends AwsResourceProvider {

    public static final String TYPE = "aws_opensearch_domain";
    static final String NAME = "name";
    static final String ENGINE_VERSION = "engineVersion";
    static final String INSTANCE_TYPE = "instanceType";
    static final String INSTANCE_COUNT = "instanceCount";
    static final String ZONE_AWARENESS = "zoneAwareness";
    static final String SUBNET_IDS = "subnetIds";
    static final String SECURITY_GROUP_IDS = "securityGroupIds";
    static final String EBS_VOLUME_SIZE = "ebsVolumeSize";
    static final String ENCRYPT_AT_REST = "encryptAtRest";
    static final String KMS_KEY_ID = "kmsKeyId";
    static final String NODE_TO_NODE = "nodeToNodeEncryption";
    static final String ENFORCE_HTTPS = "enforceHttps";
    static final String TLS_POLICY = "tlsPolicy";
    static final String LOG_PUBLISHING = "logPublishing";
    static final String ENDPOINT = "endpoint";
    static final String ARN = "arn";

    /** OpenSearch's error for an unknown domain (HTTP 409). */
    static final String NOT_FOUND = "ResourceNotFoundException";
    /** DescribeDomains takes at most five names. */
    static final int DESCRIBE_BATCH = 5;
    /** The key of a VPC domain's endpoint in DomainStatus.Endpoints. */
    static final String VPC_ENDPOINT = "vpc";
    /** A create typically takes 15–30 minutes, a blue/green configuration change or an upgrade longer. */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(90);
    static final Duration CHANGE_TIMEOUT = Duration.ofMinutes(180);
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(60);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(30);

    private static final Set<String> CLUSTER = Set.of(INSTANCE_TYPE, INSTANCE_COUNT, ZONE_AWARENESS);
    private static final Set<String> ENDPOINT_OPTIONS = Set.of(ENFORCE_HTTPS, TLS_POLICY);

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(EBS_VOLUME_SIZE, Kind.NUMBER).updatable()
                    .doc("GiB"),
            Attribute.required(ENCRYPT_AT_REST, Kind.BOOL)
                    .doc("infra always sets true"),
            Attribute.required(ENFORCE_HTTPS, Kind.BOOL).updatable()
                    .doc("infra always sets true"),
            Attribute.required(ENGINE_VERSION, Kind.STRING).updatable(),
            Attribute.required(INSTANCE_COUNT, Kind.NUMBER).updatable(),
            Attribute.required(INSTANCE_TYPE, Kind.STRING).updatable(),
            Attribute.required(KMS_KEY_ID, Kind.REFERENCE),
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.OPENSEARCH_DOMAIN),
            Attribute.required(NODE_TO_NODE, Kind.BOOL)
                    .doc("infra always sets true"),
            Attribute.required(SECURITY_GROUP_IDS, Kind.SET).updatable(),
            Attribute.required(SUBNET_IDS, Kind.SET),
            Attribute.required(TLS_POLICY, Kind.STRING).updatable(),
            Attribute.optional(LOG_PUBLISHING, Kind.MAP).updatable()
                    .doc("log type, e.g. `SEARCH_SLOW_LOGS` → the CloudWatch log group ARN it is published to; empty = none; a type dropped is sent disabled"),
            Attribute.required(ZONE_AWARENESS, Kind.BOOL).updatable(),
            Attribute.computed(ARN, Kind.STRING),
            Attribute.computed(ENDPOINT, Kind.STRING))
            .with(Trait.TAGGED)
            .id("domain name");

    /** Describe, deleted (being deleted), one change at a time: it waits rather than refusing. */
    private final Lifecycle<DomainStatus> life = Lifecycle.of("OpenSearch domain", this::describe,
            s -> Boolean.TRUE.equals(s.deleted()), CHANGE_TIMEOUT, POLL_INTERVAL);

    public OpenSearchDomainProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    private OpenSearchClient openSearch() {
        return clients().client(OpenSearchClient.class, OpenSearchClient::builder);
    }

    /** The client for CreateDomain: it retries only what AWS did not run (see {@link #createOnce}). */
    private OpenSearchClient openSearchForCreates() {
        return clients().forCreates(OpenSearchClient.class, OpenSearchClient::builder);
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return NOT_FOUND.equals(e.code()) || e.isNotFound();
    }

    // ---- reads ------------------------------------------------------------------------------------------

    /** Every OpenSearch domain of the region (the base keeps the stack's). */
    @Override
    protected List<LiveResource> readStack(String stack) {
        List<String> names = call("ListDomainNames", () -> openSearch().listDomainNames(
                b -> b.engineType(EngineType.OPEN_SEARCH))).domainNames().stream().map(DomainInfo::domainName).toList();
        return read(names);
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return read(ids);
    }

    /** The domains named that exist and are not being deleted, with their tags: DescribeDomains per five names. */
    private List<LiveResource> read(Collection<String> names) {
        List<String> all = List.copyOf(names);
        List<LiveResource> out = new ArrayList<>();
        for (int from = 0; from < all.size(); from += DESCRIBE_BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + DESCRIBE_BATCH));
            for (DomainStatus s : call("DescribeDomains",
                    () -> openSearch().describeDomains(b -> b.domainNames(batch))).domainStatusList()) {
                if (!life.deleting().test(s)) {
                    tagsOf(s).ifPresent(tags -> out.add(toLive(s, tags)));
                }
            }
        }
        return out;
    }

    /** By its unique name; a domain that belongs to another address or stack is an error, not a match. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String name = SpecValues.string(spec, NAME);
        return life.live(name).flatMap(s -> tagsOf(s).map(tags -> {
            ProviderSupport.claim(spec.address(), stack, "OpenSearch domain " + name, tags);
            return toLive(s, tags);
        }));
    }

    /** The domain, also while it is being deleted; empty once OpenSearch no longer knows it. */
    private Optional<DomainStatus> describe(String name) {
        return ProviderSupport.unless(this::isGone, () -> Optional.of(
                call("DescribeDomain", () -> openSearch().describeDomain(b -> b.domainName(name))).domainStatus()));
    }

    /** The domain's tags; empty when it went away meanwhile. */
    private Optional<Map<String, String>> tagsOf(DomainStatus s) {
        return ProviderSupport.unless(this::isGone, () -> {
            Map<String, String> tags = new TreeMap<>();
            call("ListTags", () -> openSearch().listTags(b -> b.arn(s.arn()))).tagList()
                    .forEach(t -> tags.put(t.key(), t.value()));
            return Optional.of(tags);
        });
    }

    private LiveResource toLive(DomainStatus s, Map<String, String> tags) {
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, s.domainName());
        putIfPresent(a, ENGINE_VERSION, s.engineVersion());
        ClusterConfig cluster = s.clusterConfig();
        if (cluster != null) {
            putIfPresent(a, INSTANCE_TYPE, cluster.instanceTypeAsString());
            putIfPresent(a, INSTANCE_COUNT, cluster.instanceCount() == null ? null : cluster.instanceCount().longValue());
            a.put(ZONE_AWARENESS, Boolean.TRUE.equals(cluster.zoneAwarenessEnabled()));
        }
        VPCDerivedInfo vpc = s.vpcOptions();
        a.put(SUBNET_IDS, vpc == null ? List.of() : List.copyOf(vpc.subnetIds()));
        a.put(SECURITY_GROUP_IDS, vpc == null ? List.of() : List.copyOf(vpc.securityGroupIds()));
        if (s.ebsOptions() != null && Boolean.TRUE.equals(s.ebsOptions().ebsEnabled())) {
            putIfPresent(a, EBS_VOLUME_SIZE, s.ebsOptions().volumeSize() == null ? null
                    : s.ebsOptions().volumeSize().longValue());
        }
        if (s.encryptionAtRestOptions() != null) {
            a.put(ENCRYPT_AT_REST, Boolean.TRUE.equals(s.encryptionAtRestOptions().enabled()));
            putIfPresent(a, KMS_KEY_ID, s.encryptionAtRestOptions().kmsKeyId());
        }
        a.put(NODE_TO_NODE, s.nodeToNodeEncryptionOptions() != null
                && Boolean.TRUE.equals(s.nodeToNodeEncryptionOptions().enabled()));
        DomainEndpointOptions endpoint = s.domainEndpointOptions();
        if (endpoint != null) {
            a.put(ENFORCE_HTTPS, Boolean.TRUE.equals(endpoint.enforceHTTPS()));
            putIfPresent(a, TLS_POLICY, endpoint.tlsSecurityPolicyAsString());
        }
        Map<String, Object> published = new TreeMap<>();
        if (s.hasLogPublishingOptions()) {
            s.logPublishingOptionsAsStrings().forEach((type, option) -> {
                if (Boolean.TRUE.equals(option.enabled()) && option.cloudWatchLogsLogGroupArn() != null) {
                    published.put(type, option.cloudWatchLogsLogGroupArn());
                }
            });
        }
        a.put(LOG_PUBLISHING, published);
        putIfPresent(a, ENDPOINT, endpointOf(s));
        a.put(ARN, s.arn());
        return live(s.domainName(), tags, a);
    }

    /** The VPC endpoint of a domain in a VPC, else the public one; null until the domain has one. */
    private static String endpointOf(DomainStatus s) {
        String vpc = s.hasEndpoints() ? s.endpoints().get(VPC_ENDPOINT) : null;
        return vpc != null ? vpc : s.endpoint();
    }

    /** Created, not processing a change or an upgrade, and reachable: what a create and a change wait for. */
    private static boolean ready(DomainStatus s) {
        return !Boolean.FALSE.equals(s.created()) && !Boolean.TRUE.equals(s.processing())
                && !Boolean.TRUE.equals(s.upgradeProcessing()) && endpointOf(s) != null;
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String name = SpecValues.string(spec, NAME);
        List<String> subnets = SpecValues.strings(spec, SUBNET_IDS);
        if (!subnets.isEmpty()) {
            ServiceLinkedRoles.arn(clients(), ServiceLinkedRoles.OPENSEARCH);
        }
        createOnce(ctx, spec.address(), () -> {
            call("CreateDomain", () -> openSearchForCreates().createDomain(b -> b
                    .domainName(name)
                    .engineVersion(SpecValues.optionalString(spec, ENGINE_VERSION))
                    .clusterConfig(clusterConfig(spec))
                    .vpcOptions(vpcOptions(spec, subnets))
                    .ebsOptions(ebsOptions(spec))
                    .encryptionAtRestOptions(encryptionAtRest(spec))
                    .nodeToNodeEncryptionOptions(nodeToNode(spec))
                    .domainEndpointOptions(endpointOptions(spec))
                    .logPublishingOptionsWithStrings(logPublishing(spec, Map.of()))
                    .tagList(tags(spec.tags()))));
            return name;
        }, () -> life.live(name).map(DomainStatus::domainName),
                OpenSearchDomainProvider::linkedRoleNotYetSeen);
        return readBack(ctx, name, CREATE_TIMEOUT, "to be created");
    }

    /**
     * OpenSearch's refusal of a VPC domain while it does not see the account's service-linked role ("you must enable a
     * service-linked role…"): made just before, IAM has not propagated it yet.
     */
    static boolean linkedRoleNotYetSeen(AwsCallException e) {
        return "ValidationException".equals(e.code()) && e.getMessage() != null
                && e.getMessage().contains("service-linked role");
    }

    /** An engine version the domain cannot be upgraded to, by what GetCompatibleVersions lists for it. */
    @Override
    public List<String> refusals(LiveResource current, Map<String, Object> desired) {
        if (!(current.attributes().get(ENGINE_VERSION) instanceof String have)
                || !(desired.get(ENGINE_VERSION) instanceof String want) || want.equals(have)) {
            return List.of();
        }
        List<String> targets = call("GetCompatibleVersions", () -> openSearch().getCompatibleVersions(
                b -> b.domainName(current.id()))).compatibleVersions().stream()
                .filter(m -> have.equals(m.sourceVersion())).flatMap(m -> m.targetVersions().stream()).toList();
        if (targets.contains(want)) {
            return List.of();
        }
        return List.of("engineVersion " + have + " → " + want + ": OpenSearch Service upgrades a domain only along its"
                + " upgrade paths, never down; " + (targets.isEmpty() ? "it offers none from " + have
                : "from " + have + " it offers " + String.join(", ", targets) + " (one step per apply)"));
    }

    /**
     * Tags first, then one UpdateDomainConfig with the sections that differ (waited for), then an UpgradeDomain when the
     * engine version differs (waited for): the domain takes one change at a time.
     */
    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String name = current.id();
        DomainStatus status = life.live(name).orElseThrow(() -> new ProviderException(spec.address(), "OpenSearch domain " + name + " no longer exists"));
        LiveResource now = toLive(status, tagsOf(status).orElse(Map.of()));
        Set<String> differ = differing(now, spec, changed);
        updateTags(now, spec, differ,
                put -> call("AddTags", () -> openSearch().addTags(b -> b.arn(status.arn()).tagList(tags(put)))),
                keys -> call("RemoveTags", () -> openSearch().removeTags(b -> b.arn(status.arn()).tagKeys(keys))));
        UpdateDomainConfigRequest.Builder config = UpdateDomainConfigRequest.builder().domainName(name);
        boolean reconfigure = false;
        if (differ.stream().anyMatch(CLUSTER::contains)) {
            config.clusterConfig(clusterConfig(spec));
            reconfigure = true;
        }
        if (differ.contains(SECURITY_GROUP_IDS)) {
            config.vpcOptions(vpcOptions(spec, status.vpcOptions() == null ? List.of() : status.vpcOptions().subnetIds()));
            reconfigure = true;
        }
        if (differ.contains(EBS_VOLUME_SIZE)) {
            config.ebsOptions(ebsOptions(spec));
            reconfigure = true;
        }
        if (differ.stream().anyMatch(ENDPOINT_OPTIONS::contains)) {
            config.domainEndpointOptions(endpointOptions(spec));
            reconfigure = true;
        }
        if (differ.contains(LOG_PUBLISHING)) {
            Map<?, ?> before = now.attributes().get(LOG_PUBLISHING) instanceof Map<?, ?> m ? m : Map.of();
            config.logPublishingOptionsWithStrings(logPublishing(spec, before));
            reconfigure = true;
        }
        if (reconfigure) {
            call("UpdateDomainConfig", () -> openSearch().updateDomainConfig(config.build()));
            awaitReady(ctx, name, CHANGE_TIMEOUT, "to apply its configuration change");
        }
        if (differ.contains(ENGINE_VERSION)) {
            // UpgradeDomain is refused while the domain is still processing a change (a configuration change just
            // made, or one made outside infra): wait until it has settled.
            awaitReady(ctx, name, CHANGE_TIMEOUT, "to finish processing before its upgrade");
            upgrade(ctx, name, SpecValues.string(spec, ENGINE_VERSION));
        }
        return readBack(ctx, name, CHANGE_TIMEOUT, "to be ready");
    }

    /**
     * UpgradeDomain to {@code version}, then a wait until the domain runs it. While the domain is not upgrading yet or
     * any more but runs another version, GetUpgradeStatus tells whether the upgrade failed (then this fails with its
     * step) or has not started.
     */
    private void upgrade(OperationContext ctx, String name, String version) {
        call("UpgradeDomain", () -> openSearch().upgradeDomain(b -> b.domainName(name).targetVersion(version)));
        ctx.await("OpenSearch domain " + name + " to run " + version, CHANGE_TIMEOUT, POLL_INTERVAL, () -> {
            DomainStatus s = describe(name).orElseThrow(() -> new ProviderException(ctx.address(),
                    "OpenSearch domain " + name + " disappeared during its upgrade to " + version));
            if (version.equals(s.engineVersion()) && ready(s)) {
                return Optional.of(s);
            }
            if (!Boolean.TRUE.equals(s.upgradeProcessing()) && !version.equals(s.engineVersion())) {
                GetUpgradeStatusResponse u = call("GetUpgradeStatus",
                        () -> openSearch().getUpgradeStatus(b -> b.domainName(name)));
                if (u.stepStatus() == UpgradeStatus.FAILED) {
                    throw new ProviderException(ctx.address(), "upgrade of OpenSearch domain " + name + " to " + version
                            + " failed at step " + u.upgradeStepAsString() + " (" + u.upgradeName()
                            + "); GetUpgradeHistory has the details");
                }
            }
            return Optional.empty();
        });
    }

    private DomainStatus awaitReady(OperationContext ctx, String name, Duration timeout, String what) {
        return life.await(ctx, name, what, timeout, OpenSearchDomainProvider::ready);
    }

    private LiveResource readBack(OperationContext ctx, String name, Duration timeout, String what) {
        DomainStatus s = awaitReady(ctx, name, timeout, what);
        return toLive(s, tagsOf(s).orElse(Map.of()));
    }

    /** DeleteDomain (unless already being deleted), then a wait until OpenSearch no longer knows the domain. */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String name = current.id();
        life.delete(ctx, name, "DeleteDomain", DELETE_TIMEOUT, s -> { },
                () -> call("DeleteDomain", () -> openSearch().deleteDomain(b -> b.domainName(name))));
    }

    // ---- request parts ----------------------------------------------------------------------------------

    /** The whole cluster section; zone awareness spans as many zones as the domain has subnets (2 or 3). */
    private static ClusterConfig clusterConfig(ResourceSpec spec) {
        boolean zoneAware = SpecValues.bool(spec, ZONE_AWARENESS, false);
        int zones = SpecValues.strings(spec, SUBNET_IDS).size();
        ClusterConfig.Builder b = ClusterConfig.builder()
                .instanceType(SpecValues.optionalString(spec, INSTANCE_TYPE))
                .instanceCount(spec.attributes().containsKey(INSTANCE_COUNT)
                        ? Math.toIntExact(SpecValues.number(spec, INSTANCE_COUNT)) : null)
                .zoneAwarenessEnabled(zoneAware);
        if (zoneAware && zones > 1) {
            b.zoneAwarenessConfig(z -> z.availabilityZoneCount(zones));
        }
        return b.build();
    }

    private static VPCOptions vpcOptions(ResourceSpec spec, List<String> subnetIds) {
        if (subnetIds.isEmpty()) {
            return null;
        }
        return VPCOptions.builder().subnetIds(subnetIds).securityGroupIds(SpecValues.strings(spec, SECURITY_GROUP_IDS))
                .build();
    }

    private static EBSOptions ebsOptions(ResourceSpec spec) {
        if (!spec.attributes().containsKey(EBS_VOLUME_SIZE)) {
            return null;
        }
        return EBSOptions.builder().ebsEnabled(true).volumeType(VolumeType.GP3)
                .volumeSize(Math.toIntExact(SpecValues.number(spec, EBS_VOLUME_SIZE))).build();
    }

    private static EncryptionAtRestOptions encryptionAtRest(ResourceSpec spec) {
        Boolean enabled = SpecValues.optionalBoolean(spec, ENCRYPT_AT_REST);
        return enabled == null ? null : EncryptionAtRestOptions.builder().enabled(enabled)
                .kmsKeyId(SpecValues.optionalString(spec, KMS_KEY_ID)).build();
    }

    private static NodeToNodeEncryptionOptions nodeToNode(ResourceSpec spec) {
        Boolean enabled = SpecValues.optionalBoolean(spec, NODE_TO_NODE);
        return enabled == null ? null : NodeToNodeEncryptionOptions.builder().enabled(enabled).build();
    }

    private static DomainEndpointOptions endpointOptions(ResourceSpec spec) {
        Boolean https = SpecValues.optionalBoolean(spec, ENFORCE_HTTPS);
        String policy = SpecValues.optionalString(spec, TLS_POLICY);
        if (https == null && policy == null) {
            return null;
        }
        return DomainEndpointOptions.builder().enforceHTTPS(https).tlsSecurityPolicy(policy).build();
    }

    /** The spec's log types on, with their groups; the types {@code before} had that the spec drops, off. */
    private static Map<String, LogPublishingOption> logPublishing(ResourceSpec spec, Map<?, ?> before) {
        Map<String, LogPublishingOption> out = new TreeMap<>();
        before.keySet().forEach(type -> out.put(String.valueOf(type), LogPublishingOption.builder().enabled(false).build()));
        if (spec.attributes().get(LOG_PUBLISHING) instanceof Map<?, ?> m) {
            m.forEach((type, arn) -> out.put(String.valueOf(type), LogPublishingOption.builder().enabled(true)
                    .cloudWatchLogsLogGroupArn(String.valueOf(arn)).build()));
        }
        return out;
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return new TreeMap<>(tags).entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(Objects.toString(e.getValue(), "")).build())
                .toList();
    }
}
