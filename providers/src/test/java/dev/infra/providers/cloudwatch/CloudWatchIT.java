package dev.infra.providers.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.SleepingOperationContext;
import dev.infra.providers.testing.ProviderTestSupport;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sns.SnsClient;

/** CloudWatch Logs log groups and CloudWatch metric alarms against the emulator, in me-south-1. */
class CloudWatchIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "me-south-1";
    }

    private CloudWatchLogsClient logs() {
        return clients.client(CloudWatchLogsClient.class, CloudWatchLogsClient::builder);
    }

    private CloudWatchClient cloudWatch() {
        return clients.client(CloudWatchClient.class, CloudWatchClient::builder);
    }

    /** A key CloudWatch Logs of this region may use (its key policy says so, as AWS requires of a log group's key). */
    private String kmsKey(String description) {
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::123456789012:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"},{\"Effect\":\"Allow\","
                + "\"Principal\":{\"Service\":\"logs." + region() + ".amazonaws.com\"},\"Action\":[\"kms:Encrypt*\","
                + "\"kms:Decrypt*\",\"kms:ReEncrypt*\",\"kms:GenerateDataKey*\",\"kms:Describe*\"],\"Resource\":\"*\"}]}";
        return clients.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description(description)
                .policy(policy)).keyMetadata().arn();
    }

    private String topic(String name) {
        return clients.client(SnsClient.class, SnsClient::builder).createTopic(b -> b.name(name)).topicArn();
    }

    // ---- log groups ---------------------------------------------------------------------------------------

    private List<LogGroup> rawGroups(String name) {
        return logs().describeLogGroups(b -> b.logGroupNamePrefix(name)).logGroups().stream()
                .filter(g -> g.logGroupName().equals(name)).toList();
    }

    private LogGroup rawGroup(String name) {
        List<LogGroup> groups = rawGroups(name);
        assertThat(groups).as("log group %s", name).hasSize(1);
        return groups.get(0);
    }

    private Map<String, String> rawGroupTags(String arn) {
        return logs().listTagsForResource(b -> b.resourceArn(arn)).tags();
    }

    private ResourceSpec groupSpec(String address, String name, Long retention, String kmsKeyArn,
                                   Map<String, String> userTags) {
        return spec(address, LogGroupProvider.TYPE,
                attributes("name", name, "retentionDays", retention, "kmsKeyArn", kmsKeyArn), userTags);
    }

    @Test
    void logGroupLifecycle() {
        LogGroupProvider groups = new LogGroupProvider(clients);
        String address = "observability/log_group.app";
        String name = "/infra/" + stack + "/app";
        String firstKey = kmsKey("logs one");
        String secondKey = kmsKey("logs two");
        ResourceSpec spec = groupSpec(address, name, 30L, firstKey, Map.of("team", "platform", "retired", "soon"));
        assertThat(groups.findExisting(stack, spec)).isEmpty();

        LiveResource created = groups.create(spec, ctx(address));

        LogGroup raw = rawGroup(name);
        assertThat(created.id()).isEqualTo(name);
        assertThat(raw.retentionInDays()).isEqualTo(30);
        assertThat(raw.kmsKeyId()).isEqualTo(firstKey);
        assertThat(rawGroupTags(raw.logGroupArn())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).containsEntry("arn", raw.logGroupArn());
        assertThat((String) created.attributes().get("arn")).doesNotEndWith(":*");

        ResourceSpec changed = groupSpec(address, name, 7L, secondKey, Map.of("team", "security"));
        LiveResource updated = groups.update(created, changed, Set.of("retentionDays", "kmsKeyArn", "tags"), ctx(address));
        raw = rawGroup(name);
        assertThat(raw.retentionInDays()).isEqualTo(7);
        assertThat(raw.kmsKeyId()).isEqualTo(secondKey);
        assertThat(rawGroupTags(raw.logGroupArn())).isEqualTo(changed.tags());
        assertMatchesSpec(updated, changed);

        ResourceSpec plain = groupSpec(address, name, null, null, Map.of("team", "security"));
        LiveResource cleared = groups.update(updated, plain, Set.of("retentionDays", "kmsKeyArn"), ctx(address));
        raw = rawGroup(name);
        assertThat(raw.retentionInDays()).isNull();
        assertThat(raw.kmsKeyId()).isNull();
        assertMatchesSpec(cleared, plain);
        assertThat(cleared.attributes()).doesNotContainKeys("retentionDays", "kmsKeyArn");

        // Another stack's group in the same region is not read.
        String otherName = "/infra/" + stack + "/other";
        ResourceSpec otherSpec = groupSpec("observability/log_group.other", otherName, 1L, null, Map.of());
        logs().createLogGroup(b -> b.logGroupName(otherName).tags(Map.of("infra:stack", stack + "-other")));

        clients.counter().reset();
        assertThat(groups.readAll(ReadRequest.of(stack, Set.of(name)))).singleElement()
                .satisfies(r -> assertMatchesSpec(r, plain));
        // One GetResources for the stack's groups (tags included), one DescribeLogGroups for up to 50 of them.
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of(
                "ResourceGroupsTaggingApi", Map.of("GetResources", 1L),
                "CloudWatchLogs", Map.of("DescribeLogGroups", 1L)));

        assertThat(groups.findExisting(stack, plain)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(name));
        assertThatThrownBy(() -> groups.findExisting(stack, otherSpec))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("log group " + otherName + " already exists and belongs to");

        groups.delete(cleared, ctx(address));
        assertThat(rawGroups(name)).isEmpty();
        assertThat(groups.readAll(ReadRequest.of(stack, Set.of(name)))).isEmpty();
        groups.delete(cleared, ctx(address)); // already gone: fine
        logs().deleteLogGroup(b -> b.logGroupName(otherName));
    }

    /**
     * A key made (or whose policy changed) moments before may not be usable by CloudWatch Logs yet; its refusal
     * (scripted here: the emulator checks the policy at once) is retried on create and on AssociateKmsKey.
     */
    @Test
    void aKeyLogsCannotUseYetIsRetried() {
        String address = "observability/log_group.late";
        String name = "/infra/" + stack + "/late";
        String message = "The specified KMS key does not exist or is not allowed to be used with Arn 'arn:…'";
        try (AwsClients late = Emulator.clients(region(),
                Faults.awsError("CreateLogGroup", 2, 400, "AccessDeniedException", message),
                Faults.awsError("AssociateKmsKey", 2, 400, "AccessDeniedException", message))) {
            LogGroupProvider groups = new LogGroupProvider(late);
            LiveResource created = groups.create(groupSpec(address, name, 7L, kmsKey("late one"), Map.of()),
                    SleepingOperationContext.pretending(address));
            String second = kmsKey("late two");
            groups.update(created, groupSpec(address, name, 7L, second, Map.of()), Set.of("kmsKeyArn"),
                    SleepingOperationContext.pretending(address));
            assertThat(rawGroup(name).kmsKeyId()).isEqualTo(second);
            groups.delete(created, ctx(address));
        }
    }

    @Test
    void untaggedLogGroupInStateIsRead() {
        LogGroupProvider groups = new LogGroupProvider(clients);
        String address = "observability/log_group.app";
        String name = "/infra/" + stack + "/untagged";
        LiveResource created = groups.create(groupSpec(address, name, 14L, null, Map.of()), ctx(address));
        logs().untagResource(b -> b.resourceArn(rawGroup(name).logGroupArn()).tagKeys("infra:stack"));

        assertThat(groups.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
        assertThat(groups.readAll(ReadRequest.of(stack, Set.of(name, "/infra/gone")))).singleElement()
                .satisfies(r -> {
                    assertThat(r.id()).isEqualTo(name);
                    assertThat(r.address()).isEqualTo(address);
                    assertThat(r.attributes()).containsEntry("retentionDays", 14L);
                });
        groups.delete(created, ctx(address));
    }

    /** The moto gap filled by moto_launcher.py: AssociateKmsKey / DisassociateKmsKey as AWS documents them. */
    @Test
    void kmsKeyAssociationOfAnUnknownGroupIsResourceNotFound() {
        assertThatThrownBy(() -> logs().associateKmsKey(b -> b.logGroupName("/infra/" + stack + "/none")
                .kmsKeyId(kmsKey("none")))).isInstanceOf(ResourceNotFoundException.class);
        assertThatThrownBy(() -> logs().disassociateKmsKey(b -> b.logGroupName("/infra/" + stack + "/none")))
                .isInstanceOf(ResourceNotFoundException.class);
    }

    // ---- metric alarms ------------------------------------------------------------------------------------

    private MetricAlarm rawAlarm(String name) {
        List<MetricAlarm> alarms = cloudWatch().describeAlarms(b -> b.alarmNames(name)).metricAlarms();
        assertThat(alarms).as("alarm %s", name).hasSize(1);
        return alarms.get(0);
    }

    private Map<String, String> rawAlarmTags(String arn) {
        Map<String, String> out = new TreeMap<>();
        cloudWatch().listTagsForResource(b -> b.resourceARN(arn)).tags().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private static Map<String, String> dimensions(MetricAlarm alarm) {
        Map<String, String> out = new TreeMap<>();
        alarm.dimensions().forEach(d -> out.put(d.name(), d.value()));
        return out;
    }

    private ResourceSpec alarmSpec(String address, Map<String, Object> settings, Map<String, String> userTags) {
        Map<String, Object> a = new TreeMap<>(settings);
        a.put("name", stack + "-cpu-high");
        return spec(address, MetricAlarmProvider.TYPE, a, userTags);
    }

    @Test
    void metricAlarmLifecycle() {
        MetricAlarmProvider alarms = new MetricAlarmProvider(clients);
        String address = "observability/alarm.cpu";
        String name = stack + "-cpu-high";
        String pager = topic(stack + "-pager");
        String chat = topic(stack + "-chat");
        ResourceSpec spec = alarmSpec(address, Map.of("namespace", "AWS/EC2", "metricName", "CPUUtilization",
                "dimensions", Map.of("AutoScalingGroupName", "nodes"), "statistic", "Average", "period", 300L,
                "evaluationPeriods", 2L, "threshold", 80L, "comparisonOperator", "GreaterThanThreshold",
                "alarmActions", List.of(pager), "treatMissingData", "notBreaching"), Map.of("team", "platform", "retired", "soon"));
        assertThat(alarms.findExisting(stack, spec)).isEmpty();

        LiveResource created = alarms.create(spec, ctx(address));

        MetricAlarm raw = rawAlarm(name);
        assertThat(created.id()).isEqualTo(name);
        assertThat(raw.namespace()).isEqualTo("AWS/EC2");
        assertThat(raw.metricName()).isEqualTo("CPUUtilization");
        assertThat(dimensions(raw)).isEqualTo(Map.of("AutoScalingGroupName", "nodes"));
        assertThat(raw.statisticAsString()).isEqualTo("Average");
        assertThat(raw.period()).isEqualTo(300);
        assertThat(raw.evaluationPeriods()).isEqualTo(2);
        assertThat(raw.threshold()).isEqualTo(80.0);
        assertThat(raw.comparisonOperatorAsString()).isEqualTo("GreaterThanThreshold");
        assertThat(raw.alarmActions()).containsExactly(pager);
        assertThat(raw.treatMissingData()).isEqualTo("notBreaching");
        assertThat(rawAlarmTags(raw.alarmArn())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).containsEntry("arn", raw.alarmArn()).containsEntry("threshold", 80L);

        ResourceSpec changed = alarmSpec(address, Map.of("namespace", "Custom/App", "metricName", "Latency",
                "dimensions", Map.of("Service", "api", "Stage", "prod"), "statistic", "Maximum", "period", 60L,
                "evaluationPeriods", 3L, "threshold", 0.5, "comparisonOperator", "LessThanThreshold",
                "alarmActions", List.of(pager, chat), "treatMissingData", "breaching"), Map.of("team", "security"));
        LiveResource updated = alarms.update(created, changed, Set.of("namespace", "metricName", "dimensions",
                "statistic", "period", "evaluationPeriods", "threshold", "comparisonOperator", "alarmActions",
                "treatMissingData", "tags"), ctx(address));

        raw = rawAlarm(name);
        assertThat(raw.namespace()).isEqualTo("Custom/App");
        assertThat(raw.metricName()).isEqualTo("Latency");
        assertThat(dimensions(raw)).isEqualTo(Map.of("Service", "api", "Stage", "prod"));
        assertThat(raw.statisticAsString()).isEqualTo("Maximum");
        assertThat(raw.period()).isEqualTo(60);
        assertThat(raw.evaluationPeriods()).isEqualTo(3);
        assertThat(raw.threshold()).isEqualTo(0.5);
        assertThat(raw.comparisonOperatorAsString()).isEqualTo("LessThanThreshold");
        assertThat(raw.alarmActions()).containsExactlyInAnyOrder(pager, chat);
        assertThat(raw.treatMissingData()).isEqualTo("breaching");
        assertThat(rawAlarmTags(raw.alarmArn())).isEqualTo(changed.tags());
        assertMatchesSpec(updated, changed, "alarmActions");
        assertThat(updated.attributes()).containsEntry("threshold", 0.5)
                .containsEntry("alarmActions", List.of(pager, chat).stream().sorted().toList());

        // Another stack's alarm in the same region is not read.
        cloudWatch().putMetricAlarm(b -> b.alarmName(stack + "-other").namespace("AWS/EC2").metricName("CPUUtilization")
                .statistic("Average").period(60).evaluationPeriods(1).threshold(1.0)
                .comparisonOperator("GreaterThanThreshold").dimensions(Dimension.builder().name("a").value("b").build())
                .tags(t -> t.key("infra:stack").value(stack + "-other")));

        clients.counter().reset();
        assertThat(alarms.readAll(ReadRequest.of(stack, Set.of(name)))).singleElement()
                .satisfies(r -> assertMatchesSpec(r, changed, "alarmActions"));
        // One GetResources for the stack's alarms (tags included), one DescribeAlarms for up to 100 of them.
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of(
                "ResourceGroupsTaggingApi", Map.of("GetResources", 1L),
                "CloudWatch", Map.of("DescribeAlarms", 1L)));

        assertThat(alarms.findExisting(stack, changed)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(name));
        assertThatThrownBy(() -> alarms.findExisting("some-other-stack", changed))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("alarm " + name + " already exists and belongs to " + address);

        alarms.delete(updated, ctx(address));
        assertThat(cloudWatch().describeAlarms(b -> b.alarmNames(name)).metricAlarms()).isEmpty();
        assertThat(alarms.readAll(ReadRequest.of(stack, Set.of(name)))).isEmpty();
        alarms.delete(updated, ctx(address)); // already gone: fine
        cloudWatch().deleteAlarms(b -> b.alarmNames(stack + "-other"));
    }

    @Test
    void untaggedAlarmInStateIsRead() {
        MetricAlarmProvider alarms = new MetricAlarmProvider(clients);
        String address = "observability/alarm.cpu";
        LiveResource created = alarms.create(alarmSpec(address, Map.of("namespace", "AWS/EC2",
                "metricName", "CPUUtilization", "statistic", "Average", "period", 60L, "evaluationPeriods", 1L,
                "threshold", 90L, "comparisonOperator", "GreaterThanOrEqualToThreshold"), Map.of()), ctx(address));
        assertThat(created.attributes()).containsEntry("dimensions", Map.of()).containsEntry("alarmActions", List.of());
        cloudWatch().untagResource(b -> b.resourceARN((String) created.attributes().get("arn")).tagKeys("infra:stack"));

        assertThat(alarms.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
        assertThat(alarms.readAll(ReadRequest.of(stack, Set.of(created.id(), stack + "-gone")))).singleElement()
                .satisfies(r -> {
                    assertThat(r.id()).isEqualTo(created.id());
                    assertThat(r.address()).isEqualTo(address);
                });
        alarms.delete(created, ctx(address));
    }
}
