package dev.infra.core.expand;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.Topology;
import dev.infra.core.topology.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code monitoring.logArchive} and {@code logSearch.publishLogs}: the region's archive bucket, who may write it, the
 * VPC's flow logs and GuardDuty's findings to it, the OpenSearch logs to their group, the Glue tables over each.
 */
class LogArchiveTest {

    private static final Topology SEED = ReplicationTest.SEED;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> parameters(Object value) {
        return (Map<String, Object>) value;
    }

    @Test
    void theSeedArchivesFlowLogsAndFindingsInTheRegionsBucket() {
        Map<String, ResourceSpec> specs = ReplicationTest.byAddress(SEED);
        ResourceSpec bucket = specs.get(LogArchiveExpander.BUCKET.toString());
        assertThat(bucket.attributes()).containsEntry("bucket", "shop-logs-us-east-1")
                .containsEntry("kmsKeyArn", Ref.to("encryption/key", "arn"))
                .containsEntry("lifecycleRules", List.of(Map.of("id", "expire-logs", "prefix", "", "expirationDays", 365L),
                        Map.of("id", "infra-housekeeping", "prefix", "", "abortIncompleteUploadsDays", 7L)));
        assertThat((String) bucket.attributes().get("policy"))
                .contains("\"Sid\":\"AWSLogDeliveryWrite\"", "\"Sid\":\"AWSLogDeliveryAclCheck\"",
                        "\"Sid\":\"GuardDutyGetBucketLocation\"", "\"Sid\":\"GuardDutyPutObject\"")
                .contains("arn:aws:s3:::shop-logs-us-east-1/vpc-flow-logs/AWSLogs/${infra:account}/*")
                .contains("arn:aws:s3:::shop-logs-us-east-1/guardduty/*")
                .contains("\"aws:SourceArn\":\"arn:aws:guardduty:us-east-1:${infra:account}:detector/*\"")
                .contains("\"aws:SourceArn\":\"arn:aws:logs:us-east-1:${infra:account}:*\"");

        assertThat(specs.get(LogArchiveExpander.FLOW_LOG.toString()).attributes())
                .containsEntry("resourceId", Ref.id("network/vpc"))
                .containsEntry("logDestinationType", "s3")
                .containsEntry("logDestination", "arn:aws:s3:::shop-logs-us-east-1/vpc-flow-logs/")
                .containsEntry("destinationOptions", Map.of("fileFormat", "parquet", "hiveCompatiblePartitions", false,
                        "perHourPartition", true));
        ResourceSpec findings = specs.get(LogArchiveExpander.FINDINGS.toString());
        assertThat(findings.attributes()).containsEntry("destinationArn", "arn:aws:s3:::shop-logs-us-east-1/guardduty")
                .containsEntry("kmsKeyArn", Ref.to("encryption/key", "arn"));
        assertThat(findings.dependsOn()).contains("monitoring/guardduty", LogArchiveExpander.BUCKET.toString());
        assertThat(specs.get("encryption/key").attributes().get("servicePrincipals")).isEqualTo(List.of(
                "cloudtrail.amazonaws.com", "cloudwatch.amazonaws.com", "delivery.logs.amazonaws.com",
                "guardduty.amazonaws.com", "logs.us-east-1.amazonaws.com"));
    }

    /** Each table reads where its source writes, finds its partitions by projection, and says its region. */
    @Test
    void everySourceHasAProjectedTableWhereItWrites() {
        Map<String, ResourceSpec> specs = ReplicationTest.byAddress(SEED);
        Map<String, Object> flow = specs.get("monitoring/glue-table.vpc_flow").attributes();
        String flowAt = "s3://shop-logs-us-east-1/vpc-flow-logs/AWSLogs/${infra:account}/vpcflowlogs/us-east-1/";
        assertThat(flow).containsEntry("location", flowAt)
                .containsEntry("serde", "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")
                .containsEntry("partitionKeys", List.of(Map.of("name", "hour", "type", "string")));
        assertThat(parameters(flow.get("parameters"))).containsEntry("projection.enabled", "true")
                .containsEntry("projection.hour.format", "yyyy/MM/dd/HH")
                .containsEntry("projection.hour.interval.unit", "HOURS")
                .containsEntry("storage.location.template", flowAt + "${hour}")
                .containsEntry("infra.region", "us-east-1");
        Map<String, Object> findings = specs.get("monitoring/glue-table.guardduty").attributes();
        String findingsAt = "s3://shop-logs-us-east-1/guardduty/AWSLogs/${infra:account}/GuardDuty/us-east-1/";
        assertThat(findings).containsEntry("location", findingsAt).containsEntry("serde", "org.openx.data.jsonserde.JsonSerDe");
        assertThat(parameters(findings.get("parameters"))).containsEntry("storage.location.template", findingsAt + "${day}")
                .containsEntry("projection.day.format", "yyyy/MM/dd");
        assertThat(specs.keySet().stream().filter(a -> a.startsWith("monitoring/glue-table.")))
                .containsExactlyInAnyOrder("monitoring/glue-table.cloudtrail", "monitoring/glue-table.waf",
                        "monitoring/glue-table.alb", "monitoring/glue-table.vpc_flow", "monitoring/glue-table.guardduty",
                        "monitoring/glue-table.cloudwatch");
        Map<String, Object> logs = specs.get("monitoring/glue-table.cloudwatch").attributes();
        assertThat(logs).containsEntry("location", "s3://shop-logs-us-east-1/cloudwatch/")
                .containsEntry("partitionKeys", List.of(Map.of("name", "group", "type", "string"),
                        Map.of("name", "day", "type", "string")));
        assertThat(parameters(logs.get("parameters")))
                .containsEntry("projection.group.type", "enum")
                .containsEntry("projection.group.values", "applications,log-search,proxies")
                .containsEntry("storage.location.template", "s3://shop-logs-us-east-1/cloudwatch/${group}/${day}");
    }

    /** Every log group of the stack has a subscription filter to a delivery stream of its own writing to the archive. */
    @Test
    void everyLogGroupIsSubscribedToAStreamWritingToTheArchive() {
        Map<String, ResourceSpec> specs = ReplicationTest.byAddress(SEED);
        for (String[] g : List.of(new String[] {"applications", "monitoring/log-group.applications"},
                new String[] {"proxies", "monitoring/log-group.proxies"},
                new String[] {"log-search", MonitoringExpander.SEARCH_LOG_GROUP.toString()})) {
            String stream = "monitoring/log-archive/stream." + g[0];
            assertThat(specs.get(g[1] + "/subscription").attributes())
                    .containsEntry("logGroupName", Ref.id(g[1]))
                    .containsEntry("filterPattern", "")
                    .containsEntry("destinationArn", Ref.to(stream, "arn"))
                    .containsEntry("roleArn", Ref.to(LogArchiveExpander.LOGS_ROLE.toString(), "arn"));
            assertThat(specs.get(stream).attributes()).containsEntry("name", "shop-logs-" + g[0])
                    .containsEntry("bucketArn", Ref.to(LogArchiveExpander.BUCKET.toString(), "arn"))
                    .containsEntry("prefix", "cloudwatch/" + g[0] + "/!{timestamp:yyyy/MM/dd}/")
                    .containsEntry("compressionFormat", "GZIP")
                    .containsEntry("roleArn", Ref.to(LogArchiveExpander.FIREHOSE_ROLE.toString(), "arn"));
        }
        assertThat((String) specs.get(LogArchiveExpander.FIREHOSE_ROLE.toString()).attributes().get("assumeRolePolicy"))
                .contains("\"Service\":\"firehose.amazonaws.com\"", "\"sts:ExternalId\":\"${infra:account}\"");
        assertThat((String) specs.get(LogArchiveExpander.FIREHOSE_ROLE.toString()).attributes().get("inlinePolicy"))
                .contains("arn:aws:s3:::shop-logs-us-east-1/cloudwatch*");
        assertThat((String) specs.get(LogArchiveExpander.LOGS_ROLE.toString()).attributes().get("inlinePolicy"))
                .contains("arn:aws:firehose:*:${infra:account}:deliverystream/shop-logs-*");
    }

    @Test
    void theDomainPublishesItsLogsToItsGroupWhichOpenSearchMayWrite() {
        Map<String, ResourceSpec> specs = ReplicationTest.byAddress(SEED);
        Ref group = Ref.to(MonitoringExpander.SEARCH_LOG_GROUP.toString(), "arn");
        assertThat(specs.get("monitoring/log-search").attributes().get("logPublishing")).isEqualTo(Map.of(
                "ES_APPLICATION_LOGS", group, "INDEX_SLOW_LOGS", group, "SEARCH_SLOW_LOGS", group));
        assertThat(specs.get(MonitoringExpander.SEARCH_LOG_GROUP.toString()).attributes()).containsEntry("name", "/infra/shop/log-search");
        assertThat((String) specs.get(MonitoringExpander.SEARCH_LOG_POLICY.toString()).attributes().get("policyDocument"))
                .contains("\"Service\":\"es.amazonaws.com\"")
                .contains("\"Resource\":\"arn:aws:logs:us-east-1:${infra:account}:log-group:/infra/shop/log-search:*\"")
                .contains("\"aws:SourceArn\":\"arn:aws:es:us-east-1:${infra:account}:domain/shop-logs\"");
    }

    /** A replica archives into its own region's bucket, and its tables read that bucket. */
    @Test
    void aReplicaArchivesInItsOwnBucket() {
        Map<String, ResourceSpec> specs = ReplicationTest.byAddress(
                SEED.asReplica("eu-west-2", "10.1.0.0/16", List.of("a", "b", "c"), ReplicationTest.REPLICAS));
        assertThat(specs.get(LogArchiveExpander.BUCKET.toString()).attributes()).containsEntry("bucket", "shop-logs-eu-west-2");
        assertThat(specs.get(LogArchiveExpander.FLOW_LOG.toString()).attributes())
                .containsEntry("logDestination", "arn:aws:s3:::shop-logs-eu-west-2/vpc-flow-logs/");
        assertThat(specs.get("monitoring/glue-table.vpc_flow").attributes().get("location"))
                .isEqualTo("s3://shop-logs-eu-west-2/vpc-flow-logs/AWSLogs/${infra:account}/vpcflowlogs/eu-west-2/");
        assertThat(parameters(specs.get("monitoring/glue-table.guardduty").attributes().get("parameters")))
                .containsEntry("infra.region", "eu-west-2");
        // The roles are the primary's (IAM is global): the replica's streams write with them.
        assertThat(specs).doesNotContainKey(LogArchiveExpander.FIREHOSE_ROLE.toString());
        assertThat(specs.get("monitoring/log-archive/stream.applications").attributes())
                .containsEntry("roleArn", Ref.in("us-east-1", LogArchiveExpander.FIREHOSE_ROLE.toString(), "arn"));
        assertThat((String) ReplicationTest.byAddress(SEED.withReplicas(ReplicationTest.REPLICAS))
                .get(LogArchiveExpander.FIREHOSE_ROLE.toString()).attributes().get("inlinePolicy"))
                .contains("arn:aws:s3:::shop-logs-us-east-1/cloudwatch*", "arn:aws:s3:::shop-logs-eu-west-2/cloudwatch*");
    }

    /** Each source turns off on its own; without any, the bucket has no policy. */
    @Test
    void eachSourceTurnsOff(@TempDir Path dir) throws IOException {
        String seed = Files.readString(Path.of("../samples/seed-architecture.yaml"));
        Path file = dir.resolve("infra.yaml");
        Files.writeString(file, seed.replace("logArchive: {expirationDays: 365}",
                        "logArchive: {expirationDays: 365, flowLogs: false, guardDutyFindings: false, logGroups: false}")
                .replace("archiveBucket: buckets.elk-logs}", "archiveBucket: buckets.elk-logs, publishLogs: false}"));
        Map<String, ResourceSpec> specs = ReplicationTest.byAddress(TopologyLoader.load(file).topology());
        assertThat(specs).containsKey(LogArchiveExpander.BUCKET.toString()).doesNotContainKeys(LogArchiveExpander.FLOW_LOG.toString(),
                LogArchiveExpander.FINDINGS.toString(), "monitoring/glue-table.vpc_flow", "monitoring/glue-table.guardduty",
                MonitoringExpander.SEARCH_LOG_GROUP.toString(), MonitoringExpander.SEARCH_LOG_POLICY.toString(), LogArchiveExpander.FIREHOSE_ROLE.toString(),
                "monitoring/log-group.applications/subscription", "monitoring/glue-table.cloudwatch");
        assertThat(specs.get(LogArchiveExpander.BUCKET.toString()).attributes()).doesNotContainKey("policy");
        assertThat(specs.get("monitoring/log-search").attributes()).containsEntry("logPublishing", Map.of());
        assertThat(specs.get("encryption/key").attributes().get("servicePrincipals")).isEqualTo(List.of(
                "cloudtrail.amazonaws.com", "cloudwatch.amazonaws.com", "logs.us-east-1.amazonaws.com"));
    }
}
