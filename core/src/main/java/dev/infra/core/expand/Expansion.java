package dev.infra.core.expand;

import dev.infra.core.diag.SourceLocation;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Collects the resources components expand into, giving each the tags every resource carries:
 * {@code infra:stack}, {@code infra:address}, {@code Name} and the user's tags.
 */
public final class Expansion {

    public static final String TAG_STACK = "infra:stack";
    public static final String TAG_ADDRESS = "infra:address";

    /** Types listed account-wide, not per region: they carry {@link LiveResource#REGION_TAG}. */
    private static final Set<String> ACCOUNT_WIDE = Set.of("aws_s3_bucket", "aws_iam_role", "aws_iam_instance_profile",
            "aws_route53_zone", "aws_route53_health_check");

    private final Topology topology;
    private final Map<String, ResourceSpec> specs = new LinkedHashMap<>();

    Expansion(Topology topology) {
        this.topology = topology;
    }

    public Topology topology() {
        return topology;
    }

    /** {@code <stack>-<suffix>}: the Name tag and, where AWS wants one, the resource name. */
    public String name(String suffix) {
        return topology.stack() + "-" + suffix;
    }

    public void add(String address, String type, String nameSuffix, Map<String, Object> attributes,
                    Set<String> dependsOn, SourceLocation origin) {
        Map<String, Object> attrs = new LinkedHashMap<>(attributes);
        Map<String, String> tags = new LinkedHashMap<>(topology.tags());
        tags.put("Name", name(nameSuffix));
        tags.put(TAG_STACK, topology.stack());
        tags.put(TAG_ADDRESS, address);
        if (ACCOUNT_WIDE.contains(type)) {
            tags.put(LiveResource.REGION_TAG, topology.region());
        }
        attrs.put("tags", tags);
        if (specs.put(address, new ResourceSpec(address, type, attrs, dependsOn, origin)) != null) {
            throw new IllegalStateException("two resources expand to " + address);
        }
    }

    public void add(String address, String type, String nameSuffix, Map<String, Object> attributes, SourceLocation origin) {
        add(address, type, nameSuffix, attributes, Set.of(), origin);
    }

    /** A resource AWS cannot tag (an alias, an association, a record): found through state and its natural key. */
    public void addUntagged(String address, String type, Map<String, Object> attributes, Set<String> dependsOn,
                            SourceLocation origin) {
        if (specs.put(address, new ResourceSpec(address, type, attributes, dependsOn, origin)) != null) {
            throw new IllegalStateException("two resources expand to " + address);
        }
    }

    List<ResourceSpec> specs() {
        return List.copyOf(specs.values());
    }
}
