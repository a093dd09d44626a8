package dev.infra.core.expand;

import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.model.Address;
import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.HeldData;
import dev.infra.core.state.Json;
import dev.infra.core.topology.Data.Bucket;
import dev.infra.core.topology.Data.Cache;
import dev.infra.core.topology.Data.Index;
import dev.infra.core.topology.Data.Key;
import dev.infra.core.topology.Data.LifecycleRule;
import dev.infra.core.topology.Data.Service;
import dev.infra.core.topology.Data.Table;
import dev.infra.core.topology.Partition;
import dev.infra.core.topology.Topology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code tables:} → DynamoDB tables (SSE with the stack key, PITR, TTL, deletion protection).
 * {@code caches:} → per cache a security group reachable only from the named clusters' nodes, a
 * subnet group in the private subnets, the AUTH token generated into Secrets Manager, and a Redis
 * replication group encrypted at rest (stack key) and in transit. {@code buckets:} → S3 buckets
 * (SSE-KMS, public access blocked, versioning, lifecycle, the policy log deliveries need).
 * {@code services:} → an instance per service in a private subnet, its data on its own volume.
 */
final class DataExpander implements ComponentExpander {

    static final int REDIS_PORT = 6379;

    /** The S3 name of a topology bucket: given, or {@code <stack>-<name>-<region>}. */
    static String bucketName(Topology t, String name) {
        return t.buckets().get(name).s3Name(t.stack(), t.region(), t.fileRegion(), t.placement());
    }

    @Override
    public void expand(Topology topology, Expansion out) {
        topology.tables().values().forEach(t -> {
            if (topology.replica()) {
                Replication.tableReplica(t, out);
            } else {
                table(t, out);
            }
        });
        topology.buckets().values().forEach(b -> bucket(topology, b, out));
        topology.caches().values().forEach(c -> cache(topology, c, out));
        topology.services().values().forEach(s -> service(topology, s, out));
    }

    private static Map<String, Object> key(Key k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", k.name());
        m.put("type", k.type());
        return m;
    }

    private static void table(Table t, Expansion out) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("name", out.name(t.name()));
        attrs.put("partitionKey", key(t.partitionKey()));
        if (t.sortKey() != null) {
            attrs.put("sortKey", key(t.sortKey()));
        }
        attrs.put("billingMode", t.onDemand() ? "PAY_PER_REQUEST" : "PROVISIONED");
        if (!t.onDemand()) {
            attrs.put("readCapacity", (long) t.readCapacity());
            attrs.put("writeCapacity", (long) t.writeCapacity());
        }
        List<Map<String, Object>> indexes = new ArrayList<>();
        t.indexes().stream().sorted(Comparator.comparing(Index::name)).forEach(i -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", i.name());
            m.put("partitionKey", key(i.partitionKey()));
            if (i.sortKey() != null) {
                m.put("sortKey", key(i.sortKey()));
            }
            m.put("projection", "ALL");
            indexes.add(m);
        });
        attrs.put("globalSecondaryIndexes", indexes);
        attrs.put("pointInTimeRecovery", t.pointInTimeRecovery());
        if (t.ttlAttribute() != null) {
            attrs.put("ttlAttribute", t.ttlAttribute());
        }
        attrs.put("kmsKeyArn", EncryptionExpander.keyArn());
        attrs.put("deletionProtection", t.deletionProtection());
        out.add(Addresses.table(t.name()), "aws_dynamodb_table", "table-" + t.name(), attrs, t.at());
    }

    private static void bucket(Topology t, Bucket b, Expansion out) {
        String name = bucketName(t, b.name());
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("bucket", name);
        attrs.put("kmsKeyArn", EncryptionExpander.keyArn());
        attrs.put("versioning", b.versioning());
        attrs.put("blockPublicAccess", true);
        List<Map<String, Object>> rules = new ArrayList<>(List.of(housekeeping(b.versioning())));
        b.lifecycle().stream().sorted(Comparator.comparing(LifecycleRule::id)).forEach(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", r.id());
            m.put("prefix", r.prefix());
            if (r.storageClass() != null) {
                m.put("transitionDays", (long) r.transitionDays());
                m.put("storageClass", r.storageClass());
            }
            if (r.expirationDays() > 0) {
                m.put("expirationDays", (long) r.expirationDays());
            }
            if (r.noncurrentStorageClass() != null) {
                m.put("noncurrentTransitionDays", (long) r.noncurrentTransitionDays());
                m.put("noncurrentStorageClass", r.noncurrentStorageClass());
            }
            if (r.noncurrentExpirationDays() > 0) {
                m.put("noncurrentExpirationDays", (long) r.noncurrentExpirationDays());
            }
            rules.add(m);
        });
        rules.sort(Comparator.comparing(r -> String.valueOf(r.get("id"))));
        attrs.put("lifecycleRules", rules);
        attrs.put(HeldData.FORCE_DESTROY, b.forceDestroy());
        if (t.monitoring() != null && b.name().equals(t.monitoring().trailBucket())) {
            attrs.put("policy", cloudTrailPolicy(t, name));
        }
        out.add(Addresses.bucket(b.name()), "aws_s3_bucket", "bucket-" + b.name(), attrs, b.at());
        Replication.bucket(b, Addresses.bucket(b.name()), out);
    }

    /**
     * What CloudTrail needs to deliver, and only for the stack's trail (AWS CloudTrail User Guide, "Amazon S3 bucket
     * policy for CloudTrail"): both statements conditioned on the trail's ARN (aws:SourceArn), the writes confined to
     * {@code AWSLogs/<account>/}.
     */
    static String cloudTrailPolicy(Topology t, String bucket) {
        Partition partition = Partition.of(t.region());
        Map<String, Object> principal = Map.of("Service", partition.servicePrincipal("cloudtrail"));
        String trail = partition.arn("cloudtrail", t.placement().primary(), ResourceSpec.ACCOUNT,
                "trail/" + MonitoringExpander.trailName(t));
        String arn = partition.arn("s3", "", "", bucket);
        List<Object> statements = List.of(
                new TreeMap<>(Map.of("Sid", "AWSCloudTrailAclCheck", "Effect", "Allow", "Principal", principal,
                        "Action", "s3:GetBucketAcl", "Resource", arn,
                        "Condition", Map.of("StringEquals", Map.of("aws:SourceArn", trail)))),
                new TreeMap<>(Map.of("Sid", "AWSCloudTrailWrite", "Effect", "Allow", "Principal", principal,
                        "Action", "s3:PutObject", "Resource", arn + "/AWSLogs/" + ResourceSpec.ACCOUNT + "/*",
                        "Condition", Map.of("StringEquals", new TreeMap<>(Map.of("s3:x-amz-acl", "bucket-owner-full-control",
                                "aws:SourceArn", trail))))));
        return canonicalJson(new TreeMap<>(Map.of("Version", "2012-10-17", "Statement", statements)));
    }

    /** How many days an unfinished multipart upload's parts are kept before S3 aborts it (billed, invisible meanwhile). */
    static final long ABORT_UPLOADS_DAYS = 7;

    /**
     * The rule every bucket infra makes gets, whatever its own: incomplete multipart uploads are aborted, and in a
     * versioned bucket a delete marker left with no versions behind it (expired delete markers) is removed.
     */
    static Map<String, Object> housekeeping(boolean versioned) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "infra-housekeeping");
        m.put("prefix", "");
        m.put("abortIncompleteUploadsDays", ABORT_UPLOADS_DAYS);
        if (versioned) {
            m.put("expiredDeleteMarkers", true);
        }
        return m;
    }

    /** Compact JSON with sorted keys: the form policies are compared in. */
    static String canonicalJson(Object value) {
        try {
            return Json.COMPACT.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void cache(Topology t, Cache c, Expansion out) {
        Address p = Addresses.cache(c.name());
        Address sg = p.child("security-group");
        Address subnetGroup = p.child("subnet-group");
        Address authToken = Addresses.authToken(c.name());
        Address global = p.child("global");
        SecurityGroups.group(out, sg, "cache-" + c.name(), "Redis " + c.name() + ": from the cluster nodes only", Set.of(), c.at());
        for (String cluster : c.clientsFrom()) {
            SecurityGroups.rule(out, sg, "ingress", "tcp", REDIS_PORT, REDIS_PORT,
                    Ref.to(Addresses.eksCluster(cluster), "clusterSecurityGroupId"), "nodes of cluster " + cluster, c.at());
        }
        out.add(subnetGroup, "aws_elasticache_subnet_group", "cache-" + c.name(), Map.of(
                "name", out.name(c.name()),
                "description", "infra stack " + t.stack() + " cache " + c.name(),
                "subnetIds", Instances.subnets("private", t.network().zones())), c.at());
        boolean secondary = c.global() && t.replica();
        if (secondary) {
            // The secondary takes the primary's AUTH token: its region's clients read that token from a replica of
            // the primary's secret (Secrets Manager replication, with this region's key), never a token of its own.
            out.addUntagged(authToken, "aws_secretsmanager_secret_replica", Map.of(
                    "secretArn", Ref.in(t.placement().primary(), authToken, "arn"),
                    "kmsKeyId", EncryptionExpander.keyArn()), Set.of(), c.at());
        } else {
            out.add(authToken, "aws_secretsmanager_secret", "cache-" + c.name() + "-auth-token", Map.of(
                    "name", "infra/" + t.stack() + "/" + c.name() + "/redis-auth-token",
                    "description", "AUTH token of the Redis cache " + c.name() + " (generated; never leaves AWS)",
                    "kmsKeyId", EncryptionExpander.keyArn(),
                    "generatedLength", 64L), c.at());
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("replicationGroupId", out.name(c.name(), AwsRules.REPLICATION_GROUP));
        g.put("description", "infra stack " + t.stack() + " cache " + c.name());
        g.put("engine", "redis");
        g.put("engineVersion", c.engineVersion());
        g.put("nodeType", c.nodeType());
        g.put("numCacheClusters", (long) (1 + c.replicas()));
        g.put("automaticFailover", c.replicas() > 0);
        g.put("multiAz", c.replicas() > 0);
        g.put("subnetGroupName", Ref.id(subnetGroup));
        g.put("securityGroupIds", List.of(Ref.id(sg)));
        g.put("atRestEncryption", true);
        g.put("kmsKeyId", EncryptionExpander.keyArn());
        g.put("transitEncryption", true);
        if (secondary) {
            // A secondary takes its engine, version, node type and AUTH token from the Global Datastore.
            g.put("globalReplicationGroupId", Ref.in(t.placement().primary(), global, "globalReplicationGroupId"));
        } else {
            g.put("authTokenSecretArn", Ref.id(authToken));
        }
        out.add(Addresses.replicationGroup(c.name()), "aws_elasticache_replication_group", "cache-" + c.name(), g, c.at());
        if (c.global() && t.placement().replicated() && !t.replica()) {
            out.addUntagged(global, "aws_elasticache_global_replication_group", Map.of(
                    "globalReplicationGroupIdSuffix", out.name(c.name(), AwsRules.REPLICATION_GROUP),
                    "primaryReplicationGroupId", Ref.id(Addresses.replicationGroup(c.name())),
                    "description", "infra stack " + t.stack() + " cache " + c.name() + " across regions"), Set.of(), c.at());
        }
    }

    private static void service(Topology t, Service s, Expansion out) {
        Address p = Addresses.service(s.name());
        Address sg = p.child("security-group");
        Address template = p.child("launch-template");
        SecurityGroups.group(out, sg, "service-" + s.name(), "service " + s.name(), Set.of(), s.at());
        for (int port : s.ports()) {
            SecurityGroups.rule(out, sg, "ingress", "tcp", port, port, t.network().cidr(), "from the VPC", s.at());
        }
        Instances.launchTemplate(out, template, "service-" + s.name(), s.ami(), s.instanceType(),
                serviceUserData(s), List.of(Ref.id(sg)), InstanceLogShipping.Source.containers(), s.at());
        Instances.serverWithVolume(out, Addresses.instance(s.name()), p.child("data"), p.child("data-attachment"),
                "service-" + s.name(), template, s.instanceType(), t.region(), s.zone(), s.volumeSize(), s.at());
    }

    /** Where the official images keep their data; other images get /data. */
    static final Map<String, String> DATA_PATHS = Map.of(
            "prometheus", "/prometheus", "grafana", "/var/lib/grafana", "vault", "/vault/file");

    /** Mounts the data volume and runs the service's container with its data there, restarting always. */
    static String serviceUserData(Service s) {
        String data = "/var/lib/" + s.name();
        StringBuilder ports = new StringBuilder();
        s.ports().forEach(port -> ports.append(" -p ").append(port).append(':').append(port));
        return "#!/bin/bash\nset -euo pipefail\n" + Instances.mountDataVolume(data)
                + "dnf install -y docker\nsystemctl enable --now docker\n"
                + "docker run -d --name " + s.name() + " --restart always -v " + data + ":"
                + DATA_PATHS.getOrDefault(s.name(), "/data") + ports + " " + s.image() + "\n";
    }
}
