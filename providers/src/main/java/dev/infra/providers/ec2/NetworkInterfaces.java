package dev.infra.providers.ec2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.NetworkInterface;

/**
 * The network interfaces AWS services make in the stack's subnets and release some time after the resource that made
 * them is deleted (a load balancer's "ELB app/&lt;name&gt;/&lt;id&gt;", an EKS cluster's "Amazon EKS &lt;cluster&gt;"): until
 * they go, their subnets and security groups answer DependencyViolation. A delete waits for them to go, and a VPC
 * that cannot be deleted says what still uses it.
 */
public final class NetworkInterfaces {

    /** As long as the DependencyViolation window of what they block (Terraform gives subnets 20 minutes). */
    static final Duration RELEASE_TIMEOUT = Ec2Provider.DEPENDENCY_TIMEOUT;
    static final Duration RELEASE_INTERVAL = Duration.ofSeconds(5);

    private NetworkInterfaces() {
    }

    /** Waits until no network interface has this description: those {@code owner} had (an ALB, an EKS cluster). */
    public static void awaitReleased(AwsClients clients, OperationContext ctx, String owner, String description) {
        ctx.await("the network interfaces of " + owner + " to be released (" + description + ")", RELEASE_TIMEOUT,
                RELEASE_INTERVAL, () -> described(clients.ec2(), description).isEmpty()
                        ? Optional.of(Boolean.TRUE) : Optional.empty());
    }

    private static List<NetworkInterface> described(Ec2Client ec2, String description) {
        Filter filter = Filter.builder().name("description").values(description).build();
        return call("DescribeNetworkInterfaces", () -> ec2.describeNetworkInterfacesPaginator(b -> b.filters(filter))
                .networkInterfaces().stream().filter(n -> description.equals(n.description())).toList());
    }

    /**
     * What still uses {@code vpcId} (network interfaces with what made them, subnets, security groups other than the
     * default, endpoints), in one sentence with the commands that show them: for the error of a VPC that stays.
     */
    static String usersOf(Ec2Client ec2, String region, String vpcId) {
        Filter vpc = Filter.builder().name("vpc-id").values(vpcId).build();
        List<String> users = new ArrayList<>();
        call("DescribeNetworkInterfaces", () -> ec2.describeNetworkInterfacesPaginator(b -> b.filters(vpc))
                .networkInterfaces().stream().toList()).forEach(n -> users.add(n.networkInterfaceId()
                + (n.description() == null || n.description().isEmpty() ? "" : " (" + n.description() + ")")));
        call("DescribeSubnets", () -> ec2.describeSubnetsPaginator(b -> b.filters(vpc)).subnets().stream().toList())
                .forEach(s -> users.add(s.subnetId()));
        call("DescribeSecurityGroups", () -> ec2.describeSecurityGroupsPaginator(b -> b.filters(vpc))
                .securityGroups().stream().filter(g -> !"default".equals(g.groupName())).toList())
                .forEach(g -> users.add(g.groupId() + " (" + g.groupName() + ")"));
        call("DescribeVpcEndpoints", () -> ec2.describeVpcEndpointsPaginator(b -> b.filters(vpc))
                .vpcEndpoints().stream().toList())
                .forEach(e -> users.add(e.vpcEndpointId() + " (" + e.serviceName() + ")"));
        String see = "see them with: aws ec2 describe-network-interfaces --region " + region
                + " --filters Name=vpc-id,Values=" + vpcId + " (and describe-subnets, describe-security-groups,"
                + " describe-vpc-endpoints with the same filter)";
        return users.isEmpty() ? "nothing shows in it any more; " + see
                : "still in use by " + String.join(", ", users) + ": delete them, or wait for what made them to"
                + " release them, then destroy again; " + see;
    }
}
