package dev.infra.core.topology;

import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.SourceLocation;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The components around the network: key, proxies, load balancers, firewall, DNS, clusters. */
public final class Edge {

    private Edge() {}

    /** The stack's KMS key; every volume, the EKS secrets and the data stores are encrypted with it. */
    public record Encryption(boolean rotation, boolean multiRegion, int deletionWindowDays, boolean ebsDefault,
                             SourceLocation at) {}

    /** @param cpuTarget target average CPU for target tracking; 0 = no scaling policy */
    public record Capacity(int min, int max, int desired, int cpuTarget) {}

    /** Squid between the public-subnet nodes and the internet gateway, allowing only listed domains. */
    public record EgressProxy(String instanceType, String ami, Capacity capacity, List<String> allowedDomains,
                              int port, SourceLocation at) {}

    /** Teleport: proxies in the public subnets, auth servers with their data on encrypted volumes in the private ones. */
    public record AccessProxy(String instanceType, String ami, Capacity capacity, List<String> allowedCidrs,
                              AuthServers authServers, SourceLocation at) {}

    public record AuthServers(int count, String instanceType, int volumeSize) {}

    /**
     * @param internetFacing the public ALB (public subnets) or an internal one (private subnets)
     * @param domain a name under the public zone: each region requests its own ACM certificate for it
     * @param cluster the cluster whose ingress NodePort the target group forwards to
     */
    public record LoadBalancer(String name, boolean internetFacing, String certificateArn, String domain, String cluster,
                               SourceLocation at) {

        public LoadBalancer withCertificate(String arn) {
            return new LoadBalancer(name, internetFacing, arn, domain, cluster, at);
        }

        /** HTTPS: with a certificate given, or one infra requests for {@code domain}. */
        public boolean https() {
            return certificateArn != null || domain != null;
        }

        /**
         * Refuses a certificate from another region than {@code region}, the load balancer's: ACM certificates are
         * regional. Checked when the file is bound, for its region, and for each region a copy or replica is placed in.
         */
        public Optional<Diagnostic> certificateOutside(String region) {
            String in = certificateArn == null ? null : certificateArn.split(":", -1)[3];
            if (in == null || region == null || in.equals(region)) {
                return Optional.empty();
            }
            return Optional.of(Diagnostic.error(at, "loadBalancers." + name + ".certificateArn", "the certificate is in "
                    + in + " but the load balancer in " + region + "; ACM certificates are regional: request one in "
                    + region));
        }
    }

    /** @param logBucket the WAF log bucket's name when given; else {@code aws-waf-logs-<stack>-<region>-<suffix>} (see {@link #logBucket(Topology)}) */
    public record Firewall(List<String> managedRuleGroups, int rateLimit, String logBucket, SourceLocation at) {

        /**
         * The bucket's S3 name: S3 names are global, so the default carries the region (another region's copy gets its
         * own) and the stack's suffix.
         */
        public String logBucket(Topology t) {
            String name = logBucket(t.stack(), t.region(), t.fileRegion());
            return logBucket == null ? AwsRules.BUCKET.fit(t.placement().unique(name)) : name;
        }

        /** The bucket's S3 name without the stack's suffix (which only the state knows): what validation can check. */
        public String logBucket(String stack, String region, String fileRegion) {
            if (logBucket == null) {
                return AwsRules.BUCKET.fit(EdgeBinder.WAF_LOG_PREFIX + stack + "-" + region);
            }
            return region.equals(fileRegion) ? logBucket : logBucket + "-" + region;
        }
    }

    /**
     * @param latency public records route by latency across the stack's regions; else by failover (primary region
     *     first). Either applies only once the stack has replicas: a single region keeps simple records.
     * @param healthCheckPath what the health checks of routed records request on each public load balancer
     * @param zoneId an existing public zone to use rather than make (adopted, never deleted nor changed); null: infra's
     */
    public record Dns(String zone, String zoneId, String privateZone, List<DnsRecord> records, boolean latency, String healthCheckPath,
                      SourceLocation at) {}

    /** An alias A record to a load balancer, in the public or the private zone. */
    public record DnsRecord(String name, String loadBalancer, boolean privateZone, SourceLocation at) {}

    /**
     * @param addons whether infra installs the in-cluster part (Cilium, the NGINX ingress) with Helm; false leaves it
     *     to the user, and then {@code nodeGroups} is empty until the topology says a CNI runs ({@code cniInstalled})
     * @param deferredNodeGroups the node groups waiting for that (their nodes would never become Ready)
     */
    public record Cluster(String name, String version, String cni, String cniVersion, int ingressNodePort,
                          String ingressVersion, boolean endpointPublicAccess, boolean addons,
                          Map<String, NodeGroup> nodeGroups, List<String> deferredNodeGroups, SourceLocation at) {

        /** Chart versions pinned when the topology names none: a plan shows them; a new one is an in-place update. */
        public static final String CILIUM_VERSION = "1.16.5";
        public static final String INGRESS_NGINX_VERSION = "4.11.3";
    }

    public record NodeGroup(String name, List<String> instanceTypes, int min, int max, int desired) {}
}
