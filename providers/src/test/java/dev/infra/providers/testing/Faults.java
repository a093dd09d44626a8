package dev.infra.providers.testing;

import java.net.SocketException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Fault-injecting SDK interceptors for {@link Emulator#clients(String, ExecutionInterceptor...)}: the failures the
 * emulator never produces by itself (lost answers, eventual consistency, dropped connections), each for the first calls
 * of one operation. {@link RandomFaults} injects them at random rates into every call.
 */
public final class Faults {

    private Faults() {}

    /** The first {@code times} calls of {@code operation} fail with AWS error {@code code}, without reaching AWS. */
    public static ExecutionInterceptor awsError(String operation, int times, int status, String code) {
        return awsError(operation, times, status, code, "injected " + code);
    }

    /** As {@link #awsError(String, int, int, String)}, with AWS's message (for refusals told apart by it). */
    public static ExecutionInterceptor awsError(String operation, int times, int status, String code, String message) {
        return beforeSending(operation, times, () -> AwsServiceException.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).build())
                .build());
    }

    /**
     * Every answer of type {@code type} reaches the caller as {@code rewrite} makes it: what AWS answers and the
     * emulator never does (a resource still creating, a failed update, escaped names).
     */
    public static <R extends SdkResponse> ExecutionInterceptor rewrite(Class<R> type, UnaryOperator<R> rewrite) {
        return new ExecutionInterceptor() {
            @Override
            public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
                return type.isInstance(context.response()) ? rewrite.apply(type.cast(context.response()))
                        : context.response();
            }
        };
    }

    /**
     * The first {@code times} calls of {@code operation} fail as if the connection dropped before sending (which the
     * caller cannot tell from a drop after AWS ran the call).
     */
    public static ExecutionInterceptor connectionReset(String operation, int times) {
        return beforeSending(operation, times, () -> SdkClientException.create("injected: connection reset",
                new SocketException("Connection reset")));
    }

    /**
     * The first {@code times} calls of {@code operation} reach AWS and take effect, but their answer turns into an
     * HTTP 500: what a proxy or a timeout does to a create.
     */
    public static ExecutionInterceptor loseAnswer(String operation, int times) {
        AtomicInteger left = new AtomicInteger(times);
        return new ExecutionInterceptor() {
            @Override
            public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
                if (is(operation, attributes) && left.getAndDecrement() > 0) {
                    return context.httpResponse().toBuilder().statusCode(500).build();
                }
                return context.httpResponse();
            }
        };
    }

    private static ExecutionInterceptor beforeSending(String operation, int times, Supplier<RuntimeException> failure) {
        AtomicInteger left = new AtomicInteger(times);
        return new ExecutionInterceptor() {
            @Override
            public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
                if (is(operation, attributes) && left.getAndDecrement() > 0) {
                    throw failure.get();
                }
            }
        };
    }

    private static boolean is(String operation, ExecutionAttributes attributes) {
        return operation.equals(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME));
    }
}
