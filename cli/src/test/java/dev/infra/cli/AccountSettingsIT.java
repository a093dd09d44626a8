package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.guardduty.GuardDutyClient;
import software.amazon.awssdk.services.guardduty.model.GetDetectorResponse;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Account-wide settings are borrowed, not owned: a GuardDuty detector and EBS encryption by default that the account
 * had before are taken by the first stack, left alone by a second one in the same region (its plan says so, its state
 * never records them), and are as they were once the first stack is destroyed.
 */
class AccountSettingsIT {

    static final String REGION = "ca-west-1";

    @TempDir
    static Path dir;

    static AwsClients aws;
    static Ec2Client ec2;
    static GuardDutyClient guardDuty;

    @BeforeAll
    static void start() throws IOException {
        aws = Emulator.clients(REGION);
        ec2 = aws.ec2();
        guardDuty = aws.client(GuardDutyClient.class, GuardDutyClient::builder);
        for (String stack : List.of("alpha", "beta")) {
            Files.createDirectories(dir.resolve(stack));
            Files.writeString(dir.resolve(stack).resolve("infra.yaml"), """
                    stack: %s
                    region: %s
                    encryption:
                      key: {rotation: false, multiRegion: false, deletionWindowDays: 7}
                    monitoring:
                      alarms: false
                      guardDuty: {findingFrequency: SIX_HOURS}
                    """.formatted(stack, REGION));
        }
    }

    @AfterAll
    static void stop() {
        aws.close();
    }

    static Cli.Result infra(String stack, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve(stack).resolve("infra.yaml").toString(),
                "--state-dir", dir.resolve(stack).resolve(".infra").toString(),
                "--endpoint-url", Emulator.endpoint().toString(), "--max-attempts", "2"));
        return Cli.run(all.toArray(String[]::new));
    }

    static String ebsDefaultKey() {
        return ec2.getEbsDefaultKmsKeyId(b -> { }).kmsKeyId();
    }

    static String stackKey(String stack) {
        return aws.client(KmsClient.class, KmsClient::builder).describeKey(b -> b.keyId("alias/infra-" + stack))
                .keyMetadata().arn();
    }

    @Test
    void settingsTheAccountHadAreBorrowedLeftToTheirHolderAndPutBack() {
        String own = aws.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description("the account's"))
                .keyMetadata().arn();
        ec2.enableEbsEncryptionByDefault(b -> { });
        ec2.modifyEbsDefaultKmsKeyId(b -> b.kmsKeyId(own));
        String detector = guardDuty.createDetector(b -> b.enable(true).findingPublishingFrequency("ONE_HOUR")
                .tags(Map.of("owner", "security-team"))).detectorId();

        Cli.Result alpha = infra("alpha", "apply", "--auto-approve");
        assertThat(alpha.exit()).as(alpha.toString()).isEqualTo(0);
        assertThat(alpha.out()).contains("because the account has one per region: the stack borrows it",
                "= encryption/ebs-default (aws_ebs_encryption_by_default) " + REGION + ", then update",
                "= monitoring/guardduty (aws_guardduty_detector) " + detector + ", then update");
        assertThat(guardDuty.listDetectors(b -> { }).detectorIds()).containsExactly(detector);
        assertThat(guardDuty.getDetector(b -> b.detectorId(detector)).tags()).containsEntry("infra:stack", "alpha");
        assertThat(ebsDefaultKey()).isEqualTo(stackKey("alpha"));

        Cli.Result beta = infra("beta", "apply", "--auto-approve");
        assertThat(beta.exit()).as(beta.toString()).isEqualTo(0);
        assertThat(beta.out()).contains("infra leaves these account-wide settings as they are: another stack holds them",
                "! encryption/ebs-default (aws_ebs_encryption_by_default) held by stack alpha",
                "! monitoring/guardduty (aws_guardduty_detector) held by stack alpha");
        assertThat(infra("beta", "state", "list").out()).doesNotContain("encryption/ebs-default", "monitoring/guardduty");
        Cli.Result again = infra("beta", "plan", "--detailed-exitcode");
        assertThat(again.exit()).as(again.toString()).isEqualTo(0);
        assertThat(again.out()).contains("held by stack alpha", "No changes.");
        assertThat(guardDuty.getDetector(b -> b.detectorId(detector)).findingPublishingFrequencyAsString())
                .isEqualTo("SIX_HOURS");

        // A volume outside the stack encrypted with alpha's key (made while it was the default): alpha's destroy plan
        // says deleting the key makes it unreadable.
        String volume = ec2.createVolume(b -> b.availabilityZone(REGION + "a").size(1)).volumeId();
        Cli.Result plan = infra("alpha", "plan", "--destroy");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(0);
        assertThat(plan.out()).contains("- encryption/key (aws_kms_key)",
                "! goes with it: the key of 1 EBS volume(s)/snapshot(s) outside the stack (" + volume + ")");

        Cli.Result destroyBeta = infra("beta", "destroy", "--auto-approve");
        assertThat(destroyBeta.exit()).as(destroyBeta.toString()).isEqualTo(0);
        assertThat(ebsDefaultKey()).isEqualTo(stackKey("alpha"));
        assertThat(guardDuty.getDetector(b -> b.detectorId(detector)).tags()).containsEntry("infra:stack", "alpha");

        Cli.Result destroyAlpha = infra("alpha", "destroy", "--auto-approve");
        assertThat(destroyAlpha.exit()).as(destroyAlpha.toString()).isEqualTo(0);
        assertThat(ec2.getEbsEncryptionByDefault(b -> { }).ebsEncryptionByDefault()).isTrue();
        assertThat(ebsDefaultKey()).isEqualTo(own);
        assertThat(guardDuty.listDetectors(b -> { }).detectorIds()).containsExactly(detector);
        GetDetectorResponse after = guardDuty.getDetector(b -> b.detectorId(detector));
        assertThat(after.findingPublishingFrequencyAsString()).isEqualTo("ONE_HOUR");
        assertThat(after.tags()).isEqualTo(Map.of("owner", "security-team"));

        ec2.deleteVolume(b -> b.volumeId(volume));
        guardDuty.deleteDetector(b -> b.detectorId(detector));
        ec2.disableEbsEncryptionByDefault(b -> { });
        ec2.resetEbsDefaultKmsKeyId(b -> { });
    }
}
