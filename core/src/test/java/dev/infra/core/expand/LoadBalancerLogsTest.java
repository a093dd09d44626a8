package dev.infra.core.expand;

import static dev.infra.core.testing.Fixtures.invalid;
import static dev.infra.core.testing.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.Topology;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code monitoring.loadBalancerLogs}: the region's log bucket, its ELB delivery policy, each ALB's logs, the Glue table. */
class LoadBalancerLogsTest {

    private static final Topology SEED = ReplicationTest.SEED;

    @Test
    void theSeedLogsEveryAlbToTheRegionsBucket() {
        Map<String, ResourceSpec> specs = ReplicationTest.byAddress(SEED);

        ResourceSpec bucket = specs.get("monitoring/lb-log-bucket");
        assertThat(bucket.type()).isEqualTo("aws_s3_bucket");
        // SSE-S3: ALB log delivery supports no other encryption.
        assertThat(bucket.attributes()).containsEntry("bucket", "shop-lb-logs-us-east-1")
                .containsEntry("versioning", false).containsEntry("blockPublicAccess", true)
                .containsEntry("lifecycleRules", List.of(Map.of("id", "expire-logs", "prefix", "", "expirationDays", 90L),
                        Map.of("id", "infra-housekeeping", "prefix", "", "abortIncompleteUploadsDays", 7L)))
                .doesNotContainKey("kmsKeyArn");
        // us-east-1 was available before August 2022: its Elastic Load Balancing account is the principal.
        assertThat(bucket.attributes().get("policy")).isEqualTo("{\"Statement\":[{\"Action\":\"s3:PutObject\","
                + "\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"arn:aws:iam::127311923021:root\"},\"Resource\":["
                + "\"arn:aws:s3:::shop-lb-logs-us-east-1/internal/AWSLogs/${infra:account}/*\","
                + "\"arn:aws:s3:::shop-lb-logs-us-east-1/public/AWSLogs/${infra:account}/*\"],"
                + "\"Sid\":\"ElbAccessLogsWrite\"}],\"Version\":\"2012-10-17\"}");

        for (String lb : List.of("public", "internal")) {
            assertThat(specs.get(Addresses.alb(lb).toString()).attributes())
                    .containsEntry("accessLogsBucket", Ref.id("monitoring/lb-log-bucket"))
                    .containsEntry("accessLogsPrefix", lb);
        }

        ResourceSpec table = specs.get("monitoring/glue-table.alb");
        assertThat(table.attributes()).containsEntry("name", "alb")
                .containsEntry("location", "s3://shop-lb-logs-us-east-1/")
                .containsEntry("serde", "org.apache.hadoop.hive.serde2.RegexSerDe");
        assertThat(table.dependsOn()).contains("monitoring/lb-log-bucket");
    }

    @Test
    void aReplicaHasItsOwnBucketWithItsRegionsPrincipal() {
        Map<String, ResourceSpec> specs = ReplicationTest.byAddress(
                SEED.asReplica("eu-west-2", "10.1.0.0/16", List.of("a", "b", "c"), ReplicationTest.REPLICAS));
        assertThat(specs.get("monitoring/lb-log-bucket").attributes()).containsEntry("bucket", "shop-lb-logs-eu-west-2");
        assertThat((String) specs.get("monitoring/lb-log-bucket").attributes().get("policy"))
                .contains("arn:aws:iam::652711504416:root").contains("arn:aws:s3:::shop-lb-logs-eu-west-2/public/AWSLogs/${infra:account}/*");
        assertThat(specs.get("monitoring/glue-table.alb").attributes()).containsEntry("location", "s3://shop-lb-logs-eu-west-2/");
    }

    @Test
    void aRegionOpenedSinceAugust2022GetsTheServicePrincipal() {
        String policy = LoadBalancerLogging.policy(SEED.asReplica("ap-southeast-5", "10.2.0.0/16", List.of("a", "b", "c"),
                List.of("ap-southeast-5")));
        assertThat(policy).contains("{\"Service\":\"logdelivery.elasticloadbalancing.amazonaws.com\"}")
                .doesNotContain("arn:aws:iam::");
    }

    /** The Athena guide's sample entry parses into one value per column. */
    @Test
    void theRegexHasOneGroupPerColumnAndParsesAnEntry() {
        Matcher m = Pattern.compile(MonitoringExpander.ALB_REGEX).matcher("https 2018-07-02T22:23:00.186641Z "
                + "app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "
                + "\"GET https://www.example.com:443/ HTTP/1.1\" \"curl/7.46.0\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 "
                + "arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "
                + "\"Root=1-58337281-1d84f3d73c47ec4e58577259\" \"www.example.com\" "
                + "\"arn:aws:acm:us-east-2:123456789012:certificate/12345678-1234-1234-1234-123456789012\" 1 "
                + "2018-07-02T22:22:48.364000Z \"authenticate,forward\" \"-\" \"-\" \"10.0.0.1:80\" \"200\" \"-\" \"-\" "
                + "TID_123456 \"-\"");
        assertThat(m.groupCount()).isEqualTo(MonitoringExpander.ALB_COLUMNS.size());
        assertThat(m.matches()).isTrue();
        assertThat(m.group(4)).isEqualTo("192.168.131.39");
        assertThat(m.group(11)).isEqualTo("200");
        assertThat(m.group(16)).isEqualTo("https://www.example.com:443/");
        assertThat(m.group(23)).isEqualTo("www.example.com");
        assertThat(m.group(34)).isEqualTo("TID_123456");
    }

    @Test
    void loadBalancerLogsWithoutLoadBalancersIsAnErrorAtItsLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("infra.yaml");
        Files.writeString(file, """
                stack: shop
                region: us-east-1
                encryption:
                  key: {rotation: true}
                monitoring:
                  alarms: false
                  loadBalancerLogs: {expirationDays: 30}
                """);
        assertThat(rendered(invalid(file))).containsExactly(file + ":7:21: error: monitoring.loadBalancerLogs: "
                + "logs the load balancers' requests, and there are none: add 'loadBalancers:'");
    }
}
