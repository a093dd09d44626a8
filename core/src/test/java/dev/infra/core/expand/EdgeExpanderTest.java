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

/** Load balancers, the firewall (every load balancer has it) and DNS for small topologies: one cluster in two zones. */
class EdgeExpanderTest {

    static final String BASE = """
            clusters:
              apps:
                ingress: {nodePort: 30080}
                nodeGroups: {general: {min: 1, max: 2}}
            firewall: {managedRuleGroups: [AWSManagedRulesCommonRuleSet], rateLimit: 500}
            """;

    /** An internet-facing and an internal load balancer. */
    static final String TWO = """
            loadBalancers:
              web: {scheme: internet-facing, target: clusters.apps}
              api: {scheme: internal, target: clusters.apps}
            """;

    @TempDir
    Path dir;

    private Map<String, ResourceSpec> expand(String yaml) {
        return expanded(topology(yaml));
    }

    private Topology topology(String yaml) {
        return small(dir, BASE + yaml);
    }

    @Test
    void anInternetFacingLoadBalancerForwardsToTheClustersIngress() {
        Map<String, ResourceSpec> lb = under(expand("""
                loadBalancers:
                  web: {scheme: internet-facing, target: clusters.apps}
                """), "load-balancer.web");
        assertThat(lb).containsOnlyKeys(
                "load-balancer.web/security-group",
                "load-balancer.web/security-group/rule.ingress-tcp-80-0.0.0.0_0",
                "load-balancer.web/alb",
                "load-balancer.web/target-group",
                "load-balancer.web/attachment.general",
                "load-balancer.web/nodes/rule.ingress-tcp-30080-sg-web-security-group",
                "load-balancer.web/listener.http");
        Ref sg = Ref.id("load-balancer.web/security-group");
        Ref tg = Ref.id("load-balancer.web/target-group");

        ResourceSpec alb = lb.get("load-balancer.web/alb");
        assertThat(alb.type()).isEqualTo("aws_lb");
        assertThat(alb.attributes()).containsEntry("name", "shop-web").containsEntry("scheme", "internet-facing")
                .containsEntry("type", "application")
                .containsEntry("subnetIds", List.of(Ref.id("network/subnet.public-a"), Ref.id("network/subnet.public-b")))
                .containsEntry("securityGroupIds", List.of(sg)).doesNotContainKey("accessLogsBucket");
        assertThat(lb.get("load-balancer.web/security-group/rule.ingress-tcp-80-0.0.0.0_0").attributes())
                .containsEntry("securityGroupId", sg).containsEntry("cidrIpv4", "0.0.0.0/0")
                .containsEntry("fromPort", 80L).containsEntry("toPort", 80L);

        // The port is in the target group's name: a new NodePort is a new group, made before the old one goes.
        assertThat(lb.get("load-balancer.web/target-group").attributes()).containsEntry("name", "shop-web-30080")
                .containsEntry("port", 30080L).containsEntry("vpcId", Ref.id("network/vpc"))
                .containsEntry("healthCheckPath", "/healthz");
        ResourceSpec attachment = lb.get("load-balancer.web/attachment.general");
        assertThat(attachment.type()).isEqualTo("aws_autoscaling_attachment");
        assertThat(attachment.attributes())
                .containsEntry("autoScalingGroupName", Ref.to("cluster.apps/node-group.general", "autoScalingGroupName"))
                .containsEntry("targetGroupArn", tg);
        // The nodes take the ALB's traffic on the NodePort through the group EKS puts them in.
        assertThat(lb.get("load-balancer.web/nodes/rule.ingress-tcp-30080-sg-web-security-group").attributes())
                .containsEntry("securityGroupId", Ref.to("cluster.apps/cluster", "clusterSecurityGroupId"))
                .containsEntry("referencedGroupId", sg).containsEntry("fromPort", 30080L);
        assertThat(lb.get("load-balancer.web/listener.http").attributes())
                .containsEntry("loadBalancerArn", Ref.id("load-balancer.web/alb")).containsEntry("port", 80L)
                .containsEntry("defaultAction", Map.of("type", "forward", "targetGroupArn", tg));
    }

    @Test
    void anInternalLoadBalancerWithADomainServesHttpsOnACertificateValidatedInTheZone() {
        Map<String, ResourceSpec> specs = expand("""
                loadBalancers:
                  api: {scheme: internal, target: clusters.apps, domain: api.shop.example.com}
                dns: {zone: shop.example.com}
                """);
        Map<String, ResourceSpec> lb = under(specs, "load-balancer.api");
        assertThat(lb).containsKeys(
                "load-balancer.api/security-group/rule.ingress-tcp-80-10.0.0.0_16",
                "load-balancer.api/security-group/rule.ingress-tcp-443-10.0.0.0_16",
                "load-balancer.api/certificate", "load-balancer.api/certificate-record",
                "load-balancer.api/certificate-validation", "load-balancer.api/listener.https");
        assertThat(lb.get("load-balancer.api/alb").attributes()).containsEntry("scheme", "internal")
                .containsEntry("subnetIds", List.of(Ref.id("network/subnet.private-a"), Ref.id("network/subnet.private-b")));

        String cert = "load-balancer.api/certificate";
        assertThat(lb.get(cert).attributes()).containsEntry("domainName", "api.shop.example.com")
                .containsEntry("validationMethod", "DNS");
        assertThat(lb.get("load-balancer.api/certificate-record").attributes())
                .containsEntry("zoneId", Ref.id("dns/zone"))
                .containsEntry("name", Ref.to(cert, "validationRecordName"))
                .containsEntry("values", List.of(Ref.to(cert, "validationRecordValue")));
        ResourceSpec validation = lb.get("load-balancer.api/certificate-validation");
        assertThat(validation.attributes()).containsEntry("certificateArn", Ref.id(cert));
        assertThat(validation.dependsOn()).containsExactly("load-balancer.api/certificate-record");

        assertThat(lb.get("load-balancer.api/listener.https").attributes()).containsEntry("port", 443L)
                .containsEntry("certificateArn", Ref.id("load-balancer.api/certificate-validation"))
                .containsEntry("defaultAction", Map.of("type", "forward", "targetGroupArn",
                        Ref.id("load-balancer.api/target-group")));
        assertThat(lb.get("load-balancer.api/listener.http").attributes())
                .containsEntry("defaultAction", Map.of("type", "redirect", "port", "443", "protocol", "HTTPS"));
    }

    @Test
    void aGivenCertificateIsUsedAsIs() {
        String arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
        Map<String, ResourceSpec> lb = under(expand("""
                loadBalancers:
                  web: {scheme: internet-facing, target: clusters.apps, certificateArn: %s}
                """.formatted(arn)), "load-balancer.web");
        assertThat(lb.get("load-balancer.web/listener.https").attributes()).containsEntry("certificateArn", arn);
        assertThat(lb).containsKey("load-balancer.web/security-group/rule.ingress-tcp-443-0.0.0.0_0")
                .doesNotContainKeys("load-balancer.web/certificate", "load-balancer.web/certificate-validation");
    }

    @Test
    void theFirewallGuardsEveryLoadBalancerAndLogsToItsBucket() {
        Map<String, ResourceSpec> firewall = under(expand(TWO), "firewall");
        assertThat(firewall).containsOnlyKeys("firewall/log-bucket", "firewall/web-acl", "firewall/association.api",
                "firewall/association.web", "firewall/logging");
        assertThat(firewall.get("firewall/log-bucket").type()).isEqualTo("aws_s3_bucket");
        assertThat((String) firewall.get("firewall/log-bucket").attributes().get("bucket")).startsWith("aws-waf-logs-shop-");
        assertThat(firewall.get("firewall/web-acl").attributes()).containsEntry("scope", "REGIONAL")
                .containsEntry("rateLimit", 500L).containsEntry("name", "shop-web-acl")
                .containsEntry("managedRuleGroups", List.of("AWSManagedRulesCommonRuleSet"));
        Ref acl = Ref.to("firewall/web-acl", "arn");
        assertThat(firewall.get("firewall/association.api").attributes()).containsEntry("webAclArn", acl)
                .containsEntry("resourceArn", Ref.id("load-balancer.api/alb"));
        assertThat(firewall.get("firewall/logging").attributes()).containsEntry("webAclArn", acl)
                .containsEntry("logDestination", Ref.to("firewall/log-bucket", "arn"));
    }

    @Test
    void dnsMakesTheZonesAndAnAliasRecordPerName() {
        Map<String, ResourceSpec> dns = under(expand(TWO + """
                dns:
                  zone: shop.example.com
                  privateZone: shop.internal
                  records:
                    - {name: www, target: loadBalancers.web}
                    - {name: "@", target: loadBalancers.web}
                    - {name: api, target: loadBalancers.api, private: true}
                """), "dns");
        assertThat(dns).containsOnlyKeys("dns/zone", "dns/private-zone", "dns/record.www", "dns/record._",
                "dns/private-record.api");
        assertThat(dns.get("dns/zone").attributes()).containsEntry("name", "shop.example.com.");
        assertThat(dns.get("dns/private-zone").attributes()).containsEntry("name", "shop.internal.")
                .containsEntry("vpcId", Ref.id("network/vpc"));
        assertThat(dns.get("dns/record.www").attributes()).containsEntry("zoneId", Ref.id("dns/zone"))
                .containsEntry("name", "www.shop.example.com.").containsEntry("type", "A")
                .containsEntry("aliasDnsName", Ref.to("load-balancer.web/alb", "dnsName"))
                .containsEntry("aliasZoneId", Ref.to("load-balancer.web/alb", "canonicalHostedZoneId"))
                .doesNotContainKeys("setIdentifier", "healthCheckId");
        assertThat(dns.get("dns/record._").attributes()).containsEntry("name", "shop.example.com.");
        assertThat(dns.get("dns/private-record.api").attributes()).containsEntry("zoneId", Ref.id("dns/private-zone"))
                .containsEntry("name", "api.shop.internal.")
                .containsEntry("aliasDnsName", Ref.to("load-balancer.api/alb", "dnsName"));
    }

    /** Across regions the public record fails over on a health check; the replica's record goes in the primary's zone. */
    @Test
    void aReplicatedRecordFailsOverOnAHealthCheckOfItsRegion() {
        Topology primary = topology("""
                loadBalancers:
                  web: {scheme: internet-facing, target: clusters.apps, domain: www.shop.example.com}
                dns:
                  zone: shop.example.com
                  records: [{name: www, target: loadBalancers.web}]
                """).withReplicas(List.of("eu-west-2"));
        Map<String, ResourceSpec> p = expanded(primary);
        assertThat(p.get("dns/health-check.www").attributes()).containsEntry("type", "HTTPS").containsEntry("port", 443L)
                .containsEntry("fqdn", Ref.to("load-balancer.web/alb", "dnsName"));
        assertThat(p.get("dns/record.www").attributes()).containsEntry("setIdentifier", "us-east-1")
                .containsEntry("failover", "PRIMARY").containsEntry("healthCheckId", Ref.id("dns/health-check.www"));

        Map<String, ResourceSpec> r = expanded(primary.asReplica("eu-west-2", "10.1.0.0/16", List.of("a", "b"),
                List.of("eu-west-2")));
        assertThat(r).doesNotContainKeys("dns/zone", "load-balancer.web/certificate-record");
        assertThat(r.get("dns/record.www").attributes()).containsEntry("zoneId", Ref.in("us-east-1", "dns/zone", "id"))
                .containsEntry("setIdentifier", "eu-west-2").containsEntry("failover", "SECONDARY");
        // ACM gives the account the same validation record in every region: the primary's validates the replica's.
        assertThat(r.get("load-balancer.web/certificate-validation").dependsOn()).isEmpty();
    }
}
