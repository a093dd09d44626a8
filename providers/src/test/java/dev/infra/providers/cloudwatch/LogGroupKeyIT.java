package dev.infra.providers.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.providers.testing.ProviderTestSupport;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.AccessDeniedException;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * A log group's KMS key must exist, be enabled and let CloudWatch Logs use it, and the emulator says so
 * (moto_launcher.py's patch_logs_kms_key_association), through raw SDK calls: CreateLogGroup with kmsKeyId and
 * AssociateKmsKey refuse a key whose policy names no logs principal, an unknown key and a disabled one.
 */
class LogGroupKeyIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "eu-west-3";
    }

    private CloudWatchLogsClient logs() {
        return clients.client(CloudWatchLogsClient.class, CloudWatchLogsClient::builder);
    }

    private KmsClient kms() {
        return clients.client(KmsClient.class, KmsClient::builder);
    }

    /** A key whose policy lets the account, and CloudWatch Logs of this region when {@code forLogs}, use it. */
    private String key(boolean forLogs) {
        String logs = ",{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"logs." + region() + ".amazonaws.com\"},"
                + "\"Action\":[\"kms:Encrypt*\",\"kms:Decrypt*\",\"kms:ReEncrypt*\",\"kms:GenerateDataKey*\","
                + "\"kms:Describe*\"],\"Resource\":\"*\"}";
        String policy = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
                + "\"arn:aws:iam::123456789012:root\"},\"Action\":\"kms:*\",\"Resource\":\"*\"}" + (forLogs ? logs : "")
                + "]}";
        return kms().createKey(b -> b.policy(policy)).keyMetadata().arn();
    }

    private void assertRefused(Runnable call, String group) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(AccessDeniedException.class, e ->
                assertThat(e.awsErrorDetails().errorMessage()).isEqualTo("The specified KMS key does not exist or is not"
                        + " allowed to be used with Arn 'arn:aws:logs:" + region() + ":123456789012:log-group:" + group + "'"));
    }

    private String kmsKeyOf(String group) {
        return logs().describeLogGroups(b -> b.logGroupNamePrefix(group)).logGroups().get(0).kmsKeyId();
    }

    @Test
    void createLogGroupTakesOnlyAKeyLogsMayUse() {
        String refused = "/" + stack + "/refused";
        assertRefused(() -> logs().createLogGroup(b -> b.logGroupName(refused).kmsKeyId(key(false))), refused);
        assertThat(logs().describeLogGroups(b -> b.logGroupNamePrefix(refused)).logGroups()).isEmpty();
        String accepted = "/" + stack + "/accepted";
        String key = key(true);
        logs().createLogGroup(b -> b.logGroupName(accepted).kmsKeyId(key));
        assertThat(kmsKeyOf(accepted)).isEqualTo(key);
    }

    @Test
    void associateKmsKeyTakesOnlyAKeyLogsMayUse() {
        String group = "/" + stack + "/associated";
        logs().createLogGroup(b -> b.logGroupName(group));
        String forLogs = key(true);
        assertRefused(() -> logs().associateKmsKey(b -> b.logGroupName(group).kmsKeyId(key(false))), group);
        String unknown = forLogs.substring(0, forLogs.lastIndexOf('/') + 1) + "00000000-0000-0000-0000-000000000000";
        assertRefused(() -> logs().associateKmsKey(b -> b.logGroupName(group).kmsKeyId(unknown)), group);
        assertThat(kmsKeyOf(group)).isNull();

        logs().associateKmsKey(b -> b.logGroupName(group).kmsKeyId(forLogs));
        assertThat(kmsKeyOf(group)).isEqualTo(forLogs);
        logs().disassociateKmsKey(b -> b.logGroupName(group));
        assertThat(kmsKeyOf(group)).isNull();

        kms().disableKey(b -> b.keyId(forLogs.substring(forLogs.lastIndexOf('/') + 1)));
        assertRefused(() -> logs().associateKmsKey(b -> b.logGroupName(group).kmsKeyId(forLogs)), group);
    }
}
