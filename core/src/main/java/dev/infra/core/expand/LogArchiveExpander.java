package dev.infra.core.expand;

import static dev.infra.core.expand.MonitoringExpander.col;

import dev.infra.core.expand.MonitoringExpander.TableFormat;
import dev.infra.core.model.Address;
import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.Data.LogArchive;
import dev.infra.core.topology.Data.Monitoring;
import dev.infra.core.topology.Partition;
import dev.infra.core.topology.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code monitoring.logArchive} → the region's log archive bucket (SSE-KMS with the stack key, expiring), the VPC's
 * flow logs to it (Parquet, hourly partitions, under {@value #FLOW_FOLDER}), GuardDuty's findings to it (a publishing
 * destination, encrypted with the stack key, under {@value #FINDINGS_FOLDER}), every log group of the stack to it
 * (subscription filters and Firehose, under {@value #GROUPS_FOLDER}), and with {@code athena} a Glue table over each,
 * with partition projection (no crawler): {@code vpc_flow}, {@code guardduty} and {@code cloudwatch}.
 *
 * <p>The prefix scheme is the services' own under a folder per source: {@code vpc-flow-logs/AWSLogs/<account>/
 * vpcflowlogs/<region>/yyyy/MM/dd/HH/} (Amazon VPC User Guide, "Flow log files"), {@code guardduty/AWSLogs/<account>/
 * GuardDuty/<region>/yyyy/MM/dd/} (GuardDuty User Guide, "Exporting generated findings to Amazon S3"),
 * {@code cloudwatch/<group>/yyyy/MM/dd/} (the delivery streams' prefix). Each region
 * writes to its own bucket, and its Glue tables (Glue is regional) read that bucket and say the region.
 */
final class LogArchiveExpander implements ComponentExpander {

    static final Address BUCKET = Addresses.MONITORING.child("log-archive");
    static final Address FLOW_LOG = Addresses.MONITORING.child("flow-log");
    static final Address FINDINGS = Addresses.MONITORING.child("guardduty-destination");
    static final String FLOW_FOLDER = "vpc-flow-logs/";
    static final String FINDINGS_FOLDER = "guardduty";
    /** The first hour partition projection offers: before any stack of this tool wrote a log. */
    static final String PROJECTION_START = "2024/01/01";

    @Override
    public void expand(Topology t, Expansion out) {
        Monitoring m = t.monitoring();
        if (m == null || m.logArchive() == null) {
            return;
        }
        LogArchive l = m.logArchive();
        String bucket = bucketName(t);
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("bucket", bucket);
        a.put("kmsKeyArn", EncryptionExpander.keyArn());
        a.put("versioning", false);
        a.put("blockPublicAccess", true);
        a.put("lifecycleRules", List.of(Map.of("id", "expire-logs", "prefix", "", "expirationDays", (long) l.expirationDays()),
                DataExpander.housekeeping(false)));
        String policy = policy(t, bucket);
        if (policy != null) {
            a.put("policy", policy);
        }
        out.add(BUCKET, "aws_s3_bucket", "logs", a, l.at());
        Partition partition = Partition.of(t.region());
        if (flowLogs(t)) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("resourceId", Ref.id(Addresses.VPC));
            f.put("trafficType", "ALL");
            f.put("logDestinationType", "s3");
            f.put("logDestination", partition.arn("s3", "", "", bucket + "/" + FLOW_FOLDER));
            f.put("maxAggregationInterval", 600L);
            f.put("destinationOptions", Map.of("fileFormat", "parquet", "hiveCompatiblePartitions", false,
                    "perHourPartition", true));
            out.add(FLOW_LOG, "aws_flow_log", "flow-log", f, Set.of(BUCKET), l.at());
        }
        if (findings(t)) {
            // The region's detector is borrowed (another stack may hold it): the destination, the stack's own, names
            // no detector id; its provider finds the region's detector.
            out.addUntagged(FINDINGS, "aws_guardduty_publishing_destination", Map.of(
                    "destinationType", "S3",
                    "destinationArn", partition.arn("s3", "", "", bucket + "/" + FINDINGS_FOLDER),
                    "kmsKeyArn", EncryptionExpander.keyArn()), Set.of(BUCKET, MonitoringExpander.GUARDDUTY), l.at());
        }
        if (logGroups(t)) {
            logGroups(t, l, bucket, out);
        }
        if (m.athenaBucket() != null) {
            tables(t, m, bucket, out);
        }
    }

    static boolean logGroups(Topology t) {
        return t.monitoring().logArchive().logGroups() && !groups(t).isEmpty();
    }

    /** The stack's log groups by their short name ({@code monitoring.logGroups}'s keys, {@code log-search}), and addresses. */
    static Map<String, Address> groups(Topology t) {
        Map<String, Address> out = new TreeMap<>();
        t.monitoring().logGroups().keySet().forEach(name -> out.put(name, MonitoringExpander.logGroup(name)));
        if (t.monitoring().logSearch() != null && t.monitoring().logSearch().publishLogs()) {
            out.put("log-search", MonitoringExpander.SEARCH_LOG_GROUP);
        }
        return out;
    }

    static final Address FIREHOSE_ROLE = BUCKET.child("firehose-role");
    static final Address LOGS_ROLE = BUCKET.child("logs-role");
    static final String GROUPS_FOLDER = "cloudwatch";

    /** The delivery stream of a log group: {@code <stack>-logs-<group>}. */
    static String streamName(Topology t, String group) {
        return t.stack() + "-logs-" + group;
    }

    /**
     * Every log group of the stack to the archive: a subscription filter (every event) to a Firehose delivery stream of
     * its own, which decompresses CloudWatch Logs' gzipped records, writes one JSON document a line and compresses the
     * files with GZIP, under {@code cloudwatch/<group>/yyyy/MM/dd/} (CloudWatch Logs User Guide, "Subscription filters
     * with Amazon Data Firehose"; Firehose Developer Guide, "Decompress CloudWatch Logs"). One stream a group, so the
     * group is a folder Athena projects as a partition. The roles (CloudWatch Logs → Firehose, Firehose → S3 and the
     * key) are global: replicas use the primary's, so they name every region's buckets and the stack's streams in any
     * region.
     */
    private static void logGroups(Topology t, LogArchive l, String bucket, Expansion out) {
        Partition partition = Partition.of(t.region());
        List<String> regions = new ArrayList<>(List.of(t.placement().primary()));
        regions.addAll(t.placement().replicas());
        List<String> buckets = regions.stream()
                .map(r -> partition.arn("s3", "", "", t.placement().unique(LogArchive.bucketName(t.stack(), r)))).toList();
        String streams = partition.arn("firehose", "*", ResourceSpec.ACCOUNT, "deliverystream/" + t.stack() + "-logs-*");
        List<Object> firehose = List.of(
                new TreeMap<>(Map.of("Effect", "Allow", "Action", List.of("s3:AbortMultipartUpload", "s3:GetBucketLocation",
                        "s3:GetObject", "s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:PutObject"),
                        "Resource", buckets.stream().flatMap(b -> List.of(b, b + "/" + GROUPS_FOLDER + "*").stream()).toList())),
                new TreeMap<>(Map.of("Effect", "Allow", "Action", List.of("kms:Decrypt", "kms:GenerateDataKey"),
                        "Resource", "*", "Condition", Map.of("StringLike",
                                Map.of("kms:ViaService", "s3.*." + partition.dnsSuffix())))));
        out.add(FIREHOSE_ROLE, "aws_iam_role", "logs-firehose", Map.of(
                "name", out.name("logs-firehose"),
                "assumeRolePolicy", trust(partition.servicePrincipal("firehose"),
                        Map.of("StringEquals", Map.of("sts:ExternalId", ResourceSpec.ACCOUNT))),
                "managedPolicyArns", List.of(),
                "inlinePolicy", document(firehose)), l.at());
        out.add(LOGS_ROLE, "aws_iam_role", "logs-to-firehose", Map.of(
                "name", out.name("logs-to-firehose"),
                "assumeRolePolicy", trust(partition.servicePrincipal("logs"),
                        Map.of("StringLike", Map.of("aws:SourceArn", partition.arn("logs", "*", ResourceSpec.ACCOUNT, "*")))),
                "managedPolicyArns", List.of(),
                "inlinePolicy", document(List.of(new TreeMap<>(Map.of("Effect", "Allow",
                        "Action", List.of("firehose:PutRecord", "firehose:PutRecordBatch"), "Resource", streams))))), l.at());
        groups(t).forEach((group, address) -> {
            Address stream = BUCKET.child("stream", group);
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("name", streamName(t, group));
            a.put("roleArn", Ref.to(FIREHOSE_ROLE, "arn"));
            a.put("bucketArn", Ref.to(BUCKET, "arn"));
            a.put("prefix", GROUPS_FOLDER + "/" + group + "/!{timestamp:yyyy/MM/dd}/");
            a.put("errorOutputPrefix", GROUPS_FOLDER + "-errors/" + group + "/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/");
            a.put("compressionFormat", "GZIP");
            a.put("kmsKeyArn", EncryptionExpander.keyArn());
            a.put("bufferingSeconds", 300L);
            a.put("bufferingMegabytes", 5L);
            a.put("processors", List.of(
                    Map.of("type", "Decompression", "parameters", Map.of("CompressionFormat", "GZIP")),
                    Map.of("type", "AppendDelimiterToRecord", "parameters", Map.of())));
            out.add(stream, "aws_kinesis_firehose_delivery_stream", "logs-" + group, a, l.at());
            out.addUntagged(address.child("subscription"), "aws_cloudwatch_log_subscription_filter", Map.of(
                    "logGroupName", Ref.id(address),
                    "name", "infra-log-archive",
                    "filterPattern", "",
                    "destinationArn", Ref.to(stream, "arn"),
                    "roleArn", Ref.to(LOGS_ROLE, "arn")), Set.of(), l.at());
        });
    }

    private static String trust(String service, Map<String, Object> condition) {
        return document(List.of(new TreeMap<>(Map.of("Effect", "Allow", "Principal", Map.of("Service", service),
                "Action", "sts:AssumeRole", "Condition", condition))));
    }

    private static String document(List<Object> statements) {
        return DataExpander.canonicalJson(new TreeMap<>(Map.of("Version", "2012-10-17", "Statement", statements)));
    }

    static String bucketName(Topology t) {
        return t.placement().unique(LogArchive.bucketName(t.stack(), t.region()));
    }

    static boolean flowLogs(Topology t) {
        return t.monitoring().logArchive().flowLogs() && t.network() != null;
    }

    static boolean findings(Topology t) {
        return t.monitoring().logArchive().guardDutyFindings() && t.monitoring().guardDutyFrequency() != null;
    }

    /**
     * Who may write the archive: the log delivery service for the VPC's flow logs (Amazon VPC User Guide, "Amazon S3
     * bucket permissions for flow logs"), and GuardDuty for its findings (GuardDuty User Guide, "Exporting generated
     * findings to Amazon S3", step "Attach a policy to the bucket"): GetBucketLocation on the bucket, PutObject under
     * its folder, for this account's detectors in the region only (aws:SourceAccount, aws:SourceArn). The detector is
     * borrowed, so its id is not known when the bucket is made: the source ARN is the region's detectors in the account.
     */
    static String policy(Topology t, String bucket) {
        List<Object> statements = new ArrayList<>();
        if (flowLogs(t)) {
            statements.addAll(EdgeExpander.logDeliveryStatements(t, bucket, FLOW_FOLDER));
        }
        if (findings(t)) {
            Partition partition = Partition.of(t.region());
            Map<String, Object> principal = Map.of("Service", partition.servicePrincipal("guardduty"));
            Map<String, Object> condition = Map.of(
                    "StringEquals", Map.of("aws:SourceAccount", ResourceSpec.ACCOUNT),
                    "ArnLike", Map.of("aws:SourceArn", partition.arn("guardduty", t.region(), ResourceSpec.ACCOUNT, "detector/*")));
            String arn = partition.arn("s3", "", "", bucket);
            statements.add(new TreeMap<>(Map.of("Sid", "GuardDutyGetBucketLocation", "Effect", "Allow", "Principal", principal,
                    "Action", "s3:GetBucketLocation", "Resource", arn, "Condition", condition)));
            statements.add(new TreeMap<>(Map.of("Sid", "GuardDutyPutObject", "Effect", "Allow", "Principal", principal,
                    "Action", "s3:PutObject", "Resource", arn + "/" + FINDINGS_FOLDER + "/*", "Condition", condition)));
        }
        return statements.isEmpty() ? null : document(statements);
    }

    /** The default flow log record (version 2) as Parquet columns: the field names with '-' as '_'. */
    static final List<Map<String, Object>> FLOW_COLUMNS = List.of(
            col("version", "int"), col("account_id", "string"), col("interface_id", "string"), col("srcaddr", "string"),
            col("dstaddr", "string"), col("srcport", "int"), col("dstport", "int"), col("protocol", "bigint"),
            col("packets", "bigint"), col("bytes", "bigint"), col("start", "bigint"), col("end", "bigint"),
            col("action", "string"), col("log_status", "string"));

    /** The finding's top-level fields, nested ones as JSON text (Athena User Guide, "Query Amazon GuardDuty findings"). */
    static final List<Map<String, Object>> FINDING_COLUMNS = List.of(
            col("schemaversion", "string"), col("accountid", "string"), col("region", "string"), col("partition", "string"),
            col("id", "string"), col("arn", "string"), col("type", "string"), col("resource", "string"),
            col("service", "string"), col("severity", "string"), col("createdat", "string"), col("updatedat", "string"),
            col("title", "string"), col("description", "string"));

    static final TableFormat PARQUET = new TableFormat("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe", Map.of());

    /** The records CloudWatch Logs sends a subscription (CloudWatch Logs User Guide, "Subscription filters"), decompressed. */
    static final List<Map<String, Object>> LOG_RECORD_COLUMNS = List.of(
            col("messagetype", "string"), col("owner", "string"), col("loggroup", "string"), col("logstream", "string"),
            col("subscriptionfilters", "array<string>"),
            col("logevents", "array<struct<id:string,timestamp:bigint,message:string>>"));

    private static void tables(Topology t, Monitoring m, String bucket, Expansion out) {
        if (logGroups(t)) {
            String location = "s3://" + bucket + "/" + GROUPS_FOLDER + "/";
            Map<String, Object> p = new TreeMap<>(projection("day", location + "${group}/", "yyyy/MM/dd", PROJECTION_START,
                    "DAYS"));
            p.put("projection.group.type", "enum");
            p.put("projection.group.values", String.join(",", groups(t).keySet()));
            MonitoringExpander.glueTable(out, "cloudwatch", location, LOG_RECORD_COLUMNS,
                    List.of(col("group", "string"), col("day", "string")), TableFormat.JSON, p, Set.of(BUCKET), m);
        }
        if (flowLogs(t)) {
            String location = "s3://" + bucket + "/" + FLOW_FOLDER + "AWSLogs/" + ResourceSpec.ACCOUNT + "/vpcflowlogs/"
                    + t.region() + "/";
            MonitoringExpander.glueTable(out, "vpc_flow", location, FLOW_COLUMNS, List.of(col("hour", "string")), PARQUET,
                    projection("hour", location, "yyyy/MM/dd/HH", PROJECTION_START + "/00", "HOURS"), Set.of(BUCKET), m);
        }
        if (findings(t)) {
            String location = "s3://" + bucket + "/" + FINDINGS_FOLDER + "/AWSLogs/" + ResourceSpec.ACCOUNT + "/GuardDuty/"
                    + t.region() + "/";
            MonitoringExpander.glueTable(out, "guardduty", location, FINDING_COLUMNS, List.of(col("day", "string")),
                    TableFormat.JSON, projection("day", location, "yyyy/MM/dd", PROJECTION_START, "DAYS"),
                    Set.of(BUCKET), m);
        }
    }

    /**
     * Partition projection over one date partition key (Athena User Guide, "Partition projection with Amazon Athena",
     * the date type): Athena computes the partitions from the key's format and range, so no crawler or MSCK REPAIR is
     * needed; the template is where each partition's files are.
     */
    static Map<String, Object> projection(String key, String location, String format, String start, String unit) {
        Map<String, Object> p = new TreeMap<>();
        p.put("projection.enabled", "true");
        p.put("projection." + key + ".type", "date");
        p.put("projection." + key + ".format", format);
        p.put("projection." + key + ".range", start + ",NOW");
        p.put("projection." + key + ".interval", "1");
        p.put("projection." + key + ".interval.unit", unit);
        p.put("storage.location.template", location + "${" + key + "}");
        return p;
    }
}
