package dev.infra.core.expand;

import dev.infra.core.diag.Diagnostics;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.topology.Data.Cache;
import dev.infra.core.topology.Data.Table;
import dev.infra.core.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What AWS refuses of a stack spread over regions, checked whenever its topology is placed across them (the plans of
 * {@code replicate}, and of every command once the stack has replicas), so that nothing changes in any region:
 * a global cache's Global Datastore and a table's replicas have prerequisites a single-region stack never meets.
 */
final class ReplicationRules {

    /**
     * ElastiCache, "Prerequisites and limitations" of Global Datastores
     * (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/Redis-Global-Datastores-Getting-Started.html): the
     * Regions it lists, by their codes.
     */
    static final Set<String> GLOBAL_DATASTORE_REGIONS = Set.of(
            "af-south-1", "ap-east-1", "ap-south-2", "ap-southeast-3", "ap-southeast-5", "ap-southeast-4", "ap-south-1",
            "ap-northeast-3", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-7", "ap-northeast-1",
            "ca-central-1", "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-west-2", "eu-west-1",
            "eu-south-1", "eu-west-3", "eu-south-2", "eu-north-1", "eu-central-2", "us-gov-west-1", "us-gov-east-1",
            "il-central-1", "me-south-1", "me-central-1", "us-east-1", "us-east-2", "us-west-1", "us-west-2",
            "mx-central-1", "sa-east-1");
    /** The same page: "supported on the following instance families in size large and above". */
    static final Set<String> GLOBAL_DATASTORE_FAMILIES = Set.of("m5", "m6g", "m7g", "r5", "r6g", "r6gd", "r7g", "c7gn");
    static final int MAX_SECONDARIES = 2;
    private static final Set<String> CHINA = Set.of("cn-north-1", "cn-northwest-1");

    private ReplicationRules() {}

    /** Refuses, with every problem at its YAML line, a placed topology AWS would not replicate. */
    static void check(Topology t) {
        Diagnostics diags = new Diagnostics();
        check(t, diags);
        if (diags.hasErrors()) {
            throw new InvalidInputException(diags.all());
        }
    }

    /** Adds to {@code diags} what AWS would not replicate of a placed topology. */
    static void check(Topology t, Diagnostics diags) {
        if (!t.placement().replicated()) {
            return;
        }
        t.caches().values().stream().filter(Cache::global).forEach(c -> globalDatastore(t, c, diags));
        t.tables().values().stream().filter(table -> !table.onDemand()).forEach(table -> provisioned(table, diags));
    }

    private static void globalDatastore(Topology t, Cache c, Diagnostics diags) {
        String path = "caches." + c.name();
        if (!globalNodeType(c.nodeType())) {
            diags.error(c.nodeTypeAt(), path + ".nodeType", "a global cache is an ElastiCache Global Datastore, which"
                    + " needs nodes of the M5, M6g, M7g, R5, R6g, R6gd, R7g or C7gn family in size large and above, not "
                    + c.nodeType() + " (AWS: \"Global replication group is not supported for the node type.\"): use"
                    + " cache.r7g.large, say");
        }
        String primary = t.placement().primary();
        List<String> replicas = t.placement().replicas();
        if (replicas.size() > MAX_SECONDARIES) {
            diags.error(c.at(), path + ".global", "a Global Datastore replicates to at most " + MAX_SECONDARIES
                    + " other regions, and the stack has " + replicas.size() + " replicas (" + String.join(", ", replicas)
                    + "): make the cache regional (global: false), or keep " + MAX_SECONDARIES + " replicas");
        }
        List<String> regions = new ArrayList<>();
        regions.add(primary);
        regions.addAll(replicas);
        List<String> unsupported = regions.stream().filter(r -> !GLOBAL_DATASTORE_REGIONS.contains(r)).toList();
        if (!unsupported.isEmpty()) {
            diags.error(c.at(), path + ".global", "ElastiCache offers Global Datastores in none of "
                    + String.join(", ", unsupported) + ": make the cache regional (global: false)");
        }
        List<String> apart = replicas.stream().filter(r -> CHINA.contains(r) != CHINA.contains(primary)).toList();
        if (!apart.isEmpty()) {
            diags.error(c.at(), path + ".global", "a Global Datastore of " + primary + " cannot reach "
                    + String.join(", ", apart) + ": the China regions replicate only with each other");
        }
    }

    /** A node type of a family Global Datastores support, of size large and above ({@code cache.r7g.large}). */
    static boolean globalNodeType(String nodeType) {
        String[] parts = nodeType.split("\\.");
        return parts.length == 3 && GLOBAL_DATASTORE_FAMILIES.contains(parts[1])
                && (parts[2].equals("large") || parts[2].equals("metal") || parts[2].endsWith("xlarge"));
    }

    /**
     * DynamoDB global tables: "A global table must have throughput capacity configured one of two ways: On-demand
     * capacity mode ... Provisioned capacity mode with auto scaling"
     * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/V2globaltables_reqs_bestpractices.html). infra
     * makes no Application Auto Scaling targets, so it refuses a provisioned table's replicas rather than let AWS fail
     * the replica's creation.
     */
    private static void provisioned(Table table, Diagnostics diags) {
        diags.error(table.billingAt(), "tables." + table.name() + ".billing", "a table of a stack with replicas is a"
                + " DynamoDB global table, whose write capacity must be on demand or auto scaled (AWS: \"Table write"
                + " capacity should either be Pay-Per-Request or AutoScaled\"), and infra does not set up auto scaling:"
                + " use billing: on-demand");
    }
}
