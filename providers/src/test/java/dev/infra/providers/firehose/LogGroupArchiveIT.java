package dev.infra.providers.firehose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.cloudwatch.LogGroupProvider;
import dev.infra.providers.cloudwatch.SubscriptionFilterProvider;
import dev.infra.providers.iam.IamRoleProvider;
import dev.infra.providers.testing.ProviderTestSupport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationDescription;
import software.amazon.awssdk.services.firehose.model.InvalidArgumentException;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A log group to S3 through a subscription filter and a Firehose delivery stream, made by the providers and read back
 * with raw SDK calls: the stream's destination as configured, the filter on the group, the role's trust naming the
 * account (written from the {@code ${infra:account}} token and read back as it), and an event put in the group
 * landing in the bucket under the group's and the day's folder, decompressed and GZIP again (moto_launcher.py's
 * patch_firehose_s3_delivery); a prefix with expressions but no error prefix is refused.
 */
class LogGroupArchiveIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "sa-east-1";
    }

    private static byte[] gunzip(byte[] data) {
        try (var in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aLogGroupsEventsReachTheBucketThroughFirehose() {
        String bucket = stack + "-logs";
        clients.s3().createBucket(b -> b.bucket(bucket).createBucketConfiguration(c -> c.locationConstraint(region())));
        IamRoleProvider roles = new IamRoleProvider(clients);
        ResourceSpec roleSpec = spec("monitoring/log-archive/firehose-role", IamRoleProvider.TYPE, Map.of(
                "name", stack + "-logs-firehose",
                "assumeRolePolicy", "{\"Statement\":[{\"Action\":\"sts:AssumeRole\",\"Condition\":{\"StringEquals\":"
                        + "{\"sts:ExternalId\":\"${infra:account}\"}},\"Effect\":\"Allow\",\"Principal\":{\"Service\":"
                        + "\"firehose.amazonaws.com\"}}],\"Version\":\"2012-10-17\"}",
                "managedPolicyArns", List.of()), Map.of());
        LiveResource role = roles.create(roleSpec, ctx(roleSpec.address()));
        assertMatchesSpec(role, roleSpec);
        assertThat(java.net.URLDecoder.decode(clients.client(IamClient.class, IamClient::builder)
                .getRole(b -> b.roleName(stack + "-logs-firehose")).role().assumeRolePolicyDocument(),
                java.nio.charset.StandardCharsets.UTF_8)).contains("\"sts:ExternalId\":\"" + clients.account() + "\"");

        DeliveryStreamProvider streams = new DeliveryStreamProvider(clients);
        ResourceSpec streamSpec = spec("monitoring/log-archive/stream.applications", DeliveryStreamProvider.TYPE, Map.of(
                "name", stack + "-logs-applications",
                "roleArn", role.attributes().get("arn"),
                "bucketArn", "arn:aws:s3:::" + bucket,
                "prefix", "cloudwatch/applications/!{timestamp:yyyy/MM/dd}/",
                "errorOutputPrefix", "cloudwatch-errors/applications/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd}/",
                "compressionFormat", "GZIP",
                "bufferingSeconds", 300L,
                "bufferingMegabytes", 5L,
                "processors", List.of(Map.of("type", "Decompression", "parameters", Map.of("CompressionFormat", "GZIP")),
                        Map.of("type", "AppendDelimiterToRecord", "parameters", Map.of()))), Map.of());
        FirehoseClient firehose = clients.client(FirehoseClient.class, FirehoseClient::builder);
        assertThatThrownBy(() -> firehose.createDeliveryStream(b -> b.deliveryStreamName(stack + "-no-error-prefix")
                .extendedS3DestinationConfiguration(d -> d.roleARN((String) role.attributes().get("arn"))
                        .bucketARN("arn:aws:s3:::" + bucket).prefix("cloudwatch/!{timestamp:yyyy}/"))))
                .isInstanceOf(InvalidArgumentException.class);
        LiveResource stream = streams.create(streamSpec, ctx(streamSpec.address()));
        assertMatchesSpec(stream, streamSpec);
        assertThat(streams.readAll(ReadRequest.of(stack, Set.of()))).extracting(LiveResource::id)
                .containsExactly(stack + "-logs-applications");
        ExtendedS3DestinationDescription d = clients.client(FirehoseClient.class, FirehoseClient::builder)
                .describeDeliveryStream(b -> b.deliveryStreamName(stack + "-logs-applications")).deliveryStreamDescription()
                .destinations().get(0).extendedS3DestinationDescription();
        assertThat(d.bucketARN()).isEqualTo("arn:aws:s3:::" + bucket);
        assertThat(d.compressionFormatAsString()).isEqualTo("GZIP");
        assertThat(d.processingConfiguration().processors()).extracting(p -> p.typeAsString())
                .containsExactly("Decompression", "AppendDelimiterToRecord");

        String group = "/infra/" + stack + "/applications";
        new LogGroupProvider(clients).create(spec("monitoring/log-group.applications", LogGroupProvider.TYPE,
                Map.of("name", group, "retentionDays", 30L), Map.of()), ctx("monitoring/log-group.applications"));
        SubscriptionFilterProvider filters = new SubscriptionFilterProvider(clients);
        ResourceSpec filterSpec = untaggedSpec("monitoring/log-group.applications/subscription",
                SubscriptionFilterProvider.TYPE, Map.of("logGroupName", group, "name", "infra-log-archive",
                        "filterPattern", "", "destinationArn", stream.attributes().get("arn"),
                        "roleArn", role.attributes().get("arn")));
        LiveResource filter = filters.create(filterSpec, ctx(filterSpec.address()));
        assertMatchesSpec(filter, filterSpec);
        CloudWatchLogsClient logs = clients.client(CloudWatchLogsClient.class, CloudWatchLogsClient::builder);
        assertThat(logs.describeSubscriptionFilters(b -> b.logGroupName(group)).subscriptionFilters())
                .singleElement().satisfies(f -> assertThat(f.destinationArn()).isEqualTo(stream.attributes().get("arn")));

        logs.createLogStream(b -> b.logGroupName(group).logStreamName("web-1"));
        logs.putLogEvents(b -> b.logGroupName(group).logStreamName("web-1")
                .logEvents(e -> e.timestamp(Instant.now().toEpochMilli()).message("GET / 200")));
        // Under the group's folder and the day's (the prefix's expression), decompressed to one JSON document a line,
        // then compressed again as the stream says (GZIP).
        String day = java.time.LocalDate.now(java.time.ZoneOffset.UTC).format(java.time.format.DateTimeFormatter
                .ofPattern("yyyy/MM/dd"));
        var objects = clients.s3().listObjectsV2(b -> b.bucket(bucket).prefix("cloudwatch/applications/" + day + "/"))
                .contents();
        assertThat(objects).singleElement().satisfies(o -> assertThat(o.key()).endsWith(".gz"));
        String body = new String(gunzip(clients.s3().getObjectAsBytes(b -> b.bucket(bucket).key(objects.get(0).key()))
                .asByteArray()), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(body).endsWith("\n").contains("\"logGroup\":\"" + group + "\"", "\"message\":\"GET / 200\"");

        filters.delete(filter, ctx(filterSpec.address()));
        assertThat(logs.describeSubscriptionFilters(b -> b.logGroupName(group)).subscriptionFilters()).isEmpty();
        streams.delete(stream, ctx(streamSpec.address()));
        assertThat(clients.client(FirehoseClient.class, FirehoseClient::builder).listDeliveryStreams(b -> { })
                .deliveryStreamNames()).doesNotContain(stack + "-logs-applications");
    }
}
