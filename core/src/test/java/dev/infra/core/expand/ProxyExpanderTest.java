package dev.infra.core.expand;

import static dev.infra.core.testing.Fixtures.expanded;
import static dev.infra.core.testing.Fixtures.small;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Squid and Teleport for small topologies: a network in two zones and the stack key. */
class ProxyExpanderTest {

    static final List<Ref> PUBLIC = List.of(Ref.id("network/subnet.public-a"), Ref.id("network/subnet.public-b"));

    @TempDir
    Path dir;

    private Map<String, ResourceSpec> expand(String yaml) {
        return expanded(small(dir, yaml));
    }

    @Test
    void theEgressProxyIsAGroupInThePublicSubnetsThatTheVpcReachesOnItsPort() {
        Map<String, ResourceSpec> specs = expand("""
                egressProxy: {capacity: {min: 1, max: 3, desired: 2}, allowedDomains: [.github.com, pypi.org], port: 8080}
                """);
        assertThat(specs.keySet()).filteredOn(a -> a.startsWith("egress-proxy")).containsExactlyInAnyOrder(
                "egress-proxy/security-group", "egress-proxy/security-group/rule.ingress-tcp-8080-10.0.0.0_16",
                "egress-proxy/launch-template", "egress-proxy/group");
        Ref sg = Ref.id("egress-proxy/security-group");
        assertThat(specs.get("egress-proxy/security-group").attributes()).containsEntry("groupName", "shop-egress-proxy")
                .containsEntry("vpcId", Ref.id("network/vpc"));
        assertThat(specs.get("egress-proxy/security-group/rule.ingress-tcp-8080-10.0.0.0_16").attributes())
                .containsEntry("securityGroupId", sg).containsEntry("cidrIpv4", "10.0.0.0/16").containsEntry("fromPort", 8080L);
        ResourceSpec template = specs.get("egress-proxy/launch-template");
        assertThat(template.attributes()).containsEntry("name", "shop-egress-proxy")
                .containsEntry("securityGroupIds", List.of(sg)).containsEntry("rootVolumeSize", 20L)
                .containsEntry("kmsKeyId", Ref.to("encryption/key", "arn")).doesNotContainKey("iamInstanceProfileArn");
        // The allowlist is in the user data: changing it is a new template version, which rolls the group.
        assertThat((String) template.attributes().get("userData")).contains("http_port 8080",
                "acl clients src 10.0.0.0/16", "acl allowed dstdomain .github.com pypi.org");
        assertThat(specs.get("egress-proxy/group").attributes()).containsEntry("name", "shop-egress-proxy")
                .containsEntry("launchTemplateId", Ref.id("egress-proxy/launch-template"))
                .containsEntry("launchTemplateVersion", Ref.to("egress-proxy/launch-template", "latestVersion"))
                .containsEntry("minSize", 1L).containsEntry("maxSize", 3L).containsEntry("desiredCapacity", 2L)
                .containsEntry("subnetIds", PUBLIC).containsEntry("targetGroupArns", List.of());
    }

    @Test
    void theAccessProxyHasProxiesOnTheTeleportPortsAndAuthServersOnVolumesOfTheirOwn() {
        Map<String, ResourceSpec> specs = expand("""
                accessProxy:
                  capacity: {min: 1, max: 3, cpuTarget: 50}
                  allowedCidrs: [203.0.113.0/24]
                  authServers: {count: 3, volumeSize: 10}
                """);
        assertThat(specs.keySet()).filteredOn(a -> a.startsWith("access-proxy")).containsExactlyInAnyOrder(
                "access-proxy/security-group",
                "access-proxy/security-group/rule.ingress-tcp-443-203.0.113.0_24",
                "access-proxy/security-group/rule.ingress-tcp-3023-203.0.113.0_24",
                "access-proxy/security-group/rule.ingress-tcp-3024-203.0.113.0_24",
                "access-proxy/security-group/rule.ingress-tcp-3080-203.0.113.0_24",
                "access-proxy/launch-template", "access-proxy/group", "access-proxy/scaling-policy",
                "access-proxy/auth-security-group",
                "access-proxy/auth-security-group/rule.ingress-tcp-3025-sg-access-proxy-security-group",
                "access-proxy/auth-launch-template",
                "access-proxy/auth-server.0", "access-proxy/auth-data.0", "access-proxy/auth-data-attachment.0",
                "access-proxy/auth-server.1", "access-proxy/auth-data.1", "access-proxy/auth-data-attachment.1",
                "access-proxy/auth-server.2", "access-proxy/auth-data.2", "access-proxy/auth-data-attachment.2");
        assertThat(specs.get("access-proxy/group").attributes()).containsEntry("subnetIds", PUBLIC);
        assertThat(specs.get("access-proxy/scaling-policy").attributes())
                .containsEntry("autoScalingGroupName", Ref.id("access-proxy/group"))
                .containsEntry("name", "shop-access-proxy-cpu").containsEntry("targetCpu", 50L);
        // The auth servers take traffic from the proxies' group only.
        assertThat(specs.get("access-proxy/auth-security-group/rule.ingress-tcp-3025-sg-access-proxy-security-group")
                .attributes()).containsEntry("securityGroupId", Ref.id("access-proxy/auth-security-group"))
                .containsEntry("referencedGroupId", Ref.id("access-proxy/security-group"));
        assertThat((String) specs.get("access-proxy/auth-launch-template").attributes().get("userData"))
                .contains("auth_service:\n  enabled: true", "mkdir -p /var/lib/teleport");
        assertThat((String) specs.get("access-proxy/launch-template").attributes().get("userData"))
                .contains("proxy_service:\n  enabled: true", "auth_server: teleport-auth.shop.internal:3025");

        // Spread over the zones in turn, each on the auth template, its data on its own volume in its zone.
        assertThat(specs.get("access-proxy/auth-server.2").attributes())
                .containsEntry("launchTemplateId", Ref.id("access-proxy/auth-launch-template"))
                .containsEntry("subnetId", Ref.id("network/subnet.private-a"));
        assertThat(specs.get("access-proxy/auth-server.1").attributes())
                .containsEntry("subnetId", Ref.id("network/subnet.private-b"));
        assertThat(specs.get("access-proxy/auth-data.1").attributes()).containsEntry("availabilityZone", "us-east-1b")
                .containsEntry("size", 10L).containsEntry("encrypted", true);
        assertThat(specs.get("access-proxy/auth-data-attachment.1").attributes())
                .containsEntry("volumeId", Ref.id("access-proxy/auth-data.1"))
                .containsEntry("instanceId", Ref.id("access-proxy/auth-server.1"));
    }

    @Test
    void withoutACpuTargetTheProxiesDoNotScaleAndAnyoneMayReachThem() {
        Map<String, ResourceSpec> specs = expand("""
                accessProxy: {capacity: {min: 1, max: 1}}
                """);
        assertThat(specs).doesNotContainKey("access-proxy/scaling-policy")
                .containsKeys("access-proxy/security-group/rule.ingress-tcp-443-0.0.0.0_0", "access-proxy/auth-server.0");
    }
}
