package dev.infra.providers;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts API calls per service and operation (one per call, whatever its retries), for {@code --stats}
 * and benchmarks. Thread-safe.
 */
public final class ApiCallCounter implements ExecutionInterceptor {

    private final Map<String, Map<String, LongAdder>> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        record(service == null ? "unknown" : service, operation == null ? "unknown" : operation);
    }

    void record(String service, String operation) {
        counts.computeIfAbsent(service, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(operation, o -> new LongAdder())
                .increment();
    }

    /** Calls so far: service (the SDK's name for it, e.g. {@code Ec2}) → operation → count, both sorted by name. */
    public Map<String, Map<String, Long>> snapshot() {
        Map<String, Map<String, Long>> out = new TreeMap<>();
        counts.forEach((service, ops) -> {
            Map<String, Long> byOp = new TreeMap<>();
            ops.forEach((op, n) -> byOp.put(op, n.sum()));
            out.put(service, Collections.unmodifiableMap(byOp));
        });
        return Collections.unmodifiableMap(out);
    }

    /** Calls of one operation so far, e.g. {@code count("Ec2", "DescribeVpcs")}. */
    public long count(String service, String operation) {
        Map<String, LongAdder> ops = counts.get(service);
        LongAdder n = ops == null ? null : ops.get(operation);
        return n == null ? 0 : n.sum();
    }

    public long total() {
        return counts.values().stream().flatMap(m -> m.values().stream()).mapToLong(LongAdder::sum).sum();
    }

    public void reset() {
        counts.clear();
    }
}
