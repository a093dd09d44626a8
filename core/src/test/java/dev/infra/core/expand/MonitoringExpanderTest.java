package dev.infra.core.expand;

import static dev.infra.core.testing.Fixtures.expanded;
import static dev.infra.core.testing.Fixtures.small;
import static dev.infra.core.testing.Fixtures.under;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.Topology;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trail, log groups, alarms, GuardDuty, the log search domain and Athena for small topologies (the log archive,
 * the instances' logs and the load balancers' logs have tests of their own).
 */
class MonitoringExpanderTest {

    static final String BASE = """
            buckets:
              audit: {}
              search: {}
            """;
    static final Ref KEY = Ref.to("encryption/key", "arn");

    @TempDir
    Path dir;

    private Topology topology(String yaml) {
        return small(dir, BASE + yaml);
    }

    private Map<String, ResourceSpec> expand(String yaml) {
        return expanded(topology(yaml));
    }

    @Test
    void theTrailLogGroupsAndDetector() {
        Topology t = topology("""
                monitoring:
                  cloudTrail: {bucket: buckets.audit}
                  logGroups: {apps: {retentionDays: 14}}
                  alarms: false
                  guardDuty: {findingFrequency: ONE_HOUR}
                """);
        Map<String, ResourceSpec> specs = expanded(t);
        assertThat(under(specs, "monitoring")).containsOnlyKeys("monitoring/trail", "monitoring/log-group.apps",
                "monitoring/guardduty");
        assertThat(specs.get("monitoring/trail").type()).isEqualTo("aws_cloudtrail_trail");
        assertThat(specs.get("monitoring/trail").attributes()).containsEntry("name", "shop-trail")
                .containsEntry("s3BucketName", Ref.id("bucket.audit")).containsEntry("isMultiRegionTrail", true)
                .containsEntry("logFileValidation", true).containsEntry("kmsKeyArn", KEY).containsEntry("logging", true);
        // The trail's bucket lets CloudTrail write, for this trail only.
        assertThat((String) specs.get("bucket.audit").attributes().get("policy")).contains("cloudtrail.amazonaws.com",
                "trail/shop-trail");
        assertThat(specs.get("monitoring/log-group.apps").attributes()).containsEntry("name", "/infra/shop/apps")
                .containsEntry("retentionDays", 14L).containsEntry("kmsKeyArn", KEY);
        assertThat(specs.get("monitoring/guardduty").attributes()).containsEntry("enable", true)
                .containsEntry("findingPublishingFrequency", "ONE_HOUR");

        // The primary's trail is multi-region: a replica makes none.
        Topology primary = t.withReplicas(List.of("eu-west-2"));
        assertThat(expanded(primary.asReplica("eu-west-2", "10.1.0.0/16", List.of("a", "b"), List.of("eu-west-2"))))
                .doesNotContainKey("monitoring/trail").containsKey("monitoring/log-group.apps");
    }

    @Test
    void alarmsOnTheNatGatewaysLoadBalancersAndProxyCapacityGoToTheTopic() {
        Map<String, ResourceSpec> specs = under(expand("""
                egressProxy: {capacity: {min: 2, max: 4}, allowedDomains: [.github.com]}
                clusters:
                  apps: {nodeGroups: {general: {min: 1, max: 2}}}
                loadBalancers:
                  web: {scheme: internet-facing, target: clusters.apps}
                firewall: {}
                monitoring: {alarms: true}
                """), "monitoring");
        // One alarm per NAT gateway.
        assertThat(specs).containsOnlyKeys("monitoring/alarm-topic", "monitoring/alarm.nat-a-errors", "monitoring/alarm.nat-b-errors",
                "monitoring/alarm.alb-web-5xx", "monitoring/alarm.egress-proxy-capacity");
        assertThat(specs.get("monitoring/alarm-topic").attributes()).containsEntry("name", "shop-alarms")
                .containsEntry("kmsKeyId", KEY);
        List<Ref> topic = List.of(Ref.id("monitoring/alarm-topic"));
        assertThat(specs.get("monitoring/alarm.nat-a-errors").attributes()).containsEntry("name", "shop-nat-a-errors")
                .containsEntry("namespace", "AWS/NATGateway").containsEntry("metricName", "ErrorPortAllocation")
                .containsEntry("dimensions", Map.of("NatGatewayId", Ref.id("network/nat-gateway.a")))
                .containsEntry("threshold", 0L).containsEntry("comparisonOperator", "GreaterThanThreshold")
                .containsEntry("alarmActions", topic);
        assertThat(specs.get("monitoring/alarm.alb-web-5xx").attributes())
                .containsEntry("dimensions", Map.of("LoadBalancer", Ref.to("load-balancer.web/alb", "arnSuffix")))
                .containsEntry("threshold", 10L);
        assertThat(specs.get("monitoring/alarm.egress-proxy-capacity").attributes())
                .containsEntry("dimensions", Map.of("AutoScalingGroupName", Ref.id("egress-proxy/group")))
                .containsEntry("statistic", "Minimum").containsEntry("threshold", 2L)
                .containsEntry("comparisonOperator", "LessThanThreshold").containsEntry("alarmActions", topic);
    }

    @Test
    void theLogSearchDomainSpreadsOverTheZonesAndPublishesItsLogs() {
        Map<String, ResourceSpec> specs = under(expand("""
                monitoring:
                  alarms: false
                  logSearch: {instanceCount: 3, archiveBucket: buckets.search}
                """), "monitoring");
        assertThat(specs).containsOnlyKeys("monitoring/log-search", "monitoring/log-search/security-group",
                "monitoring/log-search/security-group/rule.ingress-tcp-443-10.0.0.0_16", "monitoring/log-search/log-group",
                "monitoring/log-search/log-policy", "monitoring/log-search/snapshot-role");
        ResourceSpec domain = specs.get("monitoring/log-search");
        assertThat(domain.type()).isEqualTo("aws_opensearch_domain");
        // Three nodes, two zones: spread over both.
        assertThat(domain.attributes()).containsEntry("name", "shop-logs").containsEntry("instanceCount", 3L)
                .containsEntry("zoneAwareness", true)
                .containsEntry("subnetIds", List.of(Ref.id("network/subnet.private-a"), Ref.id("network/subnet.private-b")))
                .containsEntry("securityGroupIds", List.of(Ref.id("monitoring/log-search/security-group")))
                .containsEntry("encryptAtRest", true).containsEntry("kmsKeyId", KEY)
                .containsEntry("enforceHttps", true);
        Ref group = Ref.to("monitoring/log-search/log-group", "arn");
        assertThat(domain.attributes().get("logPublishing")).isEqualTo(Map.of("ES_APPLICATION_LOGS", group,
                "INDEX_SLOW_LOGS", group, "SEARCH_SLOW_LOGS", group));
        // The policy that lets the domain write to its log group comes before the domain.
        assertThat(domain.dependsOn()).containsExactlyInAnyOrder("bucket.search", "monitoring/log-search/log-policy");
        assertThat(specs.get("monitoring/log-search/log-group").attributes())
                .containsEntry("name", "/infra/shop/log-search").containsEntry("retentionDays", 30L);
        assertThat(specs.get("monitoring/log-search/log-policy").dependsOn())
                .containsExactly("monitoring/log-search/log-group");
        assertThat((String) specs.get("monitoring/log-search/snapshot-role").attributes().get("inlinePolicy"))
                .contains("arn:aws:s3:::shop-search-us-east-1");
    }

    @Test
    void aOneNodeDomainWithoutItsLogsIsInOneZone() {
        Map<String, ResourceSpec> specs = under(expand("""
                monitoring:
                  alarms: false
                  logSearch: {instanceCount: 1, archiveBucket: buckets.search, publishLogs: false}
                """), "monitoring");
        assertThat(specs).doesNotContainKeys("monitoring/log-search/log-group", "monitoring/log-search/log-policy");
        assertThat(specs.get("monitoring/log-search").attributes()).containsEntry("zoneAwareness", false)
                .containsEntry("subnetIds", List.of(Ref.id("network/subnet.private-a")))
                .containsEntry("logPublishing", Map.of());
        assertThat(specs.get("monitoring/log-search").dependsOn()).containsExactly("bucket.search");
    }

    @Test
    void athenaQueriesTheTrailThroughTheStacksGlueDatabase() {
        Map<String, ResourceSpec> specs = under(expand("""
                monitoring:
                  cloudTrail: {bucket: buckets.audit}
                  alarms: false
                  athena: {resultsBucket: buckets.audit}
                """), "monitoring");
        assertThat(specs).containsOnlyKeys("monitoring/trail", "monitoring/athena-workgroup", "monitoring/glue-database",
                "monitoring/glue-table.cloudtrail");
        ResourceSpec workgroup = specs.get("monitoring/athena-workgroup");
        assertThat(workgroup.attributes()).containsEntry("name", "shop-logs").containsEntry("kmsKeyArn", KEY)
                .containsEntry("enforceConfiguration", true);
        assertThat((String) workgroup.attributes().get("outputLocation")).startsWith("s3://shop-audit-us-east-1")
                .endsWith("/athena-results/");
        assertThat(workgroup.dependsOn()).containsExactly("bucket.audit");
        assertThat(specs.get("monitoring/glue-database").attributes()).containsEntry("name", "shop_logs");
        ResourceSpec table = specs.get("monitoring/glue-table.cloudtrail");
        assertThat(table.type()).isEqualTo("aws_glue_catalog_table");
        assertThat(table.attributes()).containsEntry("databaseName", Ref.id("monitoring/glue-database"))
                .containsEntry("name", "cloudtrail")
                .containsEntry("serde", "com.amazon.emr.hive.serde.CloudTrailSerde")
                .containsEntry("parameters", Map.of("infra.region", "us-east-1"));
        assertThat((String) table.attributes().get("location")).startsWith("s3://shop-audit-us-east-1").endsWith("/AWSLogs/");
        assertThat(table.dependsOn()).containsExactly("bucket.audit");
    }
}
