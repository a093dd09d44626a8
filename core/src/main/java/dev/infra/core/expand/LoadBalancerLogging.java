package dev.infra.core.expand;

import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.model.Address;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.Data;
import dev.infra.core.topology.Partition;
import dev.infra.core.topology.Topology;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code monitoring.loadBalancerLogs}: where the ALBs' access logs go and who may write them there.
 *
 * <p>Elastic Load Balancing User Guide, "Enable access logs for your Application Load Balancer": the bucket is in the
 * load balancer's region and its only supported encryption is SSE-S3 (so the bucket has no kmsKeyArn). Its policy lets
 * Elastic Load Balancing put objects under {@code <bucket>/<prefix>/AWSLogs/<account>/}: in a region available before
 * August 2022, the principal is that region's Elastic Load Balancing account ({@link #ELB_ACCOUNTS}); in a newer one,
 * the service principal {@code logdelivery.elasticloadbalancing.<the partition's DNS suffix>}. As the guide gives it, the
 * policy grants {@code <bucket>/<prefix>/AWSLogs/<account>/*} per load balancer prefix: only logs of the stack's own
 * account's load balancers (the account is written by the provider, {@link ResourceSpec#ACCOUNT}).
 */
final class LoadBalancerLogging {

    static final Address BUCKET = Addresses.MONITORING.child("lb-log-bucket");
    static final String SERVICE = "logdelivery.elasticloadbalancing";

    /**
     * The Elastic Load Balancing account of each region available before August 2022, as the guide's table lists them;
     * the China regions' from "Getting Started with Amazon Web Services in China", Elastic Load Balancing
     * (https://docs.amazonaws.cn/en_us/aws/latest/userguide/elb.html), GovCloud's from the AWS GovCloud (US) User
     * Guide, Elastic Load Balancing.
     */
    static final Map<String, String> ELB_ACCOUNTS = Map.ofEntries(
            Map.entry("us-east-1", "127311923021"),
            Map.entry("us-east-2", "033677994240"),
            Map.entry("us-west-1", "027434742980"),
            Map.entry("us-west-2", "797873946194"),
            Map.entry("af-south-1", "098369216593"),
            Map.entry("ap-east-1", "754344448648"),
            Map.entry("ap-southeast-3", "589379963580"),
            Map.entry("ap-south-1", "718504428378"),
            Map.entry("ap-northeast-3", "383597477331"),
            Map.entry("ap-northeast-2", "600734575887"),
            Map.entry("ap-southeast-1", "114774131450"),
            Map.entry("ap-southeast-2", "783225319266"),
            Map.entry("ap-northeast-1", "582318560864"),
            Map.entry("ca-central-1", "985666609251"),
            Map.entry("eu-central-1", "054676820928"),
            Map.entry("eu-west-1", "156460612806"),
            Map.entry("eu-west-2", "652711504416"),
            Map.entry("eu-south-1", "635631232127"),
            Map.entry("eu-west-3", "009996457667"),
            Map.entry("eu-north-1", "897822967062"),
            Map.entry("me-south-1", "076674570225"),
            Map.entry("sa-east-1", "507241528517"),
            Map.entry("cn-north-1", "638102146993"),
            Map.entry("cn-northwest-1", "037604701340"),
            Map.entry("us-gov-west-1", "048591011584"),
            Map.entry("us-gov-east-1", "190560391635"));

    private LoadBalancerLogging() {}

    /** Whether the topology logs its load balancers' requests. */
    static boolean on(Topology t) {
        return t.monitoring() != null && t.monitoring().loadBalancerLogs() != null;
    }

    static String bucketName(Topology t) {
        return AwsRules.BUCKET.fit(t.placement().unique(Data.LoadBalancerLogs.bucketName(t.stack(), t.region())));
    }

    /** The key prefix of a load balancer's logs: its name in the topology. */
    static String prefix(String loadBalancer) {
        return loadBalancer;
    }

    /** The bucket policy: Elastic Load Balancing may put objects under each load balancer's AWSLogs/<account>/ prefix. */
    static String policy(Topology t) {
        String bucket = bucketName(t);
        String account = ELB_ACCOUNTS.get(t.region());
        Partition partition = Partition.of(t.region());
        Map<String, Object> principal = account != null
                ? Map.of("AWS", partition.arn("iam", "", account, "root"))
                : Map.of("Service", partition.servicePrincipal(SERVICE));
        List<String> resources = t.loadBalancers().keySet().stream().sorted()
                .map(lb -> partition.arn("s3", "", "", bucket + "/" + prefix(lb) + "/AWSLogs/" + ResourceSpec.ACCOUNT + "/*"))
                .toList();
        Map<String, Object> statement = new TreeMap<>(Map.of("Sid", "ElbAccessLogsWrite", "Effect", "Allow",
                "Principal", principal, "Action", "s3:PutObject", "Resource", resources));
        return DataExpander.canonicalJson(new TreeMap<>(Map.of("Version", "2012-10-17", "Statement", List.of(statement))));
    }
}
