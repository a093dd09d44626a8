package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.FakeHelm;
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
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * What AWS refuses of a change, given what the stack runs now, is refused by the plan at the YAML line that asks for it,
 * all at once and before anything changes: an EKS version that skips a minor version or goes down, a TTL attribute
 * renamed, and replicas of a provisioned table. What AWS takes (one minor version up) then applies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlanRefusalsIT {

    static final String REGION = "eu-north-1";
    static final String REPLICA = "eu-west-1";
    static final String STACK = "refusalsit";

    @TempDir
    static Path dir;

    static AwsClients aws;

    @BeforeAll
    static void start() throws IOException {
        aws = Emulator.clients(REGION);
        write("1.29", "expiresAt", "billing: on-demand");
    }

    @AfterAll
    static void stop() throws IOException {
        write("1.30", "expiresAt", "billing: on-demand");
        Cli.Result destroyed = infra("destroy", "--auto-approve");
        aws.close();
        assertThat(destroyed.exit()).as(destroyed.toString()).isZero();
    }

    static void write(String version, String ttl, String billing) throws IOException {
        Files.writeString(file(), """
                stack: %s
                region: %s
                network:
                  cidr: 10.40.0.0/16
                  zones: 2
                  natGateways: none
                encryption:
                  key: {rotation: true, multiRegion: true}
                clusters:
                  apps:
                    version: "%s"
                    nodeGroups:
                      general: {instanceTypes: [m5.large], min: 1, max: 2}
                tables:
                  orders:
                    partitionKey: {name: id, type: S}
                    %s
                    ttl: %s
                    deletionProtection: false
                """.formatted(STACK, REGION, version, billing, ttl));
    }

    static Path file() {
        return dir.resolve("infra.yaml");
    }

    static Cli.Result infra(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", file().toString(), "--state-dir", dir.resolve(".infra").toString(),
                "--endpoint-url", Emulator.endpoint().toString(), "--max-attempts", "2",
                "--helm", FakeHelm.in(dir.resolve("helm-bin")).binary().toString()));
        return Cli.run(all.toArray(String[]::new));
    }

    /** {@code file:line} of the first line holding {@code text}. */
    static String at(String text) throws IOException {
        List<String> lines = Files.readAllLines(file());
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return file() + ":" + (i + 1) + ":";
            }
        }
        throw new AssertionError(text + " is not in the topology");
    }

    static String clusterVersion() {
        return aws.eks().describeCluster(b -> b.name(STACK + "-apps")).cluster().version();
    }

    static DynamoDbClient dynamo(AwsClients in) {
        return in.client(DynamoDbClient.class, DynamoDbClient::builder);
    }

    static String ttl() {
        return dynamo(aws).describeTimeToLive(b -> b.tableName(STACK + "-orders")).timeToLiveDescription().attributeName();
    }

    @Test
    @Order(1)
    void apply() {
        Cli.Result applied = infra("apply", "--auto-approve");
        assertThat(applied.exit()).as(applied.toString()).isZero();
        assertThat(clusterVersion()).isEqualTo("1.29");
        assertThat(ttl()).isEqualTo("expiresAt");
    }

    @Test
    @Order(2)
    void aVersionJumpAndATtlRenameAreRefusedTogetherAtTheirLines() throws IOException {
        write("1.31", "validUntil", "billing: on-demand");
        for (String command : List.of("plan", "apply")) {
            Cli.Result r = command.equals("plan") ? infra("plan") : infra("apply", "--auto-approve");
            assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.ERROR);
            assertThat(r.err()).contains(at("version:") + "5: error: cluster.apps/cluster: version 1.29 → 1.31: EKS refuses"
                    + " this (\"Unsupported Kubernetes minor version update from 1.29 to 1.31\"): a cluster goes up one"
                    + " minor version per update; set version: \"1.30\", apply")
                    .contains(at("partitionKey") + "5: error: table.orders: ttlAttribute expiresAt → validUntil:")
                    .contains("remove ttl, apply, wait an hour, then set ttl: validUntil and apply")
                    .contains("2 errors");
        }
        assertThat(clusterVersion()).isEqualTo("1.29");
        assertThat(ttl()).isEqualTo("expiresAt");
    }

    @Test
    @Order(3)
    void aDowngradeIsRefused() throws IOException {
        write("1.28", "expiresAt", "billing: on-demand");
        Cli.Result r = infra("plan");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.err()).contains("version 1.29 → 1.28:").contains("a cluster is never downgraded; keep version: \"1.29\"");
        assertThat(clusterVersion()).isEqualTo("1.29");
    }

    @Test
    @Order(4)
    void theNextMinorVersionApplies() throws IOException {
        write("1.30", "expiresAt", "billing: on-demand");
        Cli.Result applied = infra("apply", "--auto-approve");
        assertThat(applied.exit()).as(applied.toString()).isZero();
        assertThat(clusterVersion()).isEqualTo("1.30");
        Cli.Result plan = infra("plan", "--detailed-exitcode");
        assertThat(plan.exit()).as(plan.toString()).isZero();
    }

    @Test
    @Order(5)
    void aProvisionedTableIsNotReplicated() throws IOException {
        write("1.30", "expiresAt", "billing: provisioned\n    capacity: {read: 5, write: 5}");
        Cli.Result r = infra("replicate", "--to", REPLICA, "--auto-approve");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.ERROR);
        assertThat(r.err()).contains(at("billing: provisioned") + "14: error: tables.orders.billing:")
                .contains("Table write capacity should either be Pay-Per-Request or AutoScaled");
        try (AwsClients replica = Emulator.clients(REPLICA)) {
            assertThat(dynamo(replica).listTables().tableNames()).doesNotContain(STACK + "-orders");
        }
        assertThat(dynamo(aws).describeTable(b -> b.tableName(STACK + "-orders")).table().billingModeSummary()
                .billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
        // The stack still has no replica: the plan covers its one region.
        write("1.30", "expiresAt", "billing: on-demand");
        Cli.Result plan = infra("plan", "--detailed-exitcode");
        assertThat(plan.exit()).as(plan.toString()).isZero();
        assertThat(plan.out() + plan.err()).doesNotContain(REPLICA);
    }
}
