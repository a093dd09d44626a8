package dev.infra.core.expand;

import static dev.infra.core.testing.Fixtures.invalid;
import static dev.infra.core.testing.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code monitoring.instanceLogs}: the CloudWatch agent on every instance, configured by user data, and its role. */
class InstanceLogsTest {

    @Test
    void everyInstanceShipsItsLogsToItsGroupWithTheAgent() {
        Map<String, ResourceSpec> specs = ReplicationTest.byAddress(ReplicationTest.SEED);
        Ref profile = Ref.to(InstanceLogShipping.PROFILE, "arn");
        Map<String, List<String>> expected = Map.of(
                "egress-proxy/launch-template", List.of("/infra/shop/proxies", "/var/log/squid/access.log"),
                "access-proxy/launch-template", List.of("/infra/shop/proxies", "/var/log/teleport/teleport.log"),
                "access-proxy/auth-launch-template", List.of("/infra/shop/proxies", "/var/log/teleport/teleport.log"),
                "service.prometheus/launch-template", List.of("/infra/shop/applications", "/var/lib/docker/containers/"),
                "service.grafana/launch-template", List.of("/infra/shop/applications", "/var/lib/docker/containers/"),
                "service.vault/launch-template", List.of("/infra/shop/applications", "/var/lib/docker/containers/"));
        expected.forEach((template, shipped) -> {
            Map<String, Object> a = specs.get(template).attributes();
            assertThat(a).as(template).containsEntry("iamInstanceProfileArn", profile);
            assertThat((String) a.get("userData")).as(template)
                    .contains("dnf install -y amazon-cloudwatch-agent", "amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s")
                    .contains("\"log_group_name\":\"" + shipped.get(0) + "\"").contains(shipped.get(1))
                    .contains("\"log_stream_name\":\"{instance_id}/");
        });
        assertThat((String) specs.get("access-proxy/launch-template").attributes().get("userData"))
                .contains("  log:\n    output: /var/log/teleport/teleport.log\n");
        String policy = (String) specs.get(InstanceLogShipping.ROLE.toString()).attributes().get("inlinePolicy");
        assertThat(policy).contains("\"logs:CreateLogStream\"", "\"logs:PutLogEvents\"")
                .contains("arn:aws:logs:*:${infra:account}:log-group:/infra/shop/applications:*",
                        "arn:aws:logs:*:${infra:account}:log-group:/infra/shop/proxies:*");
        assertThat(specs.get(InstanceLogShipping.PROFILE.toString()).attributes()).containsEntry("roleName", Ref.id(InstanceLogShipping.ROLE));
    }

    @Test
    void withoutInstanceLogsTheInstancesShipNothing(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("infra.yaml");
        Files.writeString(file, Files.readString(Path.of("../samples/seed-architecture.yaml"))
                .replace("  instanceLogs: {proxies: proxies, services: applications}\n", ""));
        Map<String, ResourceSpec> specs = ReplicationTest.byAddress(dev.infra.core.topology.TopologyLoader.load(file).topology());
        assertThat(specs).doesNotContainKeys(InstanceLogShipping.ROLE.toString(), InstanceLogShipping.PROFILE.toString());
        assertThat(specs.get("egress-proxy/launch-template").attributes()).doesNotContainKey("iamInstanceProfileArn");
        assertThat((String) specs.get("access-proxy/launch-template").attributes().get("userData"))
                .doesNotContain("amazon-cloudwatch-agent", "output: /var/log/teleport");
    }

    @Test
    void aGroupThatIsNotALogGroupIsAnErrorAtItsLine(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("infra.yaml");
        Files.writeString(file, """
                stack: shop
                region: us-east-1
                encryption:
                  key: {rotation: true}
                monitoring:
                  alarms: false
                  logGroups: {applications: {retentionDays: 30}}
                  instanceLogs: {services: apps}
                """);
        assertThat(rendered(invalid(file))).containsExactly(file + ":8:28: error: monitoring.instanceLogs.services: "
                + "'apps' is not a log group of monitoring.logGroups; one of [applications]");
    }
}
