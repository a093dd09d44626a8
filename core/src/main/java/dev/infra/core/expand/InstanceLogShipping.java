package dev.infra.core.expand;

import dev.infra.core.model.Address;
import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.Data.InstanceLogs;
import dev.infra.core.topology.Partition;
import dev.infra.core.topology.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code monitoring.instanceLogs}: the CloudWatch agent on the proxies' and the services' instances, configured by their
 * user data to send the files their software writes to one of the stack's log groups, one stream per instance and file
 * ({@code {instance_id}/<file>}); the instances' profile lets them write to those groups only (CloudWatch Agent User
 * Guide, "Create IAM roles to use with the CloudWatch agent": logs:CreateLogStream, logs:PutLogEvents,
 * logs:DescribeLogStreams). From the log groups, the log archive takes them to S3 like any other group.
 */
final class InstanceLogShipping {

    static final Address ROLE = Addresses.MONITORING.child("instance-logs").child("role");
    static final Address PROFILE = Addresses.MONITORING.child("instance-logs").child("profile");
    static final String AGENT_CONFIG = "/opt/aws/amazon-cloudwatch-agent/etc/infra.json";

    /** What an instance ships: its kind ({@code proxies} or {@code services}) and the files. */
    record Source(String kind, List<String> files) {

        static Source squid() {
            return new Source("proxies", List.of("/var/log/squid/access.log", "/var/log/squid/cache.log"));
        }

        static Source teleport() {
            return new Source("proxies", List.of(TELEPORT_LOG));
        }

        /** Docker's json-file logs of the instance's containers. */
        static Source containers() {
            return new Source("services", List.of("/var/lib/docker/containers/*/*-json.log"));
        }
    }

    /** Where Teleport writes its log (its config says so: by default it logs to stderr, which the agent cannot read). */
    static final String TELEPORT_LOG = "/var/log/teleport/teleport.log";

    private InstanceLogShipping() {}

    /** The log group key instances of {@code kind} ship to; null: they ship nothing. */
    static String group(Topology t, String kind) {
        InstanceLogs l = t.monitoring() == null ? null : t.monitoring().instanceLogs();
        if (l == null) {
            return null;
        }
        return kind.equals("proxies") ? l.proxies() : l.services();
    }

    /** The instance profile's ARN for instances that ship logs; null for those that do not. */
    static Ref profile(Topology t, Source source) {
        return group(t, source.kind()) == null ? null : Ref.to(PROFILE, "arn");
    }

    /** {@code userData} with the agent installed, configured and started after it, when {@code source} ships. */
    static String userData(Topology t, String userData, Source source) {
        String group = group(t, source.kind());
        if (group == null) {
            return userData;
        }
        List<Object> files = new ArrayList<>();
        for (String file : source.files()) {
            String name = file.substring(file.lastIndexOf('/') + 1).replace("*", "container");
            files.add(new TreeMap<>(Map.of("file_path", file, "log_group_name", logGroupName(t, group),
                    "log_stream_name", "{instance_id}/" + name)));
        }
        String config = DataExpander.canonicalJson(Map.of("logs", Map.of("logs_collected", Map.of("files",
                Map.of("collect_list", files)))));
        return userData + "dnf install -y amazon-cloudwatch-agent\n"
                + "cat > " + AGENT_CONFIG + " <<'CONF'\n" + config + "\nCONF\n"
                + "/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:"
                + AGENT_CONFIG + "\n";
    }

    static String logGroupName(Topology t, String group) {
        return "/infra/" + t.stack() + "/" + group;
    }

    /** The instances' role and profile, when any instance ships; the role is global (replicas use the primary's). */
    static void expand(Topology t, Expansion out) {
        InstanceLogs l = t.monitoring() == null ? null : t.monitoring().instanceLogs();
        if (l == null || l.proxies() == null && l.services() == null) {
            return;
        }
        Partition partition = Partition.of(t.region());
        List<String> groups = java.util.stream.Stream.of(l.proxies(), l.services()).filter(java.util.Objects::nonNull)
                .distinct().sorted()
                .map(g -> partition.arn("logs", "*", ResourceSpec.ACCOUNT, "log-group:" + logGroupName(t, g) + ":*")).toList();
        out.add(ROLE, "aws_iam_role", "instance-logs", Map.of(
                "name", out.name("instance-logs"),
                "assumeRolePolicy", ClusterExpander.trust(partition.servicePrincipal("ec2")),
                "managedPolicyArns", List.of(),
                "inlinePolicy", DataExpander.canonicalJson(new TreeMap<>(Map.of("Version", "2012-10-17", "Statement",
                        List.of(new TreeMap<>(Map.of("Effect", "Allow", "Action", List.of("logs:CreateLogStream",
                                "logs:DescribeLogStreams", "logs:PutLogEvents"), "Resource", groups))))))), l.at());
        out.add(PROFILE, "aws_iam_instance_profile", "instance-logs", Map.of(
                "name", out.name("instance-logs"),
                "roleName", Ref.id(ROLE)), l.at());
    }
}
