package dev.infra.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.retries.api.AcquireInitialTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenRequest;
import software.amazon.awssdk.retries.api.RefreshRetryTokenResponse;
import software.amazon.awssdk.retries.api.RetryToken;
import software.amazon.awssdk.retries.api.TokenAcquisitionFailedException;

/** One test per rule of the retry policy, on the strategy the SDK consults between attempts. */
class RetryPolicyTest {

    static AwsServiceException aws(int status, String code) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build()).build();
    }

    static final AwsServiceException THROTTLED = aws(503, "RequestLimitExceeded");
    static final AwsServiceException SERVER_ERROR = aws(500, "InternalError");
    static final SdkClientException RESET = SdkClientException.create("reset", new SocketException("Connection reset"));
    static final SdkClientException REFUSED = SdkClientException.create("refused", new ConnectException("refused"));

    private static RetryToken first(RetryPolicy p) {
        return p.acquireInitialToken(AcquireInitialTokenRequest.create("test")).token();
    }

    private static RefreshRetryTokenResponse retry(RetryPolicy p, RetryToken token, Throwable failure) {
        return p.refreshRetryToken(RefreshRetryTokenRequest.builder().token(token).failure(failure).build());
    }

    private static boolean retried(RetryPolicy p, Throwable failure) {
        try {
            retry(p, first(p), failure);
            return true;
        } catch (TokenAcquisitionFailedException e) {
            return false;
        }
    }

    private static RetryPolicy calls() {
        return RetryPolicy.forCalls(25, new RateLimiter());
    }

    private static RetryPolicy creates() {
        return RetryPolicy.forCreates(25, new RateLimiter());
    }

    @Test
    void throttlingIsRetriedEverywhereCreatesIncluded() {
        for (AwsServiceException t : new AwsServiceException[] {THROTTLED, aws(400, "Throttling"),
                aws(400, "ThrottlingException"), aws(503, "SlowDown"), aws(429, "TooManyRequestsException"),
                aws(429, "AnythingWith429"), aws(400, "PriorRequestNotComplete")}) {
            assertThat(retried(creates(), t)).as(t.awsErrorDetails().errorCode()).isTrue();
            assertThat(retried(calls(), t)).as(t.awsErrorDetails().errorCode()).isTrue();
            assertThat(RetryPolicy.notRun(t)).isTrue();
            assertThat(RetryPolicy.mayHaveRun(t)).isFalse();
        }
    }

    @Test
    void aServerErrorOnACreateIsNotRetriedBlindly() {
        assertThat(retried(creates(), SERVER_ERROR)).isFalse();
        assertThat(retried(creates(), aws(503, "ServiceUnavailable"))).isFalse();
        assertThat(RetryPolicy.mayHaveRun(SERVER_ERROR)).isTrue();
    }

    @Test
    void aServerErrorOnAReadOrAnIdempotentCallIsRetried() {
        assertThat(retried(calls(), SERVER_ERROR)).isTrue();
        assertThat(retried(calls(), aws(503, "ServiceUnavailable"))).isTrue();
    }

    @Test
    void aConnectionLostMidCallIsRetriedOnlyWhereSafe() {
        assertThat(RetryPolicy.mayHaveRun(RESET)).isTrue();
        assertThat(retried(calls(), RESET)).isTrue();
        assertThat(retried(creates(), RESET)).isFalse();
    }

    @Test
    void aConnectionNeverMadeIsRetriedEverywhere() {
        assertThat(RetryPolicy.notRun(REFUSED)).isTrue();
        assertThat(retried(creates(), REFUSED)).isTrue();
        assertThat(retried(calls(), REFUSED)).isTrue();
    }

    @Test
    void aClockSkewIsRetriedEverywhere() {
        assertThat(retried(creates(), aws(403, "RequestTimeTooSkewed"))).isTrue();
    }

    @Test
    void clientErrorsAreNeverRetried() {
        for (Throwable e : new Throwable[] {aws(400, "InvalidParameterValue"), aws(400, "RouteAlreadyExists"),
                aws(404, "NoSuchEntity"), SdkClientException.create("no credentials")}) {
            assertThat(retried(calls(), e)).isFalse();
            assertThat(retried(creates(), e)).isFalse();
            assertThat(RetryPolicy.mayHaveRun(e)).isFalse();
        }
    }

    @Test
    void theBudgetIsMaxAttempts() {
        RetryPolicy p = RetryPolicy.forCalls(3, new RateLimiter());
        RetryToken t = first(p);
        t = retry(p, t, SERVER_ERROR).token();
        t = retry(p, t, SERVER_ERROR).token();
        RetryToken third = t;
        assertThatThrownBy(() -> retry(p, third, SERVER_ERROR)).isInstanceOf(TokenAcquisitionFailedException.class);
        assertThat(p.maxAttempts()).isEqualTo(3);
    }

    @Test
    void noAnswerAtAllIsTriedAtMostTenTimes() {
        RetryPolicy p = calls();
        RetryToken t = first(p);
        for (int i = 1; i < RetryPolicy.NO_ANSWER_ATTEMPTS; i++) {
            t = retry(p, t, REFUSED).token();
        }
        RetryToken last = t;
        assertThatThrownBy(() -> retry(p, last, REFUSED)).isInstanceOf(TokenAcquisitionFailedException.class);
    }

    @Test
    void backoffIsFullJitterExponentialCappedAt20Seconds() {
        for (int i = 0; i < 200; i++) {
            assertThat(RetryPolicy.backoff(1, false)).isBetween(Duration.ZERO, Duration.ofMillis(100));
            assertThat(RetryPolicy.backoff(3, false)).isBetween(Duration.ZERO, Duration.ofMillis(400));
            assertThat(RetryPolicy.backoff(1, true)).isBetween(Duration.ZERO, Duration.ofSeconds(1));
            assertThat(RetryPolicy.backoff(24, true)).isBetween(Duration.ZERO, Duration.ofSeconds(20));
        }
    }

    @Test
    void aLongerDelayAwsAsksForIsKept() {
        RetryPolicy p = calls();
        RefreshRetryTokenResponse r = p.refreshRetryToken(RefreshRetryTokenRequest.builder().token(first(p))
                .failure(THROTTLED).suggestedDelay(Duration.ofSeconds(7)).build());
        assertThat(r.delay()).isGreaterThanOrEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void theSdkAddsNoConditionsOfItsOwn() {
        assertThat(calls().useClientDefaults()).isFalse();
        assertThat(Optional.of(creates()).map(RetryPolicy::useClientDefaults)).contains(false);
    }

    @Test
    void ioErrorsAreNoAnswer() {
        assertThat(RetryPolicy.mayHaveRun(SdkClientException.create("timeout", new IOException("read timed out"))))
                .isTrue();
    }
}
