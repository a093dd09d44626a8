package dev.infra.core.expand;

import dev.infra.core.model.Address;
import dev.infra.core.model.Ref;
import dev.infra.core.topology.Edge.AccessProxy;
import dev.infra.core.topology.Edge.EgressProxy;
import dev.infra.core.topology.Topology;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code egressProxy:} → Squid: a group in the public subnets that the VPC reaches on the proxy port,
 * allowing only the listed domains. {@code accessProxy:} → Teleport: proxies in the public subnets
 * (target tracking on CPU), auth servers in the private subnets with their data on encrypted
 * volumes that are resources of their own and survive the instances' replacement.
 */
final class ProxyExpander implements ComponentExpander {

    /** Teleport's proxy ports: HTTPS/web, SSH proxy, reverse tunnel, web UI. */
    static final List<Integer> TELEPORT_PROXY_PORTS = List.of(443, 3023, 3024, 3080);
    static final int TELEPORT_AUTH_PORT = 3025;

    @Override
    public void expand(Topology topology, Expansion out) {
        if (topology.egressProxy() != null) {
            egress(topology, topology.egressProxy(), out);
        }
        if (topology.accessProxy() != null) {
            access(topology, topology.accessProxy(), out);
        }
    }

    private static void egress(Topology t, EgressProxy p, Expansion out) {
        Address sg = Addresses.EGRESS_PROXY.child("security-group");
        Address template = Addresses.EGRESS_PROXY.child("launch-template");
        SecurityGroups.group(out, sg, "egress-proxy", "Squid egress proxy", Set.of(), p.at());
        SecurityGroups.rule(out, sg, "ingress", "tcp", p.port(), p.port(), t.network().cidr(),
                "proxy clients in the VPC", p.at());
        Instances.launchTemplate(out, template, "egress-proxy", p.ami(), p.instanceType(),
                squidUserData(t.network().cidr(), p.port(), p.allowedDomains()), List.of(Ref.id(sg)),
                InstanceLogShipping.Source.squid(), p.at());
        Instances.group(out, Addresses.EGRESS_PROXY.child("group"), "egress-proxy", template, p.capacity(),
                Instances.subnets("public", t.network().zones()), List.of(), p.at());
    }

    /** The allowlist is desired state: it lives in the user data, so changing it makes a new template version. */
    static String squidUserData(String vpcCidr, int port, List<String> domains) {
        return String.join("\n",
                "#!/bin/bash",
                "set -euo pipefail",
                "dnf install -y squid",
                "cat > /etc/squid/squid.conf <<'CONF'",
                "http_port " + port,
                "acl clients src " + vpcCidr,
                "acl allowed dstdomain " + String.join(" ", domains),
                "acl SSL_ports port 443",
                "acl CONNECT method CONNECT",
                "http_access deny !clients",
                "http_access deny CONNECT !SSL_ports",
                "http_access allow allowed",
                "http_access deny all",
                "CONF",
                "systemctl enable --now squid",
                "");
    }

    private static void access(Topology t, AccessProxy p, Expansion out) {
        Address sg = Addresses.ACCESS_PROXY.child("security-group");
        Address template = Addresses.ACCESS_PROXY.child("launch-template");
        Address group = Addresses.ACCESS_PROXY.child("group");
        SecurityGroups.group(out, sg, "access-proxy", "Teleport proxy: the Teleport ports only", Set.of(), p.at());
        for (String cidr : p.allowedCidrs()) {
            for (int port : TELEPORT_PROXY_PORTS) {
                SecurityGroups.rule(out, sg, "ingress", "tcp", port, port, cidr, "Teleport", p.at());
            }
        }
        Instances.launchTemplate(out, template, "access-proxy", p.ami(), p.instanceType(),
                teleportUserData(t, "proxy"), List.of(Ref.id(sg)), InstanceLogShipping.Source.teleport(), p.at());
        Instances.group(out, group, "access-proxy", template, p.capacity(),
                Instances.subnets("public", t.network().zones()), List.of(), p.at());
        if (p.capacity().cpuTarget() > 0) {
            Map<String, Object> policy = new LinkedHashMap<>();
            policy.put("autoScalingGroupName", Ref.id(group));
            policy.put("name", out.name("access-proxy-cpu"));
            policy.put("targetCpu", (long) p.capacity().cpuTarget());
            out.addUntagged(Addresses.ACCESS_PROXY.child("scaling-policy"), "aws_autoscaling_policy", policy, Set.of(), p.at());
        }

        Address authSg = Addresses.ACCESS_PROXY.child("auth-security-group");
        Address authTemplate = Addresses.ACCESS_PROXY.child("auth-launch-template");
        SecurityGroups.group(out, authSg, "teleport-auth", "Teleport auth servers: from the proxies only", Set.of(), p.at());
        SecurityGroups.rule(out, authSg, "ingress", "tcp", TELEPORT_AUTH_PORT, TELEPORT_AUTH_PORT, Ref.id(sg),
                "Teleport proxies", p.at());
        Instances.launchTemplate(out, authTemplate, "teleport-auth", p.ami(),
                p.authServers().instanceType(), teleportUserData(t, "auth"), List.of(Ref.id(authSg)),
                InstanceLogShipping.Source.teleport(), p.at());
        List<String> zones = t.network().zones();
        for (int i = 0; i < p.authServers().count(); i++) {
            String n = String.valueOf(i);
            Instances.serverWithVolume(out, Addresses.ACCESS_PROXY.child("auth-server", n),
                    Addresses.ACCESS_PROXY.child("auth-data", n), Addresses.ACCESS_PROXY.child("auth-data-attachment", n),
                    "teleport-auth-" + i, authTemplate,
                    p.authServers().instanceType(), t.region(), zones.get(i % zones.size()), p.authServers().volumeSize(), p.at());
        }
    }

    /** Installs Teleport and writes its config for one role; the auth servers' data is on /dev/sdf. */
    static String teleportUserData(Topology t, String role) {
        String cluster = t.stack();
        String service = role.equals("auth")
                ? String.join("\n",
                        "auth_service:",
                        "  enabled: true",
                        "  cluster_name: " + cluster,
                        "proxy_service: {enabled: false}",
                        "ssh_service: {enabled: false}")
                : String.join("\n",
                        "auth_service: {enabled: false}",
                        "proxy_service:",
                        "  enabled: true",
                        "  web_listen_addr: 0.0.0.0:3080",
                        "  tunnel_listen_addr: 0.0.0.0:3024",
                        "  listen_addr: 0.0.0.0:3023",
                        "ssh_service: {enabled: false}");
        String data = role.equals("auth") ? Instances.mountDataVolume("/var/lib/teleport") : "";
        // Shipped by the CloudWatch agent, which reads files: Teleport logs to stderr unless told otherwise.
        boolean shipped = InstanceLogShipping.group(t, "proxies") != null;
        String log = shipped ? "  log:\n    output: " + InstanceLogShipping.TELEPORT_LOG + "\n" : "";
        return "#!/bin/bash\nset -euo pipefail\n" + data
                + "dnf install -y https://cdn.teleport.dev/teleport-v16.4.0-1.x86_64.rpm\n"
                + (shipped ? "mkdir -p /var/log/teleport\n" : "")
                + "cat > /etc/teleport.yaml <<'CONF'\nversion: v3\nteleport:\n  data_dir: /var/lib/teleport\n" + log
                + "  auth_server: teleport-auth." + t.stack() + ".internal:" + TELEPORT_AUTH_PORT + "\n"
                + service + "\nCONF\nsystemctl enable --now teleport\n";
    }
}
