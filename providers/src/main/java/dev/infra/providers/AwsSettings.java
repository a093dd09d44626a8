package dev.infra.providers;

import java.net.URI;
import java.util.Objects;

/**
 * How to reach AWS.
 *
 * @param region the region every client talks to, e.g. {@code eu-west-1}
 * @param profile a named profile from the shared config/credentials files, or {@code null} for the SDK's
 *     default credential chain (environment, system properties, {@code AWS_PROFILE}, SSO, instance role…)
 * @param endpoint an endpoint override for every service, or {@code null} for AWS's own endpoints (the SDK
 *     still honours {@code AWS_ENDPOINT_URL} and a profile's {@code endpoint_url})
 * @param maxAttempts attempts per API call under the {@link RetryPolicy} (1 = no retry), and the most calls a create
 *     repeats after failures that may have run
 */
public record AwsSettings(String region, String profile, URI endpoint, int maxAttempts) {

    public static final int DEFAULT_MAX_ATTEMPTS = 25;

    public AwsSettings {
        Objects.requireNonNull(region, "region");
        if (region.isBlank()) {
            throw new IllegalArgumentException("region must not be blank");
        }
        if (profile != null && profile.isBlank()) {
            profile = null;
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
    }

    public static AwsSettings of(String region) {
        return new AwsSettings(region, null, null, DEFAULT_MAX_ATTEMPTS);
    }
}
