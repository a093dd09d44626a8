package dev.infra.providers.eks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infra.providers.AwsCallException;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/** Which CreateCluster refusals count as IAM still propagating (retried), and which are final. */
class EksProviderTest {

    private static AwsCallException refused(String code, String message) {
        return catchThrowableOfType(AwsCallException.class, () -> AwsCallException.call("CreateCluster", () -> {
            throw AwsServiceException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                    .errorCode(code).errorMessage(message).build()).build();
        }));
    }

    /** EKS's answers while a role just made is not visible to it, as Terraform's aws_eks_cluster create retries them. */
    @Test
    void iamPropagationMessagesAreRetried() {
        String role = "arn:aws:iam::123456789012:role/shop-apps-cluster";
        List<String> messages = List.of(
                "Role with arn: " + role + ", could not be assumed because it does not exist or the trusted entity is not correct",
                "The role with name shop-apps-cluster cannot be found. Role " + role + " does not exist",
                "Error in role params",
                "Role " + role + " doesn't have the Amazon EKS Managed Policies associated with it",
                "The provided role doesn't have the Amazon EKS Managed Policies associated with it. Your IAM role's policy"
                        + " must include the AmazonEKSClusterPolicy managed policy",
                "Role " + role + " not found in the trust relationships of the role");
        assertThat(messages).allSatisfy(m -> assertThat(EksProvider.roleNotReady(refused("InvalidParameterException", m)))
                .as(m).isTrue());
    }

    @Test
    void otherRefusalsAreNot() {
        assertThat(EksProvider.roleNotReady(refused("InvalidParameterException",
                "Unsupported Kubernetes version 1.19"))).isFalse();
        assertThat(EksProvider.roleNotReady(refused("ResourceInUseException",
                "Cluster already exists with name: shop-apps"))).isFalse();
        // The same words under another code are not EKS's IAM answer.
        assertThat(EksProvider.roleNotReady(refused("AccessDeniedException", "Error in role params"))).isFalse();
    }
}
