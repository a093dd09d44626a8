package dev.infra.providers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.AcquireInitialTokenResponse;
import software.amazon.awssdk.retries.api.RecordSuccessRequest;
import software.amazon.awssdk.retries.api.RecordSuccessResponse;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/**
 * The one retry policy of every AWS call, as the SDK's retry strategy of every client {@link AwsClients} builds.
 *
 * <ul>
 *   <li>An answer saying AWS did not run the call ({@link #notRun}: throttling, a clock skew, Route 53's
 *       PriorRequestNotComplete, a connection that was never made) is retried by every client, the clients of creates
 *       included: AWS did nothing, so sending again cannot make a second resource.
 *   <li>A failure after which the call may have run ({@link #mayHaveRun}: a 5xx, a timeout, a connection lost
 *       mid-call) is retried by the clients of reads and of calls that are idempotent by nature (tagging, Put*, waits),
 *       not by {@link #forCreates the clients of creates} AWS does not de-duplicate: their callers look for what the
 *       call may have made first ({@code AwsResourceProvider.createOnce}).
 *   <li>Up to {@code maxAttempts} attempts (25 by default, like Terraform's AWS provider), of which at most
 *       {@value #NO_ANSWER_ATTEMPTS} when no answer comes back at all (a wrong endpoint fails in about 30 s, not
 *       minutes). Between attempts a delay drawn uniformly from zero to an exponentially growing bound (full jitter):
 *       100 ms doubling for errors, 1 s doubling for throttling, at most 20 s; a longer delay AWS asks for is kept.
 *   <li>Each attempt first waits for the service's {@link RateLimiter}, which slows the whole service down once AWS
 *       throttles much of what is sent.
 * </ul>
 */
public final class RetryPolicy implements RetryStrategy {

    static final Duration BASE_DELAY = Duration.ofMillis(100);
    static final Duration THROTTLED_BASE_DELAY = Duration.ofSeconds(1);
    static final Duration MAX_DELAY = Duration.ofSeconds(20);
    /** Attempts when no answer comes back (Terraform's provider stops network errors at 10 too). */
    static final int NO_ANSWER_ATTEMPTS = 10;

    /** Route 53's "still processing a prior request of yours", besides the SDK's throttling and clock-skew codes. */
    private static final String PRIOR_REQUEST_NOT_COMPLETE = "PriorRequestNotComplete";

    private final int maxAttempts;
    private final boolean creates;
    private final RateLimiter limiter;

    private RetryPolicy(int maxAttempts, boolean creates, RateLimiter limiter) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.creates = creates;
        this.limiter = limiter;
    }

    /** For reads and calls that may safely run twice: retries what {@link #notRun} and what {@link #mayHaveRun}. */
    public static RetryPolicy forCalls(int maxAttempts, RateLimiter limiter) {
        return new RetryPolicy(maxAttempts, false, limiter);
    }

    /** For creates AWS does not de-duplicate: retries only what {@link #notRun}. */
    public static RetryPolicy forCreates(int maxAttempts, RateLimiter limiter) {
        return new RetryPolicy(maxAttempts, true, limiter);
    }

    /** AWS refused {@code failure}'s call without running it: sending it again is always safe. */
    public static boolean notRun(Throwable failure) {
        if (failure instanceof AwsServiceException e) {
            return isThrottling(e) || e.isClockSkewException()
                    || (e.awsErrorDetails() != null && PRIOR_REQUEST_NOT_COMPLETE.equals(e.awsErrorDetails().errorCode()));
        }
        return failure instanceof SdkClientException && neverConnected(failure);
    }

    /** AWS's answer says it is throttling the caller (HTTP 429 or a throttling code such as RequestLimitExceeded). */
    public static boolean isThrottling(Throwable failure) {
        return failure instanceof AwsServiceException e && e.isThrottlingException();
    }

    /**
     * {@code failure}'s call may have run: AWS answered with a 5xx (other than throttling), or no answer came back (a
     * timeout, a connection lost after the request went out).
     */
    public static boolean mayHaveRun(Throwable failure) {
        if (notRun(failure)) {
            return false;
        }
        if (failure instanceof AwsServiceException e) {
            return e.statusCode() >= 500;
        }
        return noAnswer(failure);
    }

    /** Whether this policy sends {@code failure}'s call again (budget aside). */
    public boolean retries(Throwable failure) {
        return notRun(failure) || (!creates && mayHaveRun(failure));
    }

    /**
     * The delay before attempt {@code attempt + 1} after {@code attempt} failed: uniform in [0, min(20 s, base ×
     * 2^(attempt-1))], base 1 s after throttling and 100 ms otherwise.
     */
    public static Duration backoff(int attempt, boolean throttled) {
        long base = (throttled ? THROTTLED_BASE_DELAY : BASE_DELAY).toMillis();
        long bound = Math.min(MAX_DELAY.toMillis(), base << Math.min(attempt - 1, 20));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(bound + 1));
    }

    // ---- RetryStrategy ------------------------------------------------------------------------------

    /** Attempts made so far, and how many of them got no answer at all. */
    record Token(int attempt, int unanswered) implements RetryToken {
    }

    @Override
    public AcquireInitialTokenResponse acquireInitialToken(AcquireInitialTokenRequest request) {
        return AcquireInitialTokenResponse.create(new Token(1, 0), limiter.acquire());
    }

    @Override
    public RefreshRetryTokenResponse refreshRetryToken(RefreshRetryTokenRequest request) {
        Token token = (Token) request.token();
        Throwable failure = request.failure();
        boolean throttled = isThrottling(failure);
        limiter.record(throttled);
        int unanswered = token.unanswered() + (noAnswer(failure) ? 1 : 0);
        if (!retries(failure)) {
            throw new TokenAcquisitionFailedException("not retried", token, failure);
        }
        if (token.attempt() >= maxAttempts || unanswered >= NO_ANSWER_ATTEMPTS) {
            throw new TokenAcquisitionFailedException("gave up after " + token.attempt() + " attempts", token, failure);
        }
        Duration delay = backoff(token.attempt(), throttled);
        Duration asked = request.suggestedDelay().orElse(Duration.ZERO);
        Duration wait = (asked.compareTo(delay) > 0 ? asked : delay).plus(limiter.acquire());
        return RefreshRetryTokenResponse.create(new Token(token.attempt() + 1, unanswered), wait);
    }

    @Override
    public RecordSuccessResponse recordSuccess(RecordSuccessRequest request) {
        limiter.record(false);
        return RecordSuccessResponse.create(request.token());
    }

    @Override
    public int maxAttempts() {
        return maxAttempts;
    }

    /** This policy is complete: the SDK must not add its own retry conditions (it would retry 5xx on creates). */
    @Override
    public boolean useClientDefaults() {
        return false;
    }

    /** Not built from a builder: {@link #forCalls} and {@link #forCreates} make it. */
    @Override
    public Builder<?, ?> toBuilder() {
        throw new UnsupportedOperationException("RetryPolicy is made by RetryPolicy.forCalls or forCreates");
    }

    // ---- internals ----------------------------------------------------------------------------------

    private static boolean noAnswer(Throwable failure) {
        if (failure instanceof ApiCallAttemptTimeoutException) {
            return true;
        }
        if (!(failure instanceof SdkClientException)) {
            return false;
        }
        for (Throwable c = failure.getCause(); c != null; c = c.getCause()) {
            if (c instanceof IOException || c instanceof UncheckedIOException) {
                return true;
            }
        }
        return false;
    }

    /** The connection was refused or never opened: the request did not leave. */
    private static boolean neverConnected(Throwable failure) {
        for (Throwable c = failure.getCause(); c != null; c = c.getCause()) {
            if (c instanceof ConnectException || c instanceof UnknownHostException || c instanceof NoRouteToHostException) {
                return true;
            }
        }
        return false;
    }
}
