package dev.infra.core.expand;

import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.model.Address;
import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.Data.LoadBalancerLogs;
import dev.infra.core.topology.Data.LogSearch;
import dev.infra.core.topology.Data.Monitoring;
import dev.infra.core.topology.Network.NatGateways;
import dev.infra.core.topology.Partition;
import dev.infra.core.topology.Topology;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code monitoring:} → a multi-region CloudTrail trail (log file validation, stack key) to its
 * bucket; CloudWatch log groups (retention, stack key); an SNS topic and alarms on NAT gateway
 * errors, ALB 5xx and group capacity; the region's GuardDuty detector; the ELK stack as an
 * OpenSearch domain in the private subnets; the load balancers' access log bucket (see
 * {@link LoadBalancerLogging}); an Athena workgroup with encrypted results and a Glue database with tables over the
 * CloudTrail, WAF and ALB logs.
 */
final class MonitoringExpander implements ComponentExpander {

    static final Address TOPIC = Addresses.MONITORING.child("alarm-topic");
    static final String HIVE_OUTPUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";

    @Override
    public void expand(Topology t, Expansion out) {
        Monitoring m = t.monitoring();
        if (m == null) {
            return;
        }
        // The primary's trail is multi-region: it already records a replica's calls (and AWS refuses a second trail
        // of the same name where the first one's shadow is).
        if (m.trailBucket() != null && !t.replica()) {
            out.add(Addresses.MONITORING.child("trail"), "aws_cloudtrail_trail", "trail", Map.of(
                    "name", trailName(t),
                    "s3BucketName", Ref.id(Addresses.bucket(m.trailBucket())),
                    "isMultiRegionTrail", true,
                    "logFileValidation", true,
                    "kmsKeyArn", EncryptionExpander.keyArn(),
                    "logging", true), m.at());
        }
        m.logGroups().forEach((name, days) -> out.add(logGroup(name), "aws_cloudwatch_log_group",
                "log-group-" + name, Map.of(
                        "name", "/infra/" + t.stack() + "/" + name,
                        "retentionDays", (long) days,
                        "kmsKeyArn", EncryptionExpander.keyArn()), m.at()));
        if (m.alarms()) {
            alarms(t, m, out);
        }
        if (m.guardDutyFrequency() != null) {
            out.add(GUARDDUTY, "aws_guardduty_detector", "guardduty", Map.of(
                    "enable", true,
                    "findingPublishingFrequency", m.guardDutyFrequency()), m.at());
        }
        if (m.logSearch() != null) {
            logSearch(t, m.logSearch(), m, out);
        }
        if (m.loadBalancerLogs() != null) {
            loadBalancerLogBucket(t, m.loadBalancerLogs(), out);
        }
        if (m.athenaBucket() != null) {
            athena(t, m, out);
        }
        InstanceLogShipping.expand(t, out);
    }

    /**
     * The stack's trail, made in its primary region. A copy in another region ({@code apply --region R}) names its own
     * trail after R: a multi-region trail shows in every region of the account, and AWS refuses a second one of the
     * same name (TrailAlreadyExistsException) where the file region's is applied too.
     */
    static final Address GUARDDUTY = Addresses.MONITORING.child("guardduty");

    static Address logGroup(String name) {
        return Addresses.MONITORING.child("log-group", name);
    }

    static String trailName(Topology t) {
        boolean copy = !t.region().equals(t.fileRegion()) && !t.replica();
        return t.stack() + "-trail" + (copy ? "-" + t.region() : "");
    }

    private static void alarms(Topology t, Monitoring m, Expansion out) {
        out.add(TOPIC, "aws_sns_topic", "alarms", Map.of(
                "name", out.name("alarms"),
                "kmsKeyId", EncryptionExpander.keyArn()), m.at());
        if (t.network() != null && t.network().natGateways() != NatGateways.NONE) {
            List<String> zones = t.network().natGateways() == NatGateways.SINGLE
                    ? t.network().zones().subList(0, 1) : t.network().zones();
            for (String z : zones) {
                alarm(out, "nat-" + z + "-errors", "AWS/NATGateway", "ErrorPortAllocation",
                        Map.of("NatGatewayId", Ref.id(NetworkExpander.natGateway(z))), "Sum", 0, "GreaterThanThreshold", m);
            }
        }
        for (String lb : t.loadBalancers().keySet()) {
            alarm(out, "alb-" + lb + "-5xx", "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count",
                    Map.of("LoadBalancer", Ref.to(Addresses.alb(lb), "arnSuffix")), "Sum", 10, "GreaterThanThreshold", m);
        }
        if (t.egressProxy() != null) {
            alarm(out, "egress-proxy-capacity", "AWS/AutoScaling", "GroupInServiceInstances",
                    Map.of("AutoScalingGroupName", Ref.id(Addresses.EGRESS_PROXY.child("group"))), "Minimum",
                    t.egressProxy().capacity().min(), "LessThanThreshold", m);
        }
        if (t.accessProxy() != null) {
            alarm(out, "access-proxy-capacity", "AWS/AutoScaling", "GroupInServiceInstances",
                    Map.of("AutoScalingGroupName", Ref.id(Addresses.ACCESS_PROXY.child("group"))), "Minimum",
                    t.accessProxy().capacity().min(), "LessThanThreshold", m);
        }
    }

    private static void alarm(Expansion out, String name, String namespace, String metric, Map<String, Object> dimensions,
                              String statistic, long threshold, String comparison, Monitoring m) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", out.name(name));
        a.put("namespace", namespace);
        a.put("metricName", metric);
        a.put("dimensions", dimensions);
        a.put("statistic", statistic);
        a.put("period", 300L);
        a.put("evaluationPeriods", 1L);
        a.put("threshold", threshold);
        a.put("comparisonOperator", comparison);
        a.put("alarmActions", List.of(Ref.id(TOPIC)));
        a.put("treatMissingData", "notBreaching");
        out.add(Addresses.MONITORING.child("alarm", name), "aws_cloudwatch_metric_alarm", "alarm-" + name, a, m.at());
    }

    private static void logSearch(Topology t, LogSearch s, Monitoring m, Expansion out) {
        Address sg = Addresses.LOG_SEARCH.child("security-group");
        SecurityGroups.group(out, sg, "log-search", "OpenSearch: HTTPS from the VPC", Set.of(), m.at());
        SecurityGroups.rule(out, sg, "ingress", "tcp", 443, 443, t.network().cidr(), "HTTPS from the VPC", m.at());
        // One subnet per zone the domain spreads over: two or three zones when it has several nodes.
        int spread = s.instanceCount() > 1 ? Math.min(Math.min(3, s.instanceCount()), t.network().zones().size()) : 1;
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("name", out.name("logs", AwsRules.OPENSEARCH_DOMAIN));
        d.put("engineVersion", s.engineVersion());
        d.put("instanceType", s.instanceType());
        d.put("instanceCount", (long) s.instanceCount());
        d.put("zoneAwareness", spread > 1);
        d.put("subnetIds", Instances.subnets("private", t.network().zones().subList(0, spread)));
        d.put("securityGroupIds", List.of(Ref.id(sg)));
        d.put("ebsVolumeSize", (long) s.volumeSize());
        d.put("encryptAtRest", true);
        d.put("kmsKeyId", EncryptionExpander.keyArn());
        d.put("nodeToNodeEncryption", true);
        d.put("enforceHttps", true);
        d.put("tlsPolicy", "Policy-Min-TLS-1-2-2019-07");
        Set<Address> dependsOn = new HashSet<>(Set.of(Addresses.bucket(s.archiveBucket())));
        Map<String, Object> published = new TreeMap<>();
        if (s.publishLogs()) {
            searchLogs(t, out, m);
            SEARCH_LOG_TYPES.forEach(type -> published.put(type, Ref.to(SEARCH_LOG_GROUP, "arn")));
            dependsOn.add(SEARCH_LOG_POLICY);
        }
        d.put("logPublishing", published);
        // The archive bucket holds the domain's snapshots; infra output prints the registration.
        out.add(Addresses.LOG_SEARCH, "aws_opensearch_domain", "log-search", d, dependsOn, m.at());
        snapshotRole(t, s, out, m);
    }

    static final Address SEARCH_LOG_GROUP = Addresses.LOG_SEARCH.child("log-group");
    static final Address SEARCH_LOG_POLICY = Addresses.LOG_SEARCH.child("log-policy");
    /** The logs a domain publishes besides audit logs (which need fine-grained access control). */
    static final List<String> SEARCH_LOG_TYPES = List.of("ES_APPLICATION_LOGS", "INDEX_SLOW_LOGS", "SEARCH_SLOW_LOGS");
    static final long SEARCH_LOG_RETENTION_DAYS = 30;

    /** The domain's log group. */
    static String searchLogGroupName(Topology t) {
        return "/infra/" + t.stack() + "/log-search";
    }

    /**
     * The domain's log group (the stack key) and what lets OpenSearch Service write to it (OpenSearch Service Developer
     * Guide, "Monitoring OpenSearch logs with Amazon CloudWatch Logs": a CloudWatch Logs resource policy letting
     * es.amazonaws.com CreateLogStream and PutLogEvents in the group, for this account's domain only, by aws:SourceAccount
     * and aws:SourceArn).
     */
    private static void searchLogs(Topology t, Expansion out, Monitoring m) {
        String group = searchLogGroupName(t);
        out.add(SEARCH_LOG_GROUP, "aws_cloudwatch_log_group", "log-search-logs", Map.of(
                "name", group,
                "retentionDays", SEARCH_LOG_RETENTION_DAYS,
                "kmsKeyArn", EncryptionExpander.keyArn()), m.at());
        Partition partition = Partition.of(t.region());
        Map<String, Object> statement = new TreeMap<>(Map.of("Sid", "OpenSearchLogs", "Effect", "Allow",
                "Principal", Map.of("Service", partition.servicePrincipal("es")),
                "Action", List.of("logs:CreateLogStream", "logs:PutLogEvents"),
                "Resource", partition.arn("logs", t.region(), ResourceSpec.ACCOUNT, "log-group:" + group + ":*"),
                "Condition", Map.of("StringEquals", Map.of("aws:SourceAccount", ResourceSpec.ACCOUNT),
                        "ArnLike", Map.of("aws:SourceArn", partition.arn("es", t.region(), ResourceSpec.ACCOUNT,
                                "domain/" + out.name("logs"))))));
        out.addUntagged(SEARCH_LOG_POLICY, "aws_cloudwatch_log_resource_policy", Map.of(
                "name", out.name("log-search"),
                "policyDocument", DataExpander.canonicalJson(new TreeMap<>(Map.of("Version", "2012-10-17",
                        "Statement", List.of(statement))))), Set.of(SEARCH_LOG_GROUP), m.at());
    }

    /**
     * The role OpenSearch writes its manual snapshots to the archive bucket with (OpenSearch Service Developer Guide,
     * "Creating index snapshots": trusted by es.amazonaws.com; s3:ListBucket on the bucket, Get/Put/DeleteObject in
     * it; the stack key through S3 only, the bucket being SSE-KMS). The repository itself is registered in the domain
     * (a signed _snapshot request from inside the VPC): {@code infra output log_search_snapshot_registration}. Every
     * region's archive bucket, as replicas share the primary's roles.
     */
    private static void snapshotRole(Topology t, LogSearch s, Expansion out, Monitoring m) {
        List<String> regions = new ArrayList<>(List.of(t.placement().primary()));
        regions.addAll(t.placement().replicas());
        Partition partition = Partition.of(t.region());
        List<String> buckets = regions.stream().map(r -> partition.arn("s3", "", "", t.buckets().get(s.archiveBucket())
                .s3Name(t.stack(), r, t.fileRegion(), t.placement()))).toList();
        List<Object> statements = List.of(
                new TreeMap<>(Map.of("Effect", "Allow", "Action", List.of("s3:ListBucket"), "Resource", buckets)),
                new TreeMap<>(Map.of("Effect", "Allow", "Action", List.of("s3:DeleteObject", "s3:GetObject", "s3:PutObject"),
                        "Resource", buckets.stream().map(b -> b + "/*").toList())),
                new TreeMap<>(Map.of("Effect", "Allow", "Action", List.of("kms:Decrypt", "kms:GenerateDataKey"),
                        "Resource", "*", "Condition", Map.of("StringLike", Map.of("kms:ViaService", "s3.*." + partition.dnsSuffix())))));
        out.add(Addresses.SNAPSHOT_ROLE, "aws_iam_role", "log-search-snapshots", Map.of(
                "name", out.name("log-search-snapshots", AwsRules.IAM_ROLE),
                "assumeRolePolicy", ClusterExpander.trust(partition.servicePrincipal("es")),
                "managedPolicyArns", List.of(),
                "inlinePolicy", DataExpander.canonicalJson(new TreeMap<>(Map.of("Version", "2012-10-17",
                        "Statement", statements)))), m.at());
    }

    /** SSE-S3 (no kmsKeyArn): the only encryption ALB log delivery supports. Each region has its own. */
    private static void loadBalancerLogBucket(Topology t, LoadBalancerLogs l, Expansion out) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("bucket", LoadBalancerLogging.bucketName(t));
        a.put("versioning", false);
        a.put("blockPublicAccess", true);
        a.put("lifecycleRules", List.of(Map.of("id", "expire-logs", "prefix", "", "expirationDays", (long) l.expirationDays()),
                DataExpander.housekeeping(false)));
        a.put("policy", LoadBalancerLogging.policy(t));
        out.add(LoadBalancerLogging.BUCKET, "aws_s3_bucket", "lb-logs", a, l.at());
    }

    private static void athena(Topology t, Monitoring m, Expansion out) {
        String results = DataExpander.bucketName(t, m.athenaBucket());
        out.add(Addresses.ATHENA_WORKGROUP, "aws_athena_workgroup", "athena", Map.of(
                "name", out.name("logs"),
                "outputLocation", "s3://" + results + "/athena-results/",
                "kmsKeyArn", EncryptionExpander.keyArn(),
                "enforceConfiguration", true), Set.of(Addresses.bucket(m.athenaBucket())), m.at());
        String database = t.stack().replace('-', '_') + "_logs";
        out.addUntagged(Addresses.GLUE_DATABASE, "aws_glue_catalog_database", Map.of(
                "name", database,
                "description", "infra stack " + t.stack() + ": every log, queryable with Athena"), Set.of(), m.at());
        if (m.trailBucket() != null) {
            String trailBucket = t.buckets().get(m.trailBucket()).s3Name(t.stack(), t.placement().primary(), t.fileRegion(),
                    t.placement());
            glueTable(out, "cloudtrail", "s3://" + trailBucket + "/AWSLogs/",
                    List.of(col("eventversion", "string"), col("useridentity", "struct<type:string,principalid:string,arn:string,accountid:string>"),
                            col("eventtime", "string"), col("eventsource", "string"), col("eventname", "string"),
                            col("awsregion", "string"), col("sourceipaddress", "string"), col("useragent", "string"),
                            col("errorcode", "string"), col("errormessage", "string"), col("requestparameters", "string"),
                            col("responseelements", "string"), col("requestid", "string"), col("eventid", "string"),
                            col("readonly", "string"), col("eventtype", "string"), col("recipientaccountid", "string")),
                    new TableFormat("com.amazon.emr.cloudtrail.CloudTrailInputFormat", HIVE_OUTPUT,
                            "com.amazon.emr.hive.serde.CloudTrailSerde", Map.of()),
                    Set.of(Addresses.bucket(m.trailBucket())), m);
        }
        if (t.firewall() != null) {
            glueTable(out, "waf", "s3://" + t.firewall().logBucket(t) + "/AWSLogs/",
                    List.of(col("timestamp", "bigint"), col("formatversion", "int"), col("webaclid", "string"),
                            col("terminatingruleid", "string"), col("terminatingruletype", "string"), col("action", "string"),
                            col("httpsourcename", "string"), col("httpsourceid", "string"),
                            col("httprequest", "struct<clientip:string,country:string,uri:string,args:string,httpmethod:string,requestid:string>")),
                    TableFormat.JSON, Set.of(EdgeExpander.WAF_LOG_BUCKET), m);
        }
        if (m.loadBalancerLogs() != null) {
            glueTable(out, "alb", "s3://" + LoadBalancerLogging.bucketName(t) + "/", ALB_COLUMNS,
                    new TableFormat(TEXT_INPUT, HIVE_OUTPUT, "org.apache.hadoop.hive.serde2.RegexSerDe",
                            Map.of("serialization.format", "1", "input.regex", ALB_REGEX)), Set.of(LoadBalancerLogging.BUCKET), m);
        }
    }

    /**
     * The ALB access log entry's fields, in order (Athena User Guide, "Query Application Load Balancer logs"; Elastic
     * Load Balancing User Guide, "Access log entries").
     */
    static final List<Map<String, Object>> ALB_COLUMNS = List.of(
            col("type", "string"), col("time", "string"), col("elb", "string"), col("client_ip", "string"),
            col("client_port", "int"), col("target_ip", "string"), col("target_port", "int"),
            col("request_processing_time", "double"), col("target_processing_time", "double"),
            col("response_processing_time", "double"), col("elb_status_code", "int"), col("target_status_code", "string"),
            col("received_bytes", "bigint"), col("sent_bytes", "bigint"), col("request_verb", "string"),
            col("request_url", "string"), col("request_proto", "string"), col("user_agent", "string"),
            col("ssl_cipher", "string"), col("ssl_protocol", "string"), col("target_group_arn", "string"),
            col("trace_id", "string"), col("domain_name", "string"), col("chosen_cert_arn", "string"),
            col("matched_rule_priority", "string"), col("request_creation_time", "string"),
            col("actions_executed", "string"), col("redirect_url", "string"), col("lambda_error_reason", "string"),
            col("target_port_list", "string"), col("target_status_code_list", "string"), col("classification", "string"),
            col("classification_reason", "string"), col("conn_trace_id", "string"));

    /**
     * One group per column, as the Athena guide's RegexSerDe table has it; fields AWS appends to the entry later are
     * matched by the trailing non-capturing group and left out.
     */
    static final String ALB_REGEX = "([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*):([0-9]*) ([^ ]*)[:-]([0-9]*) ([-.0-9]*) ([-.0-9]*)"
            + " ([-.0-9]*) (|[-0-9]*) (-|[-0-9]*) ([-0-9]*) ([-0-9]*) \"([^ ]*) (.*) (- |[^ ]*)\" \"([^\"]*)\""
            + " ([A-Z0-9-_]+) ([A-Za-z0-9.-]*) ([^ ]*) \"([^\"]*)\" \"([^\"]*)\" \"([^\"]*)\" ([-.0-9]*) ([^ ]*)"
            + " \"([^\"]*)\" \"([^\"]*)\" \"([^ ]*)\" \"([^\\s]+?)\" \"([^\\s]+)\" \"([^ ]*)\" \"([^ ]*)\""
            + " ?([^ ]*)?(?: .*)?";

    static Map<String, Object> col(String name, String type) {
        return Map.of("name", name, "type", type);
    }

    static final String TEXT_INPUT = "org.apache.hadoop.mapred.TextInputFormat";

    /** How a table's files are read: input and output formats, the SerDe and its parameters. */
    record TableFormat(String inputFormat, String outputFormat, String serde, Map<String, Object> serdeParameters) {
        /** One JSON document a line (WAF logs, GuardDuty findings), gzipped or not. */
        static final TableFormat JSON = new TableFormat(TEXT_INPUT, HIVE_OUTPUT, "org.openx.data.jsonserde.JsonSerDe", Map.of());
    }

    private static void glueTable(Expansion out, String name, String location, List<Map<String, Object>> columns,
                                  TableFormat format, Set<Address> dependsOn, Monitoring m) {
        glueTable(out, name, location, columns, List.of(), format, Map.of(), dependsOn, m);
    }

    /**
     * A table of the stack's Glue database; {@code parameters} are the table's (partition projection, say), plus
     * {@code infra.region}: the region whose logs it reads (each region's database reads that region's buckets).
     */
    static void glueTable(Expansion out, String name, String location, List<Map<String, Object>> columns,
                          List<Map<String, Object>> partitionKeys, TableFormat format, Map<String, Object> parameters,
                          Set<Address> dependsOn, Monitoring m) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("databaseName", Ref.id(Addresses.GLUE_DATABASE));
        a.put("name", name);
        a.put("location", location);
        a.put("columns", columns);
        a.put("partitionKeys", partitionKeys);
        a.put("inputFormat", format.inputFormat());
        a.put("outputFormat", format.outputFormat());
        a.put("serde", format.serde());
        a.put("serdeParameters", format.serdeParameters());
        Map<String, Object> p = new TreeMap<>(parameters);
        p.put("infra.region", out.topology().region());
        a.put("parameters", p);
        out.addUntagged(Addresses.glueTable(name), "aws_glue_catalog_table", a, dependsOn, m.at());
    }
}
