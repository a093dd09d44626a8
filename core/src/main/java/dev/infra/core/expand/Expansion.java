package dev.infra.core.expand;

import dev.infra.core.catalogue.Rule;
import dev.infra.core.diag.Diagnostics;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.model.Address;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.topology.Topology;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

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
    /** The attribute AWS takes each value of once: a VPC's security group names, S3's (global) bucket names. */
    private static final Map<String, String> UNIQUE_NAMES = Map.of("aws_security_group", "groupName", "aws_s3_bucket", "bucket");

    private final Map<String, ResourceSpec> specs = new LinkedHashMap<>();
    /** The address of each resource with a unique name, by its type and that name. */
    private final Map<String, String> named = new HashMap<>();

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

    /**
     * {@code <stack>-<suffix>} as the name of a resource whose names AWS limits by {@code rule}: unchanged when it fits
     * (so a stack already applied keeps its names), else shortened with a hash of the whole name.
     */
    public String name(String suffix, Rule.Text rule) {
        return rule.fit(name(suffix));
    }

    public void add(Address at, String type, String nameSuffix, Map<String, Object> attributes,
                    Set<Address> dependsOn, SourceLocation origin) {
        String address = at.toString();
        Map<String, Object> attrs = new LinkedHashMap<>(attributes);
        Map<String, String> tags = new LinkedHashMap<>(topology.tags());
        tags.put("Name", name(nameSuffix));
        tags.put(TAG_STACK, topology.stack());
        tags.put(TAG_ADDRESS, address);
        if (ACCOUNT_WIDE.contains(type)) {
            tags.put(LiveResource.REGION_TAG, topology.region());
        }
        attrs.put("tags", tags);
        // A user's name can meet one infra gives its own resources (a security group egress-proxy, a bucket lb-logs).
        Object unique = UNIQUE_NAMES.containsKey(type) ? attrs.get(UNIQUE_NAMES.get(type)) : null;
        String taken = unique == null ? null : named.putIfAbsent(type + " " + unique, address);
        if (taken != null) {
            String message = taken + " and " + address + " would both be the " + type + " named " + unique
                    + ": rename the one that is yours";
            Diagnostics both = new Diagnostics();
            both.error(specs.get(taken).origin(), taken, message);
            both.error(origin, address, message);
            throw new InvalidInputException(both.all());
        }
        put(new ResourceSpec(address, type, attrs, texts(dependsOn), origin));
    }

    public void add(Address address, String type, String nameSuffix, Map<String, Object> attributes, SourceLocation origin) {
        add(address, type, nameSuffix, attributes, Set.of(), origin);
    }

    /** A resource AWS cannot tag (an alias, an association, a record): found through state and its natural key. */
    public void addUntagged(Address address, String type, Map<String, Object> attributes, Set<Address> dependsOn,
                            SourceLocation origin) {
        put(new ResourceSpec(address.toString(), type, attributes, texts(dependsOn), origin));
    }

    private void put(ResourceSpec spec) {
        if (specs.put(spec.address(), spec) != null) {
            throw new IllegalStateException("two resources expand to " + spec.address());
        }
    }

    private static Set<String> texts(Set<Address> addresses) {
        Set<String> out = new TreeSet<>();
        addresses.forEach(a -> out.add(a.toString()));
        return out;
    }

    List<ResourceSpec> specs() {
        return List.copyOf(specs.values());
    }
}
