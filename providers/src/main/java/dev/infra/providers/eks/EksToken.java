package dev.infra.providers.eks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * The bearer token EKS's authenticator takes, made as {@code aws eks get-token} makes it: an STS GetCallerIdentity
 * request presigned with SigV4 in the query string, its {@code x-k8s-aws-id} header (the cluster's name) among the
 * signed headers, valid {@link #EXPIRY}; the token is {@value #PREFIX} and the URL in base64url without padding
 * ("Authenticating with IAM", https://github.com/kubernetes-sigs/aws-iam-authenticator#api-authorization-from-outside-a-cluster).
 * The API server sends the URL to STS and maps the caller's ARN to Kubernetes permissions; whoever holds the token
 * acts as the credentials that signed it, so it is written only to a private kubeconfig ({@code helm.Kubeconfig}).
 */
public final class EksToken {

    public static final String PREFIX = "k8s-aws-v1.";
    public static final String CLUSTER_HEADER = "x-k8s-aws-id";
    /** As aws eks get-token; EKS itself accepts a token for 15 minutes after its X-Amz-Date. */
    public static final Duration EXPIRY = Duration.ofSeconds(60);

    private EksToken() {}

    /** The token for {@code cluster}, signed for STS in {@code region} at {@code sts} (the regional STS endpoint). */
    public static String of(String cluster, AwsCredentialsIdentity credentials, String region, URI sts, Clock clock) {
        return PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(presignedUrl(cluster, credentials, region, sts, clock).getBytes(StandardCharsets.UTF_8));
    }

    /** The presigned GetCallerIdentity URL a token carries. */
    public static String presignedUrl(String cluster, AwsCredentialsIdentity credentials, String region, URI sts,
                                      Clock clock) {
        SdkHttpRequest request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .uri(sts.resolve("/"))
                .putRawQueryParameter("Action", "GetCallerIdentity")
                .putRawQueryParameter("Version", "2011-06-15")
                .putHeader(CLUSTER_HEADER, cluster)
                .build();
        return AwsV4HttpSigner.create().sign(r -> r
                        .identity(credentials)
                        .request(request)
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "sts")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4HttpSigner.AUTH_LOCATION, AwsV4HttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4HttpSigner.EXPIRATION_DURATION, EXPIRY)
                        .putProperty(HttpSigner.SIGNING_CLOCK, clock))
                .request().getUri().toString();
    }
}
