package dev.infra.core.topology;

import static dev.infra.core.topology.Shape.bool;
import static dev.infra.core.topology.Shape.checked;
import static dev.infra.core.topology.Shape.either;
import static dev.infra.core.topology.Shape.integer;
import static dev.infra.core.topology.Shape.listOf;
import static dev.infra.core.topology.Shape.mapOf;
import static dev.infra.core.topology.Shape.obj;
import static dev.infra.core.topology.Shape.oneOf;
import static dev.infra.core.topology.Shape.optional;
import static dev.infra.core.topology.Shape.pattern;
import static dev.infra.core.topology.Shape.required;
import static dev.infra.core.topology.Shape.str;
import static dev.infra.core.topology.Shape.tagMap;

import java.util.Optional;

/** The topology's shape, one place: validation and {@code infra schema} both read it. */
public final class TopologyShape {

    static final String CIDR = "^[0-9]{1,3}(\\.[0-9]{1,3}){3}/[0-9]{1,2}$";

    private TopologyShape() {}

    /** A VPC or subnet block: AWS takes /16 to /28, without host bits. */
    static Shape.Str vpcBlock(String description) {
        return checked(description, CIDR, v -> Cidrs.problem(v, NetworkBinder.MIN_PREFIX, NetworkBinder.MAX_PREFIX));
    }

    /** A peer's block in a security group rule: any size, without host bits. */
    static Shape.Str anyBlock(String description) {
        return checked(description, CIDR, v -> Cidrs.problem(v, 0, 32));
    }

    static Shape.Str region(String description) {
        return checked(description, "", AwsNames::region);
    }

    static Shape.Str bucket(String description) {
        return checked(description, "", AwsNames::bucket);
    }

    /** {@code from-to}, both ports, {@code from} first. */
    static Optional<Shape.Finding> portRange(String range) {
        String[] parts = range.split("-");
        long from = Long.parseLong(parts[0]);
        long to = parts.length > 1 ? Long.parseLong(parts[1]) : from;
        if (from > 65535 || to > 65535) {
            return Shape.Finding.error("'" + range + "' is not a port range: ports are 0 to 65535");
        }
        if (from > to) {
            return Shape.Finding.error("'" + range + "' runs backwards; did you mean '" + to + "-" + from + "'?");
        }
        return Optional.empty();
    }

    static final Shape RULE = obj("One allowed flow: protocol, ports, and a CIDR or another group as its peer.",
            optional("protocol", oneOf("tcp, udp, icmp or all", "tcp", "udp", "icmp", "all")),
            optional("ports", either("a port (443) or a range (\"8000-8080\")",
                    integer("a port", 0, 65535),
                    checked("a port range such as 8000-8080", "^[0-9]{1,5}(-[0-9]{1,5})?$", TopologyShape::portRange))),
            optional("cidr", anyBlock("an IPv4 CIDR block such as 10.0.0.0/16")),
            optional("source", str("the name of another security group of this network")),
            optional("description", str("why the flow is allowed")));

    static final Shape SECURITY_GROUP = obj("A security group in the VPC.",
            optional("description", str("what the group is for")),
            optional("ingress", listOf("inbound rules", RULE)),
            optional("egress", listOf("outbound rules (AWS's default allow-all egress is kept when absent)", RULE)),
            optional("dependsOn", listOf("components to create first", str("a component reference such as network.securityGroups.web"))));

    static final Shape NETWORK = obj("The VPC, its public and private subnets, gateways and routes.",
            required("cidr", vpcBlock("an IPv4 CIDR block such as 10.0.0.0/16")),
            optional("zones", either("a zone count (1-6) or a list of zone letters",
                    integer("how many availability zones", 1, 6),
                    listOf("zone letters such as a, b, c", pattern("a zone letter such as a, or a full zone name", "^([a-z]{2,4}(-[a-z]+)+-[0-9]{1,2})?[a-z]$")))),
            optional("natGateways", oneOf("one-per-zone, single or none", "one-per-zone", "single", "none")),
            optional("subnetPrefixLength", integer("prefix length of computed subnets", 16, 28)),
            optional("publicSubnets", listOf("one CIDR per zone", vpcBlock("an IPv4 CIDR block such as 10.0.1.0/24"))),
            optional("privateSubnets", listOf("one CIDR per zone", vpcBlock("an IPv4 CIDR block such as 10.0.1.0/24"))),
            optional("enableDnsHostnames", bool("give instances DNS host names (default true)")),
            optional("securityGroups", mapOf("security groups by name", SECURITY_GROUP)));

    static final Shape CAPACITY = obj("How many instances: the auto-scaling group's bounds.",
            required("min", integer("fewest instances", 0, 1000)),
            required("max", integer("most instances", 1, 1000)),
            optional("desired", integer("instances to start with (default: min)", 0, 1000)),
            optional("cpuTarget", integer("average CPU % that target tracking keeps the group at", 1, 100)));

    static final String INSTANCE_TYPE = "^[a-z][a-z0-9-]*\\.[a-z0-9]+$";
    static final String AMI = "^(ami-[0-9a-f]{8,17}|resolve:ssm:/.+)$";
    /** What DynamoDB attribute names and S3 lifecycle rule ids allow, in words. */
    static final String UP_TO_255 = "1 to 255 letters, digits, underscores, dots or dashes";

    static final Shape ENCRYPTION = obj("The stack's KMS key: every volume, the EKS secrets and the data stores use it.",
            optional("key", obj("The key's settings.",
                    optional("rotation", bool("yearly automatic rotation (default true)")),
                    optional("multiRegion", bool("a multi-Region key, so replicas can share it (default false)")),
                    optional("deletionWindowDays", integer("days between destroy and the key's deletion", 7, 30)))),
            optional("ebsDefault", bool("turn on EBS encryption by default in the region with this key (default true)")));

    static final Shape EGRESS_PROXY = obj("Squid between the public-subnet nodes and the internet gateway.",
            optional("instanceType", pattern("an EC2 instance type such as t3.small", INSTANCE_TYPE)),
            optional("ami", pattern("an AMI id or resolve:ssm:/parameter", AMI)),
            required("capacity", CAPACITY),
            required("allowedDomains", listOf("domains Squid lets through; everything else is denied",
                    pattern("a domain such as .amazonaws.com or github.com", "^\\.?([a-z0-9-]+\\.)+[a-z]{2,}$"))),
            optional("port", integer("Squid's port (default 3128)", 1, 65535)));

    static final Shape ACCESS_PROXY = obj("Teleport: the proxy cluster in the public subnets, its auth servers in the private ones.",
            optional("instanceType", pattern("an EC2 instance type such as t3.medium", INSTANCE_TYPE)),
            optional("ami", pattern("an AMI id or resolve:ssm:/parameter", AMI)),
            required("capacity", CAPACITY),
            optional("allowedCidrs", listOf("who may reach Teleport's ports (default 0.0.0.0/0)",
                    anyBlock("an IPv4 CIDR block"))),
            optional("authServers", obj("Teleport auth servers, each with an encrypted data volume.",
                    optional("count", integer("how many", 1, 9)),
                    optional("instanceType", pattern("an EC2 instance type", INSTANCE_TYPE)),
                    optional("volumeSize", integer("data volume size in GiB", 1, 16384)))));

    static final Shape LOAD_BALANCER = obj("An application load balancer in front of a cluster's ingress.",
            required("scheme", oneOf("internet-facing or internal", "internet-facing", "internal")),
            optional("certificateArn", pattern("an ACM certificate ARN", "^arn:aws[a-z-]*:acm:.+$")),
            optional("domain", pattern("its name under dns.zone, such as www.shop.example.com: infra requests an ACM"
                    + " certificate for it in each region, validated by DNS in the zone, and serves HTTPS",
                    "^([a-z0-9-]+\\.)+[a-z]{2,}$")),
            required("target", pattern("a cluster reference such as clusters.apps", "^clusters\\.[a-z][a-z0-9-]*$")));

    static final Shape FIREWALL = obj("AWS WAF (REGIONAL) in front of every load balancer.",
            optional("managedRuleGroups", listOf("AWS managed rule groups, in priority order",
                    pattern("a rule group name such as AWSManagedRulesCommonRuleSet", "^AWSManagedRules[A-Za-z0-9]+$"))),
            optional("rateLimit", integer("requests per 5 minutes per IP before blocking", 100, 2000000000)),
            optional("logBucket", bucket("an S3 bucket name starting aws-waf-logs- (default aws-waf-logs-<stack>-<region>-<suffix>)")));

    static final Shape DNS = obj("Route53: a public zone, optionally a private one in the VPC, and alias records.",
            required("zone", pattern("a domain such as shop.example.com", "^([a-z0-9-]+\\.)+[a-z]{2,}$")),
            optional("zoneId", pattern("the id of an existing public hosted zone named dns.zone, such as"
                    + " Z0123456789ABCDEFGHIJ: infra adds its records there and never deletes the zone, changes its"
                    + " name servers, comment or tags (default: infra makes the zone)", "^[A-Z0-9]{1,32}$")),
            optional("privateZone", pattern("a domain such as shop.internal", "^([a-z0-9-]+\\.)+[a-z0-9]{2,}$")),
            optional("records", listOf("alias records to load balancers", obj("An alias A record.",
                    required("name", pattern("a record name such as www, or @ for the apex", "^(@|[a-z0-9-]+(\\.[a-z0-9-]+)*)$")),
                    required("target", pattern("a load balancer reference such as loadBalancers.public", "^loadBalancers\\.[a-z][a-z0-9-]*$")),
                    optional("private", bool("in the private zone (default false)"))))),
            optional("routing", oneOf("how public records route across the stack's regions once it has replicas:"
                    + " failover (PRIMARY/SECONDARY, default) or latency", "failover", "latency")),
            optional("healthCheckPath", pattern("the path Route53 health checks request on each region's public load"
                    + " balancer (default /)", "^/[^\\s]*$")));

    static final Shape NODE_GROUP = obj("A managed node group in the private subnets.",
            optional("instanceTypes", listOf("instance types", pattern("an EC2 instance type", INSTANCE_TYPE))),
            required("min", integer("fewest nodes", 0, 1000)),
            required("max", integer("most nodes", 1, 1000)),
            optional("desired", integer("nodes to start with (default: min)", 0, 1000)));

    /** A chart's semantic version, as Helm's --version takes it pinned. */
    private static final String CHART_VERSION = "^[0-9]+\\.[0-9]+\\.[0-9]+(-[0-9A-Za-z.-]+)?$";

    static final Shape CLUSTER = obj("An EKS cluster in the private subnets.",
            optional("version", pattern("a Kubernetes version such as \"1.31\"", "^1\\.[0-9]{2}$")),
            optional("cni", oneOf("the network plugin", "cilium")),
            optional("cniVersion", pattern("the Cilium chart version infra installs (default "
                    + Edge.Cluster.CILIUM_VERSION + ")", CHART_VERSION)),
            optional("ingress", obj("The NGINX ingress the load balancers forward to.",
                    optional("nodePort", integer("the ingress controller's NodePort", 30000, 32767)),
                    optional("version", pattern("the ingress-nginx chart version infra installs (default "
                            + Edge.Cluster.INGRESS_NGINX_VERSION + ")", CHART_VERSION)))),
            optional("endpointPublicAccess", bool("a public API endpoint (default false)")),
            optional("addons", bool("infra installs Cilium and the NGINX ingress with Helm (default true); false: you do,"
                    + " and the node groups wait for cniInstalled")),
            optional("cniInstalled", bool("with addons: false, the CNI you installed runs: create the node groups")),
            required("nodeGroups", mapOf("managed node groups by name", NODE_GROUP)));

    static final Shape KEY = obj("A key attribute.",
            required("name", pattern("an attribute name: " + UP_TO_255, "^[A-Za-z0-9_.-]{1,255}$")),
            required("type", oneOf("S (string), N (number) or B (binary)", "S", "N", "B")));

    static final Shape TABLE = obj("A DynamoDB table, encrypted with the stack key.",
            required("partitionKey", KEY),
            optional("sortKey", KEY),
            optional("billing", oneOf("on-demand (default) or provisioned", "on-demand", "provisioned")),
            optional("capacity", obj("Provisioned throughput.",
                    required("read", integer("read capacity units", 1, 40000)),
                    required("write", integer("write capacity units", 1, 40000)))),
            optional("indexes", mapOf("global secondary indexes by name", obj("A global secondary index (projects all attributes).",
                    required("partitionKey", KEY),
                    optional("sortKey", KEY)))),
            optional("pointInTimeRecovery", bool("continuous backups (default true)")),
            optional("ttl", pattern("the attribute holding expiry times, an attribute name: " + UP_TO_255, "^[A-Za-z0-9_.-]{1,255}$")),
            optional("deletionProtection", bool("refuse deletion (default true); destroy fails until it is turned off")));

    static final Shape CACHE = obj("An ElastiCache Redis replication group in front of the tables.",
            optional("engineVersion", pattern("a Redis version such as \"7.1\"", "^[0-9]+\\.[0-9]+$")),
            optional("nodeType", pattern("a node type such as cache.t4g.small (the default; cache.r7g.large for a global"
                    + " cache, as a Global Datastore needs nodes of size large and above)", "^cache\\.[a-z0-9]+\\.[a-z0-9]+$")),
            optional("replicas", integer("read replicas besides the primary (at least 1 for failover)", 0, 5)),
            required("clientsFrom", listOf("clusters whose nodes may connect; nothing else can",
                    pattern("a cluster reference such as clusters.apps", "^clusters\\.[a-z][a-z0-9-]*$"))),
            optional("global", bool("a Global Datastore: each replica region holds a secondary of this cache, written"
                    + " to through the primary (default false: each region its own cache)")));

    static final Shape LIFECYCLE = obj("A lifecycle rule.",
            required("id", pattern("the rule's name: " + UP_TO_255, "^[A-Za-z0-9_.-]{1,255}$")),
            optional("prefix", str("objects it applies to (default: all)")),
            optional("transitionDays", integer("days before the current version moves to storageClass", 1, 36500)),
            optional("storageClass", oneOf("the class to move to", "STANDARD_IA", "ONEZONE_IA", "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE")),
            optional("expirationDays", integer("days before the current version is deleted (in a versioned bucket: it"
                    + " becomes noncurrent behind a delete marker)", 1, 36500)),
            optional("noncurrentTransitionDays", integer("versioned buckets: days after a version became noncurrent"
                    + " before it moves to noncurrentStorageClass", 1, 36500)),
            optional("noncurrentStorageClass", oneOf("the class noncurrent versions move to", "STANDARD_IA", "ONEZONE_IA",
                    "INTELLIGENT_TIERING", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE")),
            optional("noncurrentExpirationDays", integer("versioned buckets: days after a version became noncurrent"
                    + " before it is deleted", 1, 36500)));

    static final Shape BUCKET = obj("An S3 bucket: SSE-KMS with the stack key, public access blocked.",
            optional("name", bucket("a global S3 name (default <stack>-<key>-<region>-<suffix>)")),
            optional("versioning", bool("keep object versions (default true)")),
            optional("replicate", bool("copy new objects to this bucket's twin in each replica region (S3 replication;"
                    + " needs versioning; default false: the bucket stays regional)")),
            optional("lifecycle", listOf("lifecycle rules", LIFECYCLE)),
            optional("forceDestroy", bool("a delete (destroy, or its removal from the topology) may empty it first"
                    + " (default false: deleting it while it holds objects is refused)")));

    static final Shape SERVICE = obj("A service on its own instance in a private subnet, data on an encrypted EBS volume.",
            optional("image", str("the container image (default: the official one for prometheus, grafana, vault)")),
            optional("instanceType", pattern("an EC2 instance type", INSTANCE_TYPE)),
            optional("volumeSize", integer("data volume size in GiB", 1, 16384)),
            required("ports", listOf("ports the VPC may reach", integer("a port", 1, 65535))),
            optional("zone", pattern("a zone letter of the network", "^[a-z]$")),
            optional("ami", pattern("an AMI id or resolve:ssm:/parameter", AMI)));

    static final Shape MONITORING = obj("CloudTrail, CloudWatch, GuardDuty, ALB access logs, the ELK stack and Athena.",
            optional("cloudTrail", obj("A multi-region trail with log file validation, encrypted with the stack key.",
                    required("bucket", pattern("a bucket reference such as buckets.audit", "^buckets\\.[a-z][a-z0-9-]*$")))),
            optional("logGroups", mapOf("CloudWatch log groups by name", obj("A log group, encrypted with the stack key.",
                    optional("retentionDays", integer("days to keep events: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653", 1, 3653))))),
            optional("alarms", bool("alarms on NAT gateway errors, ALB 5xx and group capacity, to an SNS topic (default true)")),
            optional("guardDuty", obj("The region's GuardDuty detector.",
                    optional("findingFrequency", oneOf("how often findings are published", "FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS")))),
            optional("logSearch", obj("The ELK stack: an OpenSearch domain in the private subnets.",
                    optional("engineVersion", pattern("such as OpenSearch_2.13", "^(OpenSearch|Elasticsearch)_[0-9]+\\.[0-9]+$")),
                    optional("instanceType", pattern("such as r6g.large.search", "^[a-z0-9]+\\.[a-z0-9]+\\.search$")),
                    optional("instanceCount", integer("data nodes", 1, 80)),
                    optional("volumeSize", integer("EBS GiB per node", 10, 16384)),
                    required("archiveBucket", pattern("a bucket reference such as buckets.elk-logs", "^buckets\\.[a-z][a-z0-9-]*$")),
                    optional("publishLogs", bool("the domain's application, index-slow and search-slow logs to the log group"
                            + " /infra/<stack>/log-search (default true)")))),
            optional("loadBalancerLogs", obj("Every load balancer's access logs to a bucket of their own in each region"
                    + " (<stack>-lb-logs-<region>-<suffix>, SSE-S3: the only encryption ALB log delivery supports), under the"
                    + " load balancer's name; with athena, a Glue table alb over them.",
                    optional("expirationDays", integer("days to keep the logs (default 90)", 1, 3650)))),
            optional("logArchive", obj("The region's log archive: a bucket of its own (<stack>-logs-<region>-<suffix>,"
                    + " SSE-KMS with the stack key) for the VPC's flow logs, GuardDuty's findings and the log groups; with"
                    + " athena, a Glue table over each.",
                    optional("expirationDays", integer("days to keep the logs (default 365)", 1, 36500)),
                    optional("flowLogs", bool("the VPC's flow logs, Parquet, hourly partitions, under vpc-flow-logs/"
                            + " (default true; needs network)")),
                    optional("guardDutyFindings", bool("GuardDuty's findings, encrypted with the stack key, under"
                            + " guardduty/ (default true; needs guardDuty)")),
                    optional("logGroups", bool("every log group of the stack (logGroups, the log search domain's) through a"
                            + " subscription filter and a Firehose delivery stream, GZIP, under cloudwatch/<group>/yyyy/MM/dd/"
                            + " (default true)")))),
            optional("instanceLogs", obj("The CloudWatch agent on the instances (user data, an instance profile allowed to"
                    + " write to these groups only), their logs to the stack's log groups.",
                    optional("proxies", pattern("a key of logGroups for Squid's and Teleport's logs (absent: not shipped)",
                            "^[a-z][a-z0-9-]*$")),
                    optional("services", pattern("a key of logGroups for the services' container logs (absent: not"
                            + " shipped)", "^[a-z][a-z0-9-]*$")))),
            optional("athena", obj("An Athena workgroup and Glue tables over the CloudTrail, WAF and ALB logs.",
                    required("resultsBucket", pattern("a bucket reference such as buckets.audit", "^buckets\\.[a-z][a-z0-9-]*$")))));

    static final Shape BACKEND = obj("Where the state lives for a team; absent, it is local (--state-dir).",
            required("s3", obj("State in s3://<bucket>/<prefix>/<stack>/<region>.json, locked while an operation runs.",
                    required("bucket", bucket("an S3 bucket name (an existing bucket, versioned and encrypted by default)")),
                    optional("prefix", pattern("a key prefix such as teams/platform, without leading or trailing slash",
                            "^[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*$")),
                    optional("lockTable", pattern("a DynamoDB table name (partition key LockID, a String) for the lock item;"
                            + " absent, a lock object beside the state (S3 conditional write)", "^[A-Za-z0-9_.-]{3,255}$")),
                    optional("region", region("the bucket's and table's region (default: the topology's region)")))));

    static final Shape REGION_SETTINGS = obj("What differs in one other region, for 'apply --region' and 'replicate --to'.",
            optional("network", obj("The network in that region.",
                    optional("cidr", vpcBlock("the VPC block there, as long as network.cidr, overlapping neither it nor"
                            + " another region's (default for a replica: the next free block after network.cidr)")),
                    optional("zones", listOf("zone letters there, as many as network.zones (default: the same letters,"
                            + " or the region's first zones)", pattern("a zone letter such as a", "^[a-z]$"))))),
            optional("certificates", mapOf("ACM certificate ARNs in that region, by load balancer name",
                    pattern("an ACM certificate ARN in that region", "^arn:aws[a-z-]*:acm:[a-z0-9-]+:.+$"))));

    public static final Shape.Obj TOPOLOGY = obj("An infra topology: one stack, one primary region.",
            required("stack", pattern("a stack name: " + Names.RULE, Names.PATTERN)),
            required("region", region("an AWS region such as us-east-1")),
            optional("tags", tagMap("tags added to every resource")),
            optional("backend", BACKEND),
            optional("network", NETWORK),
            optional("encryption", ENCRYPTION),
            optional("egressProxy", EGRESS_PROXY),
            optional("accessProxy", ACCESS_PROXY),
            optional("loadBalancers", mapOf("application load balancers by name", LOAD_BALANCER)),
            optional("firewall", FIREWALL),
            optional("dns", DNS),
            optional("clusters", mapOf("EKS clusters by name", CLUSTER)),
            optional("tables", mapOf("DynamoDB tables by name", TABLE)),
            optional("caches", mapOf("Redis caches by name", CACHE)),
            optional("buckets", mapOf("S3 buckets by name", BUCKET)),
            optional("services", mapOf("services on EBS (prometheus, grafana, vault…) by name", SERVICE)),
            optional("monitoring", MONITORING),
            optional("regions", new Shape.MapOf("settings for other regions, by region name such as us-east-1", "",
                    AwsNames::region, REGION_SETTINGS)));
}
