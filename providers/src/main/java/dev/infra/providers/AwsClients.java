package dev.infra.providers;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * One lazily built SDK client per service, all sharing one HTTP client, the region, the credentials, the
 * endpoint override, the standard retry strategy and the {@link ApiCallCounter}.
 */
public final class AwsClients implements AutoCloseable {

    private final AwsSettings settings;
    private final ApiCallCounter counter = new ApiCallCounter();
    private final SdkHttpClient http = UrlConnectionHttpClient.builder().build();
    private final Map<Class<?>, SdkClient> clients = new ConcurrentHashMap<>();
    /** An explicit profile wins over environment credentials, as with the AWS CLI; else the SDK default chain. */
    private final AwsCredentialsProvider credentials;
    private final List<ExecutionInterceptor> interceptors;

    private AwsClients(AwsSettings settings, List<ExecutionInterceptor> interceptors) {
        this.settings = settings;
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

    public Ec2Client ec2() {
        return client(Ec2Client.class, Ec2Client::builder);
    }

    /**
     * The client of type {@code type}, built on first use from {@code builder} (e.g. {@code EksClient::builder})
     * with this instance's common configuration.
     */
    public <C extends SdkClient, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> C client(
            Class<C> type, Supplier<B> builder) {
        return type.cast(clients.computeIfAbsent(type, t -> configure(builder.get()).build()));
    }

    private <C, B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>> B configure(B b) {
        b.httpClient(http).region(Region.of(settings.region()));
        if (settings.endpoint() != null) {
            b.endpointOverride(settings.endpoint());
        }
        if (credentials != null) {
            b.credentialsProvider(credentials);
        }
        b.overrideConfiguration(o -> {
            o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder()
                    .maxAttempts(settings.maxAttempts())
                    .build());
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
        clients.values().forEach(SdkClient::close);
        clients.clear();
        http.close();
    }
}
