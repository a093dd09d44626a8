package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.PointInTimeRecoveryStatus;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Subnet;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.VpcAttributeName;

/**
 * Changes made outside infra (a VPC attribute, a subnet attribute, a tag, a table setting, a group's size) are each
 * corrected by one apply: what AWS returns afterwards is what the topology says, and the next plan is clean.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DriftIT {

    static final String REGION = "us-west-2";
    static final String STACK = "driftit";

    @TempDir
    static Path dir;

    static AwsClients aws;

    @BeforeAll
    static void start() throws IOException {
        Emulator.endpoint();
        aws = Emulator.clients(REGION);
        Files.writeString(dir.resolve("infra.yaml"), """
                stack: %s
                region: %s
                tags: {owner: platform}
                network:
                  cidr: 10.30.0.0/16
                  zones: 2
                  natGateways: single
                egressProxy:
                  instanceType: t3.small
                  capacity: {min: 1, max: 2}
                  allowedDomains: [.amazonaws.com]
                tables:
                  orders:
                    partitionKey: {name: id, type: S}
                    billing: on-demand
                    pointInTimeRecovery: true
                    deletionProtection: false
                encryption:
                  key: {rotation: true}
                """.formatted(STACK, REGION));
    }

    @AfterAll
    static void stop() {
        Cli.Result destroyed = infra("destroy", "--auto-approve");
        aws.close();
        assertThat(destroyed.exit()).as(destroyed.toString()).isZero();
    }

    static Cli.Result infra(String... args) {
        return infraIn(".infra", args);
    }

    static Cli.Result infraIn(String stateDir, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", dir.resolve("infra.yaml").toString(), "--state-dir", dir.resolve(stateDir).toString(),
                "--endpoint-url", Emulator.endpoint().toString(), "--max-attempts", "2"));
        return Cli.run(all.toArray(String[]::new));
    }

    @Test
    @Order(1)
    void oneApplyCorrectsEveryChangeMadeOutsideInfra() {
        Cli.Result applied = infra("apply", "--auto-approve");
        assertThat(applied.exit()).as(applied.toString()).isZero();
        Ec2Client ec2 = aws.ec2();
        String vpcId = ec2.describeVpcs(b -> b.filters(tag("infra:stack", STACK))).vpcs().get(0).vpcId();
        Subnet publicA = ec2.describeSubnets(b -> b.filters(tag("infra:address", "network/subnet.public-a"))).subnets().get(0);
        assertThat(publicA.mapPublicIpOnLaunch()).isTrue();
        String table = STACK + "-orders";
        AutoScalingClient autoscaling = aws.client(AutoScalingClient.class, AutoScalingClient::builder);
        String groupName = group(autoscaling).autoScalingGroupName();

        // Outside infra: DNS hostnames off, a tag changed, public IPs off, PITR off, the group resized.
        ec2.modifyVpcAttribute(b -> b.vpcId(vpcId).enableDnsHostnames(v -> v.value(false)));
        ec2.createTags(b -> b.resources(vpcId).tags(Tag.builder().key("owner").value("someone-else").build()));
        ec2.modifySubnetAttribute(b -> b.subnetId(publicA.subnetId()).mapPublicIpOnLaunch(v -> v.value(false)));
        DynamoDbClient dynamo = aws.client(DynamoDbClient.class, DynamoDbClient::builder);
        dynamo.updateContinuousBackups(b -> b.tableName(table)
                .pointInTimeRecoverySpecification(p -> p.pointInTimeRecoveryEnabled(false)));
        autoscaling.updateAutoScalingGroup(b -> b.autoScalingGroupName(groupName).minSize(2).maxSize(3).desiredCapacity(2));

        Cli.Result plan = infra("plan", "--detailed-exitcode");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(ExitCodes.CHANGES);
        // The drift section reads from what infra recorded to what AWS holds now.
        assertThat(plan.out()).contains("Objects have changed outside infra")
                .contains("enableDnsHostnames: true -> false").contains("pointInTimeRecovery: true -> false");

        Cli.Result fixed = infra("apply", "--auto-approve");
        assertThat(fixed.exit()).as(fixed.toString()).isZero();

        assertThat(ec2.describeVpcAttribute(b -> b.vpcId(vpcId).attribute(VpcAttributeName.ENABLE_DNS_HOSTNAMES))
                .enableDnsHostnames().value()).isTrue();
        assertThat(ec2.describeVpcs(b -> b.vpcIds(vpcId)).vpcs().get(0).tags())
                .contains(Tag.builder().key("owner").value("platform").build());
        assertThat(ec2.describeSubnets(b -> b.subnetIds(publicA.subnetId())).subnets().get(0).mapPublicIpOnLaunch()).isTrue();
        assertThat(dynamo.describeContinuousBackups(b -> b.tableName(table)).continuousBackupsDescription()
                .pointInTimeRecoveryDescription().pointInTimeRecoveryStatus()).isEqualTo(PointInTimeRecoveryStatus.ENABLED);
        AutoScalingGroup g = group(autoscaling);
        assertThat(List.of(g.minSize(), g.maxSize())).containsExactly(1, 2);

        Cli.Result clean = infra("plan", "--detailed-exitcode");
        assertThat(clean.exit()).as(clean.toString()).isZero();
    }

    /** A state that is not where this run looks: adopting the stack's resources is a change, shown and confirmed. */
    @Test
    @Order(2)
    void adoptingIntoAMissingStateIsAChangeToConfirm() {
        Cli.Result plan = infraIn("elsewhere", "plan", "--detailed-exitcode");
        assertThat(plan.exit()).as(plan.toString()).isEqualTo(ExitCodes.CHANGES);
        assertThat(plan.out()).contains("infra will adopt these resources into the state")
                .contains("because there is no state for this stack here")
                // The alias carries no tags: planned as a create, apply finds it by name. EBS default encryption is the
                // account's one per region: borrowed.
                .contains("Plan: 1 to add, 0 to change, 0 to replace, 0 to destroy, 18 to adopt.");

        // No terminal and no --auto-approve: refused, and nothing written.
        Cli.Result refused = infraIn("elsewhere", "apply");
        assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(refused.err()).contains("--auto-approve");
        assertThat(dir.resolve("elsewhere").resolve(STACK + "." + REGION + ".json")).doesNotExist();

        Cli.Result adopted = infraIn("elsewhere", "apply", "--auto-approve");
        assertThat(adopted.exit()).as(adopted.toString()).isZero();
        assertThat(adopted.out()).contains("Apply complete! Resources: 0 added, ").contains(" 19 adopted.");
        Cli.Result clean = infraIn("elsewhere", "plan", "--detailed-exitcode");
        assertThat(clean.exit()).as(clean.toString()).isZero();
    }

    static AutoScalingGroup group(AutoScalingClient autoscaling) {
        return autoscaling.describeAutoScalingGroups().autoScalingGroups().stream()
                .filter(g -> g.tags().stream().anyMatch(t -> t.key().equals("infra:stack") && t.value().equals(STACK)))
                .findFirst().orElseThrow();
    }

    static Filter tag(String key, String value) {
        return Filter.builder().name("tag:" + key).values(value).build();
    }
}
