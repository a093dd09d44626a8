package dev.infra.providers.iam;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import java.util.Comparator;
import java.util.Optional;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * The account's service-linked roles, found or made before the resource that needs them, and never deleted: they are
 * the account's, shared by every stack (and by what else runs there). Of the seed's services, only two need infra to
 * make one: OpenSearch Service, whose CreateDomain in a VPC is refused on an account without
 * {@code AWSServiceRoleForAmazonOpenSearchService} ("Using service-linked roles to create VPC domains": the console
 * makes it, the API does not), and Auto Scaling, whose role a key policy must name before the account's first group
 * would make it. ElastiCache, EKS (cluster and node groups), Elastic Load Balancing, GuardDuty and DynamoDB global
 * tables make theirs themselves on the first create.
 */
public final class ServiceLinkedRoles {

    /** OpenSearch Service's service principal, whose role VPC domains need. */
    public static final String OPENSEARCH = "opensearchservice.amazonaws.com";
    /** Auto Scaling's service principal, whose role launches the instances of a group. */
    public static final String AUTO_SCALING = "autoscaling.amazonaws.com";

    private ServiceLinkedRoles() {
    }

    /**
     * The ARN of {@code service}'s service-linked role (path {@code /aws-service-role/<service>/}), made when the account
     * has none. A create refused after an attempt whose answer was lost ("has been taken") finds the role that attempt
     * made. A role just made may not be usable at once (IAM is eventually consistent): callers retry what refuses it.
     */
    public static String arn(AwsClients clients, String service) {
        String path = "/aws-service-role/" + service + "/";
        Optional<Role> existing = find(clients, path);
        if (existing.isPresent()) {
            return existing.get().arn();
        }
        try {
            return call("CreateServiceLinkedRole",
                    () -> iam(clients).createServiceLinkedRole(b -> b.awsServiceName(service)).role()).arn();
        } catch (AwsCallException e) {
            return find(clients, path).map(Role::arn).orElseThrow(() -> e);
        }
    }

    private static Optional<Role> find(AwsClients clients, String path) {
        return call("ListRoles", () -> iam(clients).listRolesPaginator(b -> b.pathPrefix(path)).roles().stream()
                .min(Comparator.comparing(r -> r.roleName().length())));
    }

    private static IamClient iam(AwsClients clients) {
        return clients.client(IamClient.class, IamClient::builder);
    }
}
