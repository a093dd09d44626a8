package dev.infra.core.expand;

import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.model.Address;
import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.Edge.Cluster;
import dev.infra.core.topology.Edge.Dns;
import dev.infra.core.topology.Edge.DnsRecord;
import dev.infra.core.topology.Edge.Firewall;
import dev.infra.core.topology.Edge.LoadBalancer;
import dev.infra.core.topology.Partition;
import dev.infra.core.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code loadBalancers:} → per ALB a security group, the load balancer (public subnets when
 * internet-facing, private otherwise), a target group on the cluster's ingress NodePort, an HTTP
 * listener (redirecting to HTTPS when a certificate is given) and an HTTPS listener; with
 * {@code monitoring.loadBalancerLogs}, access logs to the region's log bucket under the ALB's name.
 * {@code firewall:} → the WAF log bucket, one REGIONAL web ACL, its association with every ALB and
 * its logging. {@code dns:} → the public zone, the private zone in the VPC, alias records.
 */
final class EdgeExpander implements ComponentExpander {

    @Override
    public void expand(Topology topology, Expansion out) {
        topology.loadBalancers().values().forEach(lb -> loadBalancer(topology, lb, out));
        if (topology.firewall() != null) {
            firewall(topology, topology.firewall(), out);
        }
        if (topology.dns() != null) {
            dns(topology, topology.dns(), out);
        }
    }

    static final Address WAF_LOG_BUCKET = Addresses.FIREWALL.child("log-bucket");

    private static void loadBalancer(Topology t, LoadBalancer lb, Expansion out) {
        Address prefix = Addresses.loadBalancer(lb.name());
        Address sg = prefix.child("security-group");
        SecurityGroups.group(out, sg, "alb-" + lb.name(), "ALB " + lb.name(), Set.of(), lb.at());
        String from = lb.internetFacing() ? "0.0.0.0/0" : t.network().cidr();
        SecurityGroups.rule(out, sg, "ingress", "tcp", 80, 80, from, "HTTP", lb.at());
        if (lb.https()) {
            SecurityGroups.rule(out, sg, "ingress", "tcp", 443, 443, from, "HTTPS", lb.at());
        }
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("name", out.name(lb.name(), AwsRules.LOAD_BALANCER));
        attrs.put("scheme", lb.internetFacing() ? "internet-facing" : "internal");
        attrs.put("type", "application");
        attrs.put("subnetIds", Instances.subnets(lb.internetFacing() ? "public" : "private", t.network().zones()));
        attrs.put("securityGroupIds", List.of(Ref.id(sg)));
        if (LoadBalancerLogging.on(t)) {
            // The bucket's id: the load balancer waits for the bucket and its policy (AWS checks it may write there).
            attrs.put("accessLogsBucket", Ref.id(LoadBalancerLogging.BUCKET));
            attrs.put("accessLogsPrefix", LoadBalancerLogging.prefix(lb.name()));
        }
        out.add(Addresses.alb(lb.name()), "aws_lb", "alb-" + lb.name(), attrs, lb.at());
        Cluster cluster = t.clusters().get(lb.cluster());
        Address tg = prefix.child("target-group");
        out.add(tg, "aws_lb_target_group", "tg-" + lb.name(), Map.of(
                // The port in the name: a new port is a new group, made before the old one goes (create-before-destroy).
                "name", out.name(lb.name() + "-" + cluster.ingressNodePort(), AwsRules.TARGET_GROUP),
                "port", (long) cluster.ingressNodePort(),
                "protocol", "HTTP",
                "vpcId", Ref.id(Addresses.VPC),
                "targetType", "instance",
                "healthCheckPath", "/healthz"), lb.at());
        // The nodes register as their node groups' Auto Scaling groups launch them, and let the ALB reach the
        // ingress NodePort through the group EKS puts them in.
        for (String group : cluster.nodeGroups().keySet()) {
            out.addUntagged(prefix.child("attachment", group), "aws_autoscaling_attachment", Map.of(
                    "autoScalingGroupName", Ref.to(Addresses.cluster(cluster.name()).child("node-group", group),
                            "autoScalingGroupName"),
                    "targetGroupArn", Ref.id(tg)), Set.of(), lb.at());
        }
        SecurityGroups.ruleOn(out, prefix.child("nodes"), Ref.to(Addresses.eksCluster(cluster.name()), "clusterSecurityGroupId"),
                "ingress", "tcp", cluster.ingressNodePort(), cluster.ingressNodePort(), Ref.id(sg),
                "ALB " + lb.name() + " to the ingress NodePort", lb.at());
        Map<String, Object> forward = Map.of("type", "forward", "targetGroupArn", Ref.id(tg));
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("loadBalancerArn", Ref.id(Addresses.alb(lb.name())));
        http.put("port", 80L);
        http.put("protocol", "HTTP");
        http.put("defaultAction", !lb.https() ? forward
                : Map.of("type", "redirect", "port", "443", "protocol", "HTTPS"));
        out.add(prefix.child("listener", "http"), "aws_lb_listener", "listener-" + lb.name() + "-http", http, lb.at());
        if (lb.https()) {
            out.add(prefix.child("listener", "https"), "aws_lb_listener", "listener-" + lb.name() + "-https", Map.of(
                    "loadBalancerArn", Ref.id(Addresses.alb(lb.name())),
                    "port", 443L,
                    "protocol", "HTTPS",
                    "certificateArn", lb.domain() != null ? certificate(t, lb, prefix, out) : lb.certificateArn(),
                    "defaultAction", forward), lb.at());
        }
    }

    /**
     * An ACM certificate for the ALB's domain in this region (certificates are regional), validated by the CNAME ACM
     * asks for in the public zone; the listener takes it once issued. ACM gives one account the same CNAME for a name
     * in every region (ACM User Guide, "DNS validation"), so a replica's certificate is validated by the primary's
     * record and the replica makes none of its own.
     */
    private static Ref certificate(Topology t, LoadBalancer lb, Address prefix, Expansion out) {
        Address cert = prefix.child("certificate");
        out.add(cert, "aws_acm_certificate", "certificate-" + lb.name(), Map.of(
                "domainName", lb.domain(),
                "subjectAlternativeNames", List.of(),
                "validationMethod", "DNS"), lb.at());
        Address record = prefix.child("certificate-record");
        if (!t.replica()) {
            out.addUntagged(record, "aws_route53_record", Map.of(
                    "zoneId", Ref.id(Addresses.ZONE),
                    "name", Ref.to(cert, "validationRecordName"),
                    "type", Ref.to(cert, "validationRecordType"),
                    "values", List.of(Ref.to(cert, "validationRecordValue")),
                    "ttl", 300L), Set.of(), lb.at());
        }
        Address validation = prefix.child("certificate-validation");
        out.addUntagged(validation, "aws_acm_certificate_validation", Map.of("certificateArn", Ref.id(cert)),
                t.replica() ? Set.of() : Set.of(record), lb.at());
        return Ref.id(validation);
    }

    /**
     * Who may write the web ACL's logs: the log delivery service, for this account's log deliveries in the region only
     * (aws:SourceAccount, aws:SourceArn), under {@code AWSLogs/<account>/} (CloudWatch Logs User Guide, "Logs sent to
     * Amazon S3", which WAF logging to S3 uses).
     */
    static String wafLogPolicy(Topology t, String bucket) {
        return DataExpander.canonicalJson(new TreeMap<>(Map.of("Version", "2012-10-17",
                "Statement", logDeliveryStatements(t, bucket, ""))));
    }

    /**
     * The log delivery service's two statements (write under {@code <folder>AWSLogs/<account>/}, read the bucket's ACL),
     * for this account's log deliveries in the region only: what WAF logging and VPC flow logs to S3 both use.
     */
    static List<Object> logDeliveryStatements(Topology t, String bucket, String folder) {
        Partition partition = Partition.of(t.region());
        Map<String, Object> principal = Map.of("Service", partition.servicePrincipal("delivery.logs"));
        Map<String, Object> source = Map.of("aws:SourceArn", partition.arn("logs", t.region(), ResourceSpec.ACCOUNT, "*"));
        String arn = partition.arn("s3", "", "", bucket);
        return List.of(
                new TreeMap<>(Map.of("Sid", "AWSLogDeliveryWrite", "Effect", "Allow", "Principal", principal,
                        "Action", "s3:PutObject", "Resource", arn + "/" + folder + "AWSLogs/" + ResourceSpec.ACCOUNT + "/*",
                        "Condition", Map.of("StringEquals", new TreeMap<>(Map.of("s3:x-amz-acl", "bucket-owner-full-control",
                                "aws:SourceAccount", ResourceSpec.ACCOUNT)), "ArnLike", source))),
                new TreeMap<>(Map.of("Sid", "AWSLogDeliveryAclCheck", "Effect", "Allow", "Principal", principal,
                        "Action", "s3:GetBucketAcl", "Resource", arn,
                        "Condition", Map.of("StringEquals", Map.of("aws:SourceAccount", ResourceSpec.ACCOUNT),
                                "ArnLike", source))));
    }

    private static void firewall(Topology t, Firewall f, Expansion out) {
        out.add(WAF_LOG_BUCKET, "aws_s3_bucket", "waf-logs", Map.of(
                "bucket", f.logBucket(t),
                "versioning", false,
                "blockPublicAccess", true,
                "lifecycleRules", List.of(DataExpander.housekeeping(false)),
                "policy", wafLogPolicy(t, f.logBucket(t))), f.at());
        Address webAcl = Addresses.FIREWALL.child("web-acl");
        out.add(webAcl, "aws_wafv2_web_acl", "web-acl", Map.of(
                "name", out.name("web-acl"),
                "scope", "REGIONAL",
                "managedRuleGroups", f.managedRuleGroups(),
                "rateLimit", (long) f.rateLimit()), f.at());
        Ref acl = Ref.to(webAcl, "arn");
        for (String lb : t.loadBalancers().keySet()) {
            out.addUntagged(Addresses.FIREWALL.child("association", lb), "aws_wafv2_web_acl_association", Map.of(
                    "webAclArn", acl,
                    "resourceArn", Ref.id(Addresses.alb(lb))), Set.of(), f.at());
        }
        out.addUntagged(Addresses.FIREWALL.child("logging"), "aws_wafv2_logging_configuration", Map.of(
                "webAclArn", acl,
                "logDestination", Ref.to(WAF_LOG_BUCKET, "arn")), Set.of(), f.at());
    }

    private static void dns(Topology t, Dns d, Expansion out) {
        // One public zone for every region: a replica adds its records to the primary's.
        if (!t.replica() && d.zoneId() != null) {
            // The user's zone, adopted: untagged, no comment, so infra never changes what it has.
            out.addUntagged(Addresses.ZONE, "aws_route53_zone", Map.of(
                    "name", d.zone() + ".",
                    "zoneId", d.zoneId()), Set.of(), d.at());
        } else if (!t.replica()) {
            out.add(Addresses.ZONE, "aws_route53_zone", "zone", Map.of(
                    "name", d.zone() + ".",
                    "comment", "infra stack " + t.stack()), d.at());
        }
        if (d.privateZone() != null) {
            out.add(Addresses.PRIVATE_ZONE, "aws_route53_zone", "private-zone", Map.of(
                    "name", d.privateZone() + ".",
                    "vpcId", Ref.id(Addresses.VPC),
                    "comment", "infra stack " + t.stack() + " (private)"), d.at());
        }
        for (DnsRecord r : d.records()) {
            String zone = r.privateZone() ? d.privateZone() : d.zone();
            String fqdn = (r.name().equals("@") ? "" : r.name() + ".") + zone + ".";
            String key = r.name().replace('@', '_');
            Address address = Addresses.DNS.child(r.privateZone() ? "private-record" : "record", key);
            Map<String, Object> record = new LinkedHashMap<>();
            record.put("zoneId", r.privateZone() ? Ref.id(Addresses.PRIVATE_ZONE) : Replication.shared(t, Addresses.ZONE, "id"));
            record.put("name", fqdn);
            record.put("type", "A");
            record.put("aliasDnsName", Ref.to(Addresses.alb(r.loadBalancer()), "dnsName"));
            record.put("aliasZoneId", Ref.to(Addresses.alb(r.loadBalancer()), "canonicalHostedZoneId"));
            if (!r.privateZone() && t.placement().replicated()) {
                routed(t, d, r, key, record, out);
            }
            out.addUntagged(address, "aws_route53_record", record, Set.of(), r.at());
        }
    }

    /**
     * Across regions a public name gets one record per region, told apart by the region as set identifier: failover
     * (the primary's PRIMARY, each replica's SECONDARY) or latency. Each answers only while a health check on its
     * region's load balancer passes (Route 53 Developer Guide, "Configuring DNS failover").
     */
    private static void routed(Topology t, Dns d, DnsRecord r, String key, Map<String, Object> record, Expansion out) {
        boolean https = t.loadBalancers().get(r.loadBalancer()).https();
        Address check = Addresses.DNS.child("health-check", key);
        out.add(check, "aws_route53_health_check", "health-check-" + key, Map.of(
                "type", https ? "HTTPS" : "HTTP",
                "fqdn", Ref.to(Addresses.alb(r.loadBalancer()), "dnsName"),
                "port", https ? 443L : 80L,
                "resourcePath", d.healthCheckPath(),
                "requestInterval", 30L,
                "failureThreshold", 3L), r.at());
        record.put("setIdentifier", t.region());
        if (d.latency()) {
            record.put("region", t.region());
        } else {
            record.put("failover", t.replica() ? "SECONDARY" : "PRIMARY");
        }
        record.put("healthCheckId", Ref.id(check));
        record.put("evaluateTargetHealth", true);
    }
}
