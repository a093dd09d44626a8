package dev.infra.providers;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.wafv2.Wafv2Client;

/**
 * One lazily built SDK client per service, all sharing one HTTP client, the region, the credentials, the endpoint
 * override, the {@link RetryPolicy} and the {@link ApiCallCounter}. A service may have a second client for creates AWS
 * does not de-duplicate ({@link #forCreates}); both share the service's {@link RateLimiter}.
 */
public final class AwsClients implements AutoCloseable {

    private final AwsSettings settings;
    private final ApiCallCounter counter;
    private final SdkHttpClient http;
    /** The same settings in other regions, for the few calls a resource makes elsewhere (a replica added at its source). */
    private final Map<String, AwsClients> otherRegions = new ConcurrentHashMap<>();
    private final boolean ownsHttp;
    private final Map<Class<?>, SdkClient> clients = new ConcurrentHashMap<>();
    private final Map<Class<?>, SdkClient> createClients = new ConcurrentHashMap<>();
    private final Map<Class<?>, RateLimiter> limiters = new ConcurrentHashMap<>();
    /** An explicit profile wins over environment credentials, as with the AWS CLI; else the SDK default chain. */
    private final AwsCredentialsProvider credentials;
    private final List<ExecutionInterceptor> interceptors;

    private AwsClients(AwsSettings settings, List<ExecutionInterceptor> interceptors) {
        this(settings, interceptors, new ApiCallCounter(), UrlConnectionHttpClient.builder().build(), true);
    }

    private AwsClients(AwsSettings settings, List<ExecutionInterceptor> interceptors, ApiCallCounter counter,
                       SdkHttpClient http, boolean ownsHttp) {
        this.settings = settings;
        this.counter = counter;
        this.http = http;
        this.ownsHttp = ownsHttp;
        this.interceptors = List.copyOf(interceptors);
        this.credentials = settings.profile() == null ? null : ProfileCredentialsProvider.create(settings.profile());
    }

    public static AwsClients create(AwsSettings settings) {
        return new AwsClients(settings, List.of());
    }

    /** As {@link #create(AwsSettings)}, with more interceptors on every client (logging, tracing, fault injection). */
    public static AwsClients create(AwsSettings settings, List<ExecutionInterceptor> interceptors) {
        return new AwsClients(settings, interceptors);
    }

    public AwsSettings settings() {
        return settings;
    }

    public String region() {
        return settings.region();
    }

    public ApiCallCounter counter() {
        return counter;
    }

    /**
     * Clients for {@code otherRegion} with the same credentials, endpoint, retries and interceptors, counted in this
     * instance's {@link #counter} and closed with it: for a replica, which is made by calling its source's region.
     */
    public AwsClients in(String otherRegion) {
        if (otherRegion.equals(region())) {
            return this;
        }
        return otherRegions.computeIfAbsent(otherRegion, r -> new AwsClients(
                new AwsSettings(r, settings.profile(), settings.endpoint(), settings.maxAttempts()),
                interceptors, counter, http, false));
    }

    /** The caller's ARN, from STS GetCallerIdentity on first need: its partition and account make {@link #arn}s. */
    private volatile String callerArn;

    /**
     * The ARN of {@code resource} (e.g. {@code workgroup/etl}) of {@code service} (e.g. {@code athena}) in this region
     * and account, for APIs that take an ARN they never return. Partition and account come from STS
     * GetCallerIdentity, asked once per instance.
     */
    public String arn(String service, String resource) {
        return arnIn(service, region(), resource);
    }

    /** The same for global services whose ARNs carry no region (IAM: {@code arn:aws:iam::123456789012:root}). */
    public String globalArn(String service, String resource) {
        return arnIn(service, "", resource);
    }

    /** The account the clients work in (STS GetCallerIdentity, asked once per instance). */
    public String account() {
        return globalArn("iam", "root").split(":")[4];
    }

    private String arnIn(String service, String region, String resource) {
        String caller = callerArn;
        if (caller == null) {
            caller = AwsCallException.call("GetCallerIdentity", () -> client(
                    software.amazon.awssdk.services.sts.StsClient.class,
                    software.amazon.awssdk.services.sts.StsClient::builder).getCallerIdentity().arn());
            callerArn = caller;
        }
        String[] parts = caller.split(":", 6); // arn:partition:sts::account:assumed-role/…
        return "arn:" + parts[1] + ":" + service + ":" + region + ":" + parts[4] + ":" + resource;
    }

    public Ec2Client ec2() {
        return client(Ec2Client.class, Ec2Client::builder);
    }

    /** The EC2 client for creates AWS does not de-duplicate (see {@link #forCreates}). */
    public Ec2Client ec2ForCreates() {
        return forCreates(Ec2Client.class, Ec2Client::builder);
    }

    public EksClient eks() {
        return client(EksClient.class, EksClient::builder);
    }

    /**
     * The Route 53 client. Route 53 is global, and the SDK's endpoint rules know it: whatever the region, every call
     * goes to the partition's one endpoint ({@code route53.amazonaws.com}, {@code route53.amazonaws.com.cn}…), signed
     * for the partition's home region ({@code us-east-1} in {@code aws}). The configured region only picks the
     * partition, which a fixed {@code aws-global} would get wrong outside the {@code aws} partition.
     */
    public Route53Client route53() {
        return client(Route53Client.class, Route53Client::builder);
    }

    public ElasticLoadBalancingV2Client elbv2() {
        return client(ElasticLoadBalancingV2Client.class, ElasticLoadBalancingV2Client::builder);
    }

    public software.amazon.awssdk.services.acm.AcmClient acm() {
        return client(software.amazon.awssdk.services.acm.AcmClient.class,
                software.amazon.awssdk.services.acm.AcmClient::builder);
    }

    public Wafv2Client wafv2() {
        return client(Wafv2Client.class, Wafv2Client::builder);
    }

    public ResourceGroupsTaggingApiClient resourceGroupsTagging() {
        return client(ResourceGroupsTaggingApiClient.class, ResourceGroupsTaggingApiClient::builder);
    }

    /**
     * The (sync) S3 client. With an endpoint override it addresses buckets by path ({@code endpoint/bucket}), not by
     * host name: a custom endpoint has no wildcard DNS for {@code bucket.endpoint}.
     */
    public S3Client s3() {
        return client(S3Client.class, () -> {
            S3ClientBuilder b = S3Client.builder();
            if (settings.endpoint() != null) {
                b.forcePathStyle(true);
            }
            return b;
        });
    }

    /**
     * The client of type {@code type}, built on first use from {@code builder} (e.g. {@code EksClient::builder})
     * with this instance's common configuration.
     */
    public <C extends SdkClient, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C client(
            Class<C> type, Supplier<B> builder) {
        return type.cast(clients.computeIfAbsent(type, t -> configure(builder.get(),
                RetryPolicy.forCalls(settings.maxAttempts(), limiter(type))).build()));
    }

    /**
     * As {@link #client}, but retrying only what AWS did not run ({@link RetryPolicy#forCreates}): for creates AWS does
     * not de-duplicate, where an automatic retry after a timeout or a 5xx that took effect would make a second
     * resource. The caller looks for what the failed call may have made before it tries again.
     */
    public <C extends SdkClient, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C forCreates(
            Class<C> type, Supplier<B> builder) {
        return type.cast(createClients.computeIfAbsent(type, t -> configure(builder.get(),
                RetryPolicy.forCreates(settings.maxAttempts(), limiter(type))).build()));
    }

    private RateLimiter limiter(Class<?> service) {
        return limiters.computeIfAbsent(service, s -> new RateLimiter());
    }

    private <C, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> B configure(B b, RetryPolicy retries) {
        b.httpClient(http).region(Region.of(settings.region()));
        if (settings.endpoint() != null) {
            b.endpointOverride(settings.endpoint());
        }
        if (credentials != null) {
            b.credentialsProvider(credentials);
        }
        b.overrideConfiguration(o -> {
            o.retryStrategy(retries);
            o.addExecutionInterceptor(counter);
            interceptors.forEach(o::addExecutionInterceptor);
            if (settings.profile() != null) {
                // Region defaults, endpoint_url and the like also come from the named profile.
                o.defaultProfileName(settings.profile());
            }
        });
        return b;
    }

    @Override
    public void close() {
        otherRegions.values().forEach(AwsClients::close);
        otherRegions.clear();
        clients.values().forEach(SdkClient::close);
        clients.clear();
        createClients.values().forEach(SdkClient::close);
        createClients.clear();
        if (ownsHttp) {
            http.close();
        }
    }
}
