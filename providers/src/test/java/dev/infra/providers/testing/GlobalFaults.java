package dev.infra.providers.testing;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * {@link RandomFaults} in every SDK client of the process, product code untouched: the test classpath registers this
 * class as one of the SDK's global interceptors ({@code software/amazon/awssdk/global/handlers/execution.interceptors}),
 * which every client loads. It does nothing until armed: by the system property {@value #PROPERTY} (bench/faults runs
 * the CLI with {@code -Dinfra.faults=seed=3,throttle=0.1,5xx=0.05,lost=0.05}, and prints what was injected at exit), or
 * by {@link #arm} (an in-process test, around the CLI runs it means to disturb).
 */
public final class GlobalFaults implements ExecutionInterceptor {

    public static final String PROPERTY = "infra.faults";

    private static volatile RandomFaults armed = fromProperty();

    /** Injects {@code faults} into every client's calls until the returned handle is closed. */
    public static Armed arm(RandomFaults faults) {
        armed = faults;
        return () -> armed = null;
    }

    /** Disarms on close. */
    public interface Armed extends AutoCloseable {
        @Override
        void close();
    }

    private static RandomFaults fromProperty() {
        String spec = System.getProperty(PROPERTY);
        if (spec == null || spec.isBlank()) {
            return null;
        }
        RandomFaults faults = RandomFaults.parse(spec);
        Runtime.getRuntime().addShutdownHook(new Thread(
                () -> System.err.println("faults injected: " + faults.counts()), "faults-report"));
        return faults;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        RandomFaults f = armed;
        if (f != null) {
            f.beforeTransmission(context, attributes);
        }
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        RandomFaults f = armed;
        return f == null ? context.httpResponse() : f.modifyHttpResponse(context, attributes);
    }
}
