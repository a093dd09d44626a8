package dev.infra.providers.testing;

import java.net.SocketException;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Faults at random, drawn per attempt of every call: with probability {@code throttle} AWS throttles the attempt
 * (the service's own throttling answer, e.g. EC2's RequestLimitExceeded), with {@code serverError} it answers HTTP 500
 * without running it, with {@code lost} it runs the call and its answer is lost (half of the time as an HTTP 500, half
 * as a connection reset). The draw of the n-th attempt of an operation depends only on the seed, the operation and n,
 * so a seed replays the same faults as long as calls of one operation come in the same order (parallel applies may
 * swap a few). Thread-safe; counts what it injected.
 *
 * @param seed picks the faults
 * @param throttle share of attempts throttled
 * @param serverError share of attempts failed with a 500 before they reach AWS
 * @param lost share of attempts that run but whose answer is lost
 */
public record RandomFaults(long seed, double throttle, double serverError, double lost, Counts counts)
        implements ExecutionInterceptor {

    /** How this attempt's answer is lost: {@code null} (it is not), as an HTTP 500, or as a reset connection. */
    private static final ExecutionAttribute<Lost> LOSE = new ExecutionAttribute<>("infra.test.loseAnswer");

    private enum Lost { AS_500, AS_RESET }

    public RandomFaults {
        if (throttle < 0 || serverError < 0 || lost < 0 || throttle + serverError + lost > 1) {
            throw new IllegalArgumentException("fault rates must be ≥ 0 and add up to at most 1");
        }
    }

    public RandomFaults(long seed, double throttle, double serverError, double lost) {
        this(seed, throttle, serverError, lost, new Counts());
    }

    /**
     * Parses {@code seed=3,throttle=0.1,5xx=0.05,lost=0.05} (keys optional; absent rates are 0), as bench/faults passes
     * it in the system property {@value GlobalFaults#PROPERTY}.
     */
    public static RandomFaults parse(String spec) {
        long seed = 0;
        double throttle = 0;
        double serverError = 0;
        double lost = 0;
        for (String part : spec.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected key=value, got '" + part + "' in " + spec);
            }
            switch (kv[0].trim()) {
                case "seed" -> seed = Long.parseLong(kv[1].trim());
                case "throttle" -> throttle = Double.parseDouble(kv[1].trim());
                case "5xx" -> serverError = Double.parseDouble(kv[1].trim());
                case "lost" -> lost = Double.parseDouble(kv[1].trim());
                default -> throw new IllegalArgumentException("unknown fault '" + kv[0] + "' in " + spec
                        + " (seed, throttle, 5xx, lost)");
            }
        }
        return new RandomFaults(seed, throttle, serverError, lost);
    }

    /** What was injected so far. */
    public static final class Counts {
        private final Map<String, AtomicInteger> attemptsByOperation = new ConcurrentHashMap<>();
        private final LongAdder attempts = new LongAdder();
        private final LongAdder throttled = new LongAdder();
        private final LongAdder serverErrors = new LongAdder();
        private final LongAdder lostAnswers = new LongAdder();

        public long attempts() {
            return attempts.sum();
        }

        public long throttled() {
            return throttled.sum();
        }

        public long serverErrors() {
            return serverErrors.sum();
        }

        public long lostAnswers() {
            return lostAnswers.sum();
        }

        @Override
        public String toString() {
            return "attempts=" + attempts() + " throttled=" + throttled() + " serverErrors=" + serverErrors()
                    + " lost=" + lostAnswers();
        }
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = service + "." + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        int n = counts.attemptsByOperation.computeIfAbsent(operation, o -> new AtomicInteger()).getAndIncrement();
        counts.attempts.increment();
        double r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L ^ operation.hashCode() * 31L + n).nextDouble();
        attributes.putAttribute(LOSE, null);
        if (r < throttle) {
            counts.throttled.increment();
            throw throttling(service);
        }
        if (r < throttle + serverError) {
            counts.serverErrors.increment();
            throw error(500, "InternalError", "injected: internal error");
        }
        if (r < throttle + serverError + lost) {
            counts.lostAnswers.increment();
            attributes.putAttribute(LOSE, r < throttle + serverError + lost / 2 ? Lost.AS_500 : Lost.AS_RESET);
        }
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Lost how = attributes.getAttribute(LOSE);
        if (how == null) {
            return context.httpResponse();
        }
        attributes.putAttribute(LOSE, null);
        if (how == Lost.AS_RESET) {
            throw SdkClientException.create("injected: connection reset after the call ran",
                    new SocketException("Connection reset"));
        }
        return context.httpResponse().toBuilder().statusCode(500).build();
    }

    /** The throttling answer the service gives: its code and HTTP status. */
    private static AwsServiceException throttling(String service) {
        return switch (service) {
            case "Ec2" -> error(503, "RequestLimitExceeded", "Request limit exceeded.");
            case "S3" -> error(503, "SlowDown", "Please reduce your request rate.");
            case "Eks" -> error(429, "TooManyRequestsException", "Too many requests");
            case "Iam", "Route53", "AutoScaling", "ElastiCache", "ElasticLoadBalancingV2", "Sns", "CloudWatch",
                 "CloudFormation", "Sts" -> error(400, "Throttling", "Rate exceeded");
            default -> error(400, "ThrottlingException", "Rate exceeded");
        };
    }

    private static AwsServiceException error(int status, String code, String message) {
        return AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage("injected: " + message).build())
                .message(code + ": injected: " + message)
                .build();
    }
}
