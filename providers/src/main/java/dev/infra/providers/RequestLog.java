package dev.infra.providers;

import java.util.function.Consumer;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.awscore.AwsExecutionAttribute;

/** One line per AWS call ({@code aws: Ec2.DescribeVpcs eu-west-2 -> 200 in 35 ms}), for {@code -v}. */
public final class RequestLog implements ExecutionInterceptor {

    private static final ExecutionAttribute<Long> STARTED = new ExecutionAttribute<>("infra.started");

    private final Consumer<String> sink;

    public RequestLog(Consumer<String> sink) {
        this.sink = sink;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        attributes.putAttribute(STARTED, System.nanoTime());
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        log(attributes, String.valueOf(context.httpResponse().statusCode()));
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        log(attributes, "failed: " + context.exception().getClass().getSimpleName());
    }

    private void log(ExecutionAttributes attributes, String outcome) {
        Long started = attributes.getAttribute(STARTED);
        long ms = started == null ? 0 : (System.nanoTime() - started) / 1_000_000;
        Region region = attributes.getAttribute(AwsExecutionAttribute.AWS_REGION);
        sink.accept("aws: " + attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "."
                + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + " " + region + " -> " + outcome
                + " in " + ms + " ms");
    }
}
