package dev.infra.core.expand;

import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.model.Address;
import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.model.Values;
import dev.infra.core.topology.Data.Bucket;
import dev.infra.core.topology.Data.Table;
import dev.infra.core.topology.Partition;
import dev.infra.core.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How a stack spans regions. A replica region gets links instead of copies where AWS replicates (the primary's
 * tables gain a replica, its bucket a replication rule, its multi-Region key a replica key), and reuses what is
 * global (IAM roles and instance profiles, the public zone, the multi-region trail) through refs to the primary's
 * state. The primary, once it has replicas, gets what those links need (the replication role).
 */
final class Replication {

    /** Global resources a replica reuses from its primary instead of making its own. */
    private static final Set<String> SHARED_TYPES = Set.of("aws_iam_role", "aws_iam_instance_profile");

    private Replication() {}

    /** In a replica, {@code address} of the primary's state; else the region's own. */
    static Ref shared(Topology t, Address address, String attribute) {
        return t.replica() ? Ref.in(t.placement().primary(), address, attribute) : Ref.to(address, attribute);
    }

    /** The replica of the primary's table in this region (DynamoDB global tables, version 2019.11.21). */
    static void tableReplica(Table table, Expansion out) {
        Topology t = out.topology();
        out.addUntagged(Addresses.table(table.name()), "aws_dynamodb_table_replica", Map.of(
                "tableName", out.name(table.name()),
                "sourceRegion", t.placement().primary(),
                "kmsKeyId", EncryptionExpander.keyArn(),
                // Per replica on AWS ("Best practices for global tables"): as the primary's.
                "pointInTimeRecovery", table.pointInTimeRecovery(),
                "deletionProtection", table.deletionProtection()), Set.of(), table.at());
    }

    /**
     * A replicated bucket: in the primary, the role S3 replicates with (one per configuration, so the primary owns
     * it and every replica's rule names it); in a replica, its rule in the primary bucket's configuration.
     */
    static void bucket(Bucket b, Address address, Expansion out) {
        Topology t = out.topology();
        if (!b.replicate() || !t.placement().replicated()) {
            return;
        }
        Address role = address.child("replication-role");
        if (t.replica()) {
            Map<String, Object> rule = new LinkedHashMap<>();
            rule.put("bucket", Ref.in(t.placement().primary(), address, "bucket"));
            rule.put("sourceRegion", t.placement().primary());
            rule.put("ruleId", "infra-" + t.region());
            rule.put("destinationBucketArn", Ref.to(address, "arn"));
            rule.put("roleArn", Ref.in(t.placement().primary(), role, "arn"));
            rule.put("deleteMarkerReplication", true);
            // The bucket encrypts with the stack key: its replicas are encrypted with this region's.
            rule.put("replicaKmsKeyArn", EncryptionExpander.keyArn());
            out.addUntagged(address.child("replication"), "aws_s3_bucket_replication_rule", rule, Set.of(), b.at());
            return;
        }
        Partition partition = Partition.of(t.region());
        String source = partition.arn("s3", "", "", b.s3Name(t.stack(), t.region(), t.fileRegion(), t.placement()));
        List<String> destinations = t.placement().replicas().stream()
                .map(r -> partition.arn("s3", "", "", b.s3Name(t.stack(), r, t.fileRegion(), t.placement()) + "/*")).toList();
        // The S3 User Guide's replication role ("Setting up permissions for live replication"), with KMS for
        // SSE-KMS objects: decrypt at the source, encrypt with each replica region's key.
        List<Object> statements = List.of(
                statement(List.of("s3:GetReplicationConfiguration", "s3:ListBucket"), source),
                statement(List.of("s3:GetObjectVersionAcl", "s3:GetObjectVersionForReplication",
                        "s3:GetObjectVersionTagging"), source + "/*"),
                statement(List.of("s3:ReplicateDelete", "s3:ReplicateObject", "s3:ReplicateTags"), destinations),
                new TreeMap<>(Map.of("Effect", "Allow", "Action", List.of("kms:Decrypt", "kms:Encrypt"), "Resource", "*",
                        "Condition", Map.of("StringLike", Map.of("kms:ViaService", "s3.*." + partition.dnsSuffix())))));
        out.add(role, "aws_iam_role", "bucket-" + b.name() + "-replication", Map.of(
                "name", out.name(b.name() + "-replication-" + t.region(), AwsRules.IAM_ROLE),
                "assumeRolePolicy", replicationTrust(partition, source),
                "managedPolicyArns", List.of(),
                "inlinePolicy", DataExpander.canonicalJson(new TreeMap<>(Map.of("Version", "2012-10-17",
                        "Statement", statements)))), b.at());
    }

    /**
     * S3 may assume the role for this bucket's replication only (S3 User Guide, "Setting up permissions for live
     * replication": aws:SourceArn the source bucket, whose name is unique across accounts).
     */
    static String replicationTrust(Partition partition, String sourceArn) {
        return DataExpander.canonicalJson(new TreeMap<>(Map.of("Version", "2012-10-17", "Statement", List.of(
                new TreeMap<>(Map.of("Effect", "Allow", "Principal", Map.of("Service", partition.servicePrincipal("s3")),
                        "Action", "sts:AssumeRole", "Condition", Map.of("ArnLike", Map.of("aws:SourceArn", sourceArn))))))));
    }

    private static Map<String, Object> statement(List<String> actions, Object resource) {
        return new TreeMap<>(Map.of("Effect", "Allow", "Action", actions, "Resource", resource));
    }

    /**
     * In a replica, drops the global resources the primary already has and points what used them at the primary's:
     * a second copy of an IAM role would be a name clash at best and drift at worst.
     */
    static List<ResourceSpec> shareGlobals(Topology t, List<ResourceSpec> specs) {
        if (!t.replica()) {
            return specs;
        }
        Set<String> shared = new TreeSet<>();
        specs.stream().filter(s -> SHARED_TYPES.contains(s.type())).forEach(s -> shared.add(s.address()));
        List<ResourceSpec> out = new ArrayList<>();
        for (ResourceSpec s : specs) {
            if (shared.contains(s.address())) {
                continue;
            }
            Map<String, Object> attrs = Values.resolve(s.attributes(), r -> r.local() && shared.contains(r.address())
                    ? Ref.in(t.placement().primary(), r.address(), r.attribute()) : r);
            Set<String> dependsOn = new TreeSet<>(s.dependsOn());
            dependsOn.removeAll(shared);
            out.add(new ResourceSpec(s.address(), s.type(), attrs, dependsOn, s.origin()));
        }
        return out;
    }
}
