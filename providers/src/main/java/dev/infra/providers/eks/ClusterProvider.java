package dev.infra.providers.eks;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import dev.infra.providers.ec2.NetworkInterfaces;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.EncryptionConfig;
import software.amazon.awssdk.services.eks.model.Update;
import software.amazon.awssdk.services.eks.model.VpcConfigResponse;

/**
 * {@code aws_eks_cluster}: name, version, roleArn, subnetIds (set), securityGroupIds (set), secretsKmsKeyArn (envelope
 * encryption of Kubernetes secrets), bootstrapSelfManagedAddons (write-only: DescribeCluster does not report it),
 * endpointPrivateAccess, endpointPublicAccess, tags; computed endpoint, arn, certificateAuthority (the CA data),
 * clusterSecurityGroupId (the group EKS makes for the control plane and managed nodes). Id:
 * the cluster name.
 *
 * <p>A version change is UpdateClusterVersion, an endpoint access change UpdateClusterConfig, each waited for. EKS
 * goes up one minor version per update and never down ("Update existing cluster to new Kubernetes version",
 * https://docs.aws.amazon.com/eks/latest/userguide/update-cluster.html), so any other version change is refused at
 * plan time, naming the next version allowed ({@link #refusals}). readAll:
 * ListClusters + one DescribeCluster per cluster of the region (tags come with it; EKS has no tag filter).
 */
public final class ClusterProvider extends EksProvider<Cluster> {

    public static final String TYPE = "aws_eks_cluster";
    static final String NAME = "name";
    static final String VERSION = "version";
    static final String ROLE_ARN = "roleArn";
    static final String SUBNET_IDS = "subnetIds";
    static final String SECURITY_GROUP_IDS = "securityGroupIds";
    static final String SECRETS_KEY = "secretsKmsKeyArn";
    static final String BOOTSTRAP_ADDONS = "bootstrapSelfManagedAddons";
    static final String PRIVATE_ACCESS = "endpointPrivateAccess";
    static final String PUBLIC_ACCESS = "endpointPublicAccess";
    static final String ENDPOINT = "endpoint";
    static final String ARN = "arn";
    static final String CERTIFICATE_AUTHORITY = "certificateAuthority";
    static final String CLUSTER_SECURITY_GROUP = "clusterSecurityGroupId";
    /** The encryptionConfig resource for Kubernetes secrets, the only one EKS supports. */
    static final String SECRETS = "secrets";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(BOOTSTRAP_ADDONS, Kind.BOOL).writeOnly()
                    .doc("false with Cilium"),
            Attribute.required(PRIVATE_ACCESS, Kind.BOOL).updatable(),
            Attribute.required(PUBLIC_ACCESS, Kind.BOOL).updatable(),
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.EKS_CLUSTER),
            Attribute.required(ROLE_ARN, Kind.REFERENCE),
            Attribute.required(SECRETS_KEY, Kind.REFERENCE),
            Attribute.required(SECURITY_GROUP_IDS, Kind.SET),
            Attribute.required(SUBNET_IDS, Kind.SET),
            Attribute.required(VERSION, Kind.STRING).updatable(),
            Attribute.computed(ARN, Kind.STRING),
            Attribute.computed(CERTIFICATE_AUTHORITY, Kind.STRING),
            Attribute.computed(CLUSTER_SECURITY_GROUP, Kind.STRING),
            Attribute.computed(ENDPOINT, Kind.STRING))
            .with(Trait.TAGGED)
            .id("cluster name")
            .notes("ClusterSecurityGroupId (the security group EKS creates for the cluster)");

    public ClusterProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    @Override
    protected String noun() {
        return "EKS cluster";
    }

    @Override
    protected String idOf(ResourceSpec spec) {
        return SpecValues.string(spec, NAME);
    }

    @Override
    protected String idOf(Cluster cluster) {
        return cluster.name();
    }

    /** Every cluster of the region (the base keeps the stack's). */
    @Override
    protected List<LiveResource> readStack(String stack) {
        return describeClusters().stream().filter(this::isLive).map(this::toLive).toList();
    }

    @Override
    protected Optional<Cluster> describe(String id) {
        return describeCluster(id);
    }

    @Override
    protected String statusOf(Cluster cluster) {
        return cluster.statusAsString();
    }

    @Override
    protected List<String> issuesOf(Cluster cluster) {
        return cluster.health() == null ? List.of()
                : cluster.health().issues().stream().map(i -> i.codeAsString() + ": " + i.message()).toList();
    }

    @Override
    protected String arnOf(Cluster cluster) {
        return cluster.arn();
    }

    @Override
    protected Map<String, String> tagsOf(Cluster cluster) {
        return cluster.tags();
    }

    @Override
    protected Map<String, Object> attributesOf(Cluster c) {
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, c.name());
        putIfPresent(a, VERSION, c.version());
        putIfPresent(a, ROLE_ARN, c.roleArn());
        VpcConfigResponse vpc = c.resourcesVpcConfig();
        a.put(SUBNET_IDS, vpc == null ? List.of() : List.copyOf(vpc.subnetIds()));
        a.put(SECURITY_GROUP_IDS, vpc == null ? List.of() : List.copyOf(vpc.securityGroupIds()));
        if (vpc != null) {
            putIfPresent(a, PRIVATE_ACCESS, vpc.endpointPrivateAccess());
            putIfPresent(a, PUBLIC_ACCESS, vpc.endpointPublicAccess());
        }
        c.encryptionConfig().stream()
                .filter(e -> e.resources().contains(SECRETS) && e.provider() != null)
                .map(e -> e.provider().keyArn())
                .findFirst()
                .ifPresent(key -> a.put(SECRETS_KEY, key));
        putIfPresent(a, ENDPOINT, c.endpoint());
        putIfPresent(a, ARN, c.arn());
        putIfPresent(a, CERTIFICATE_AUTHORITY, c.certificateAuthority() == null ? null : c.certificateAuthority().data());
        putIfPresent(a, CLUSTER_SECURITY_GROUP, c.resourcesVpcConfig() == null ? null : c.resourcesVpcConfig().clusterSecurityGroupId());
        return a;
    }

    @Override
    protected void submitCreate(ResourceSpec spec, String clientRequestToken) {
        String key = SpecValues.optionalString(spec, SECRETS_KEY);
        List<EncryptionConfig> encryption = key == null ? null
                : List.of(EncryptionConfig.builder().resources(SECRETS).provider(p -> p.keyArn(key)).build());
        call("CreateCluster", () -> eks().createCluster(b -> b
                .name(SpecValues.string(spec, NAME))
                .version(SpecValues.optionalString(spec, VERSION))
                .roleArn(SpecValues.string(spec, ROLE_ARN))
                .resourcesVpcConfig(v -> v
                        .subnetIds(SpecValues.strings(spec, SUBNET_IDS))
                        .securityGroupIds(SpecValues.strings(spec, SECURITY_GROUP_IDS))
                        .endpointPublicAccess(SpecValues.optionalBoolean(spec, PUBLIC_ACCESS))
                        .endpointPrivateAccess(SpecValues.optionalBoolean(spec, PRIVATE_ACCESS)))
                .encryptionConfig(encryption)
                .bootstrapSelfManagedAddons(SpecValues.optionalBoolean(spec, BOOTSTRAP_ADDONS))
                .tags(spec.tags())
                .clientRequestToken(clientRequestToken)));
    }

    /** bootstrapSelfManagedAddons as sent: AWS does not report it back. */
    @Override
    protected LiveResource created(ResourceSpec spec, LiveResource live) {
        return with(live, BOOTSTRAP_ADDONS, SpecValues.optionalBoolean(spec, BOOTSTRAP_ADDONS));
    }

    /** The version first (EKS runs one update at a time), then endpoint access; each waited for. */
    @Override
    protected void updateAttributes(Cluster now, ResourceSpec spec, OperationContext ctx) {
        String name = now.name();
        String version = SpecValues.optionalString(spec, VERSION);
        if (version != null && !version.equals(now.version())) {
            Update update = call("UpdateClusterVersion", () -> eks().updateClusterVersion(
                    b -> b.name(name).version(version).clientRequestToken(UUID.randomUUID().toString()))).update();
            awaitUpdate(ctx, update, name, null);
        }
        Boolean publicAccess = SpecValues.optionalBoolean(spec, PUBLIC_ACCESS);
        Boolean privateAccess = SpecValues.optionalBoolean(spec, PRIVATE_ACCESS);
        VpcConfigResponse vpc = now.resourcesVpcConfig();
        if (differs(publicAccess, vpc == null ? null : vpc.endpointPublicAccess())
                || differs(privateAccess, vpc == null ? null : vpc.endpointPrivateAccess())) {
            Update update = call("UpdateClusterConfig", () -> eks().updateClusterConfig(b -> b.name(name)
                    .resourcesVpcConfig(v -> v.endpointPublicAccess(publicAccess).endpointPrivateAccess(privateAccess))
                    .clientRequestToken(UUID.randomUUID().toString()))).update();
            awaitUpdate(ctx, update, name, null);
        }
    }

    /** A version change other than one minor version up ("1.29" to "1.30"), which EKS refuses. */
    @Override
    public List<String> refusals(LiveResource current, Map<String, Object> desired) {
        if (!(current.attributes().get(VERSION) instanceof String have) || !(desired.get(VERSION) instanceof String want)
                || want.equals(have)) {
            return List.of();
        }
        int[] from = minor(have);
        int[] to = minor(want);
        if (from == null || to == null) {
            return List.of();
        }
        String next = from[0] + "." + (from[1] + 1);
        if (want.equals(next)) {
            return List.of();
        }
        String refused = "EKS refuses this (\"Unsupported Kubernetes minor version update from " + have + " to " + want
                + "\"): ";
        boolean down = to[0] < from[0] || to[0] == from[0] && to[1] < from[1];
        return List.of("version " + have + " → " + want + ": " + refused + (down
                ? "a cluster is never downgraded; keep version: \"" + have + "\" (or make a new cluster)"
                : "a cluster goes up one minor version per update; set version: \"" + next + "\", apply, and go on from there"));
    }

    /** "1.31" → {1, 31}; null for another form. */
    private static int[] minor(String version) {
        String[] parts = version.split("\\.");
        try {
            return parts.length == 2 ? new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1])} : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * The control plane's network interfaces ("Amazon EKS &lt;cluster&gt;", in the cluster's subnets and groups) outlive the
     * cluster: waited for, so the subnets and security groups after it can be deleted.
     */
    @Override
    protected void afterDeleted(String id, OperationContext ctx) {
        NetworkInterfaces.awaitReleased(clients(), ctx, "EKS cluster " + id, "Amazon EKS " + id);
    }

    @Override
    protected void submitDelete(String id) {
        call("DeleteCluster", () -> eks().deleteCluster(b -> b.name(id)));
    }
}
