package dev.infra.core.stack;

import dev.infra.core.model.Address;
import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.model.Values;
import dev.infra.core.topology.Topology;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code replicate} does to each component, read off the two regions' expansions (so it cannot disagree with
 * the plans): copied as is, renamed (a global name made regional), shared (the primary's is reused), linked (a
 * replica, a replication rule or a routed record tied to the primary's).
 */
public record Rewrite(String primary, String replica, List<Row> rows) {

    public enum How { COPIED, RENAMED, SHARED, LINKED }

    /** One component's resources treated one way; {@code detail} says which and how. */
    public record Row(String component, How how, int count, String detail) {}

    /** What a link type is; and for types that are links only with a ref to the primary, that ref's attribute. */
    private static final Map<String, String> LINKS = Map.of(
            "aws_dynamodb_table_replica", "replica of the global table",
            "aws_kms_replica_key", "replica of the multi-Region key",
            "aws_secretsmanager_secret_replica", "replica of the primary's secret",
            "aws_s3_bucket_replication_rule", "replication rule on the primary's bucket",
            "aws_route53_record", "routed record in the primary's zone",
            "aws_elasticache_replication_group", "secondary of the primary's Global Datastore");
    private static final Map<String, String> LINKED_BY = Map.of(
            "aws_route53_record", "zoneId",
            "aws_elasticache_replication_group", "globalReplicationGroupId");

    static Rewrite of(Collection<ResourceSpec> primarySpecs, Collection<ResourceSpec> replicaSpecs,
                      Topology primary, Topology replica) {
        Map<String, ResourceSpec> p = new LinkedHashMap<>();
        primarySpecs.forEach(s -> p.put(s.address(), s));
        Map<String, ResourceSpec> r = new LinkedHashMap<>();
        replicaSpecs.forEach(s -> r.put(s.address(), s));
        Map<String, Map<How, List<String>>> byComponent = new TreeMap<>();
        Set<String> usedFromPrimary = new TreeSet<>();
        r.values().forEach(s -> Values.refs(s.attributes()).stream().filter(ref -> !ref.local())
                .forEach(ref -> usedFromPrimary.add(ref.address())));
        Set<String> replicaTypes = new TreeSet<>();
        r.values().forEach(s -> replicaTypes.add(s.type()));
        // What the replica lacks is shared when it uses the primary's, or has nothing of the kind (the trail). Else
        // it has its own under another address (a rule naming its own VPC block), counted below as a copy.
        p.values().stream().filter(s -> !r.containsKey(s.address()))
                .filter(s -> usedFromPrimary.contains(s.address()) || !replicaTypes.contains(s.type()))
                .forEach(s -> add(byComponent, s.address(), How.SHARED, s.address() + " (" + primary.region() + "'s)"));
        for (ResourceSpec s : r.values()) {
            ResourceSpec before = p.get(s.address());
            String by = LINKED_BY.get(s.type());
            boolean linked = LINKS.containsKey(s.type())
                    && (by == null || s.attributes().get(by) instanceof Ref ref && !ref.local());
            if (linked) {
                add(byComponent, s.address(), How.LINKED, s.address() + ": " + LINKS.get(s.type()));
            } else if (before != null && !Objects.equals(name(before), name(s))) {
                add(byComponent, s.address(), How.RENAMED, name(before) + " → " + name(s));
            } else {
                add(byComponent, s.address(), How.COPIED, null);
            }
        }
        List<Row> rows = new ArrayList<>();
        byComponent.forEach((component, hows) -> hows.forEach((how, details) -> {
            List<String> named = details.stream().filter(Objects::nonNull).toList();
            String detail = named.isEmpty() ? copiedDetail(component, primary, replica) : String.join("; ", named);
            rows.add(new Row(component, how, details.size(), detail));
        }));
        return new Rewrite(primary.region(), replica.region(), rows);
    }

    /** What differs in a plain copy: the network's block and zones. */
    private static String copiedDetail(String component, Topology primary, Topology replica) {
        if (component.equals("network") && replica.network() != null) {
            return "VPC " + primary.network().cidr() + " → " + replica.network().cidr() + ", zones "
                    + String.join(" ", replica.network().zones());
        }
        return "";
    }

    /** By the address's component: {@code network/subnet.a} → network, {@code bucket.static/replication} → bucket.static. */
    private static void add(Map<String, Map<How, List<String>>> byComponent, String address, How how, String detail) {
        String component = Address.parse(address).component().toString();
        byComponent.computeIfAbsent(component, c -> new TreeMap<>()).computeIfAbsent(how, h -> new ArrayList<>()).add(detail);
    }

    private static Object name(ResourceSpec s) {
        Object bucket = s.attributes().get("bucket");
        return bucket instanceof Ref ? null : bucket != null ? bucket : s.attributes().get("name");
    }
}
