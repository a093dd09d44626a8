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
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.ParallelReads;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.Nodegroup;
import software.amazon.awssdk.services.eks.model.NodegroupScalingConfig;
import software.amazon.awssdk.services.eks.model.Update;

/**
 * {@code aws_eks_node_group}: clusterName, name, nodeRoleArn, subnetIds (set), instanceTypes, minSize, maxSize,
 * desiredSize, amiType, tags; computed autoScalingGroupName (the Auto Scaling group EKS made for the node group, the
 * first of DescribeNodegroup's {@code resources.autoScalingGroups}; absent until EKS reports it, which it does by the
 * time the node group is ACTIVE, so a create's result has it). Id: {@code <cluster>:<nodegroup>}. A size change is
 * UpdateNodegroupConfig, waited for.
 *
 * <p>readAll: the stack's clusters (ListClusters + one DescribeCluster per cluster of the region), then per stack
 * cluster one ListNodegroups and one DescribeNodegroup per node group; node groups of the state in other clusters are
 * described one by one.
 */
public final class NodegroupProvider extends EksProvider<Nodegroup> {

    static final Duration NODEGROUP_TIMEOUT = Duration.ofMinutes(60);

    public static final String TYPE = "aws_eks_node_group";
    static final String CLUSTER_NAME = "clusterName";
    static final String NAME = "name";
    static final String NODE_ROLE_ARN = "nodeRoleArn";
    static final String SUBNET_IDS = "subnetIds";
    static final String INSTANCE_TYPES = "instanceTypes";
    static final String MIN_SIZE = "minSize";
    static final String MAX_SIZE = "maxSize";
    static final String DESIRED_SIZE = "desiredSize";
    static final String AMI_TYPE = "amiType";
    static final String AUTO_SCALING_GROUP = "autoScalingGroupName";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(AMI_TYPE, Kind.STRING),
            Attribute.required(CLUSTER_NAME, Kind.REFERENCE),
            Attribute.required(DESIRED_SIZE, Kind.NUMBER).updatable(),
            Attribute.required(INSTANCE_TYPES, Kind.LIST),
            Attribute.required(MAX_SIZE, Kind.NUMBER).updatable(),
            Attribute.required(MIN_SIZE, Kind.NUMBER).updatable(),
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.NODE_GROUP),
            Attribute.required(NODE_ROLE_ARN, Kind.REFERENCE),
            Attribute.required(SUBNET_IDS, Kind.SET),
            Attribute.computed(AUTO_SCALING_GROUP, Kind.STRING)
                    .doc("the Auto Scaling group EKS made for the node group: the first of DescribeNodegroup's `resources.autoScalingGroups`; absent until EKS reports it, present once ACTIVE"))
            .with(Trait.TAGGED)
            .id("`<cluster>:<nodegroup>`");

    public NodegroupProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    /** 60 minutes to create or delete, as Terraform's aws_eks_node_group: nodes boot, join and drain. */
    @Override
    protected Duration timeout(Duration base) {
        return NODEGROUP_TIMEOUT;
    }

    @Override
    protected String noun() {
        return "EKS node group";
    }

    @Override
    protected String idOf(ResourceSpec spec) {
        return SpecValues.string(spec, CLUSTER_NAME) + ":" + SpecValues.string(spec, NAME);
    }

    @Override
    protected String idOf(Nodegroup nodegroup) {
        return nodegroup.clusterName() + ":" + nodegroup.nodegroupName();
    }

    @Override
    protected List<LiveResource> readStack(String stack) {
        List<String> ids = ParallelReads.each(describeClusters().stream()
                        .filter(cluster -> stack.equals(cluster.tags().get(STACK_TAG))).toList(),
                cluster -> ProviderSupport.unless(this::isGone, () -> Optional.of(call("ListNodegroups",
                        () -> eks().listNodegroupsPaginator(b -> b.clusterName(cluster.name())).nodegroups().stream()
                                .map(name -> cluster.name() + ":" + name).toList())))).stream()
                .flatMap(List::stream).toList();
        return readIds(ids);
    }

    @Override
    protected Optional<Nodegroup> describe(String id) {
        String[] key = split(id);
        return ProviderSupport.unless(this::isGone, () -> Optional.of(call("DescribeNodegroup",
                () -> eks().describeNodegroup(b -> b.clusterName(key[0]).nodegroupName(key[1]))).nodegroup()));
    }

    /** {@code <cluster>:<nodegroup>} as {cluster, nodegroup}. */
    private static String[] split(String id) {
        int colon = id.indexOf(':');
        if (colon <= 0 || colon == id.length() - 1) {
            throw new ProviderException(id, "not a node group id (<cluster>:<nodegroup>): " + id);
        }
        return new String[] {id.substring(0, colon), id.substring(colon + 1)};
    }

    @Override
    protected String statusOf(Nodegroup nodegroup) {
        return nodegroup.statusAsString();
    }

    @Override
    protected List<String> issuesOf(Nodegroup nodegroup) {
        return nodegroup.health() == null ? List.of() : nodegroup.health().issues().stream()
                .map(i -> i.codeAsString() + ": " + i.message() + (i.resourceIds().isEmpty() ? "" : " " + i.resourceIds()))
                .toList();
    }

    @Override
    protected String arnOf(Nodegroup nodegroup) {
        return nodegroup.nodegroupArn();
    }

    @Override
    protected Map<String, String> tagsOf(Nodegroup nodegroup) {
        return nodegroup.tags();
    }

    @Override
    protected Map<String, Object> attributesOf(Nodegroup n) {
        Map<String, Object> a = new TreeMap<>();
        a.put(CLUSTER_NAME, n.clusterName());
        a.put(NAME, n.nodegroupName());
        putIfPresent(a, NODE_ROLE_ARN, n.nodeRole());
        a.put(SUBNET_IDS, List.copyOf(n.subnets()));
        a.put(INSTANCE_TYPES, List.copyOf(n.instanceTypes()));
        putIfPresent(a, AMI_TYPE, n.amiTypeAsString());
        NodegroupScalingConfig scaling = n.scalingConfig();
        if (scaling != null) {
            putIfPresent(a, MIN_SIZE, toLong(scaling.minSize()));
            putIfPresent(a, MAX_SIZE, toLong(scaling.maxSize()));
            putIfPresent(a, DESIRED_SIZE, toLong(scaling.desiredSize()));
        }
        if (n.resources() != null) {
            n.resources().autoScalingGroups().stream().map(g -> g.name()).filter(Objects::nonNull).findFirst()
                    .ifPresent(name -> a.put(AUTO_SCALING_GROUP, name));
        }
        return a;
    }

    private static Long toLong(Integer i) {
        return i == null ? null : i.longValue();
    }

    @Override
    protected void submitCreate(ResourceSpec spec, String clientRequestToken) {
        List<String> instanceTypes = SpecValues.strings(spec, INSTANCE_TYPES);
        call("CreateNodegroup", () -> eks().createNodegroup(b -> b
                .clusterName(SpecValues.string(spec, CLUSTER_NAME))
                .nodegroupName(SpecValues.string(spec, NAME))
                .nodeRole(SpecValues.string(spec, NODE_ROLE_ARN))
                .subnets(SpecValues.strings(spec, SUBNET_IDS))
                .instanceTypes(instanceTypes.isEmpty() ? null : instanceTypes)
                .amiType(SpecValues.optionalString(spec, AMI_TYPE))
                .scalingConfig(s -> s.minSize(size(spec, MIN_SIZE)).maxSize(size(spec, MAX_SIZE))
                        .desiredSize(size(spec, DESIRED_SIZE)))
                .tags(spec.tags())
                .clientRequestToken(clientRequestToken)));
    }

    /** A size from the spec; absent leaves EKS's default (or, on update, the current size). */
    private static Integer size(ResourceSpec spec, String name) {
        return spec.attributes().get(name) == null ? null : Math.toIntExact(SpecValues.number(spec, name));
    }

    @Override
    protected void updateAttributes(Nodegroup now, ResourceSpec spec, OperationContext ctx) {
        NodegroupScalingConfig current = now.scalingConfig();
        Integer min = size(spec, MIN_SIZE);
        Integer max = size(spec, MAX_SIZE);
        Integer desired = size(spec, DESIRED_SIZE);
        if (differs(min, current.minSize()) || differs(max, current.maxSize()) || differs(desired, current.desiredSize())) {
            Update update = call("UpdateNodegroupConfig", () -> eks().updateNodegroupConfig(b -> b
                    .clusterName(now.clusterName())
                    .nodegroupName(now.nodegroupName())
                    .scalingConfig(s -> s.minSize(min == null ? current.minSize() : min)
                            .maxSize(max == null ? current.maxSize() : max)
                            .desiredSize(desired == null ? current.desiredSize() : desired))
                    .clientRequestToken(UUID.randomUUID().toString()))).update();
            awaitUpdate(ctx, update, now.clusterName(), now.nodegroupName());
        }
    }

    @Override
    protected void submitDelete(String id) {
        String[] key = split(id);
        call("DeleteNodegroup", () -> eks().deleteNodegroup(b -> b.clusterName(key[0]).nodegroupName(key[1])));
    }
}
