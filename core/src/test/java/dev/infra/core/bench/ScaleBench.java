package dev.infra.core.bench;

import dev.infra.core.apply.ApplyResult;
import dev.infra.core.diag.SourceLocation;
import dev.infra.core.expand.Expansion;
import dev.infra.core.graph.ResourceGraph;
import dev.infra.core.model.OtherRegions;
import dev.infra.core.model.Ref;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.plan.DataOptIn;
import dev.infra.core.plan.Plan;
import dev.infra.core.plan.Planner;
import dev.infra.core.provider.ProviderRegistry;
import dev.infra.core.stack.Engine;
import dev.infra.core.state.LocalBackend;
import dev.infra.core.state.State;
import dev.infra.core.testing.FakeCloud;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The engine at scale (bench/scale): for each size, security groups of 40 rules each, planned and applied with the
 * real {@link Planner}, Applier and {@link LocalBackend} against the in-memory {@link FakeCloud}, planned again
 * (no change), then destroyed. Prints wall time, process CPU, peak heap and the bytes the process wrote (state and
 * journal: nothing else writes) per resource.
 */
public final class ScaleBench {

    private static final int RULES_PER_GROUP = 40;

    public static void main(String[] args) throws IOException {
        for (String arg : args) {
            run(Integer.parseInt(arg));
        }
    }

    private static void run(int size) throws IOException {
        Path dir = Files.createTempDirectory("infra-scale");
        FakeCloud cloud = new FakeCloud();
        ProviderRegistry registry = cloud.registry();
        LocalBackend backend = LocalBackend.of(dir, "scale", "us-east-1");
        Engine engine = Engine.create(registry, backend, () -> List.of("us-east-1a"));
        ResourceGraph desired = ResourceGraph.build(specs(size));
        int n = desired.specs().size();

        Phase plan = Phase.start();
        Plan first = new Planner(registry, OtherRegions.NONE).plan(desired, State.empty("scale", "us-east-1"), "d",
                false, DataOptIn.NONE);
        plan.print(n, "plan from empty");

        Phase apply = Phase.start();
        ApplyResult result = engine.apply(first, State.empty("scale", "us-east-1"),
                new Engine.ApplyOptions(10, Duration.ofMinutes(5), e -> { }), OtherRegions.NONE, true);
        if (!result.ok() || result.created() != n) {
            throw new IllegalStateException("apply of " + n + " failed: " + result);
        }
        apply.print(n, "apply from empty");

        Phase again = Phase.start();
        Plan noChange = new Planner(registry, OtherRegions.NONE).plan(desired, backend.read().orElseThrow(), "d",
                false, DataOptIn.NONE);
        again.print(n, "no-change plan");
        if (noChange.hasChanges()) {
            throw new IllegalStateException("the plan after apply still has changes");
        }
        long stateBytes = Files.size(backend.file());

        // A destroy plan orders every delete after its dependents': the operation graph's delete rule at full size.
        Phase destroyPlan = Phase.start();
        Plan destroy = new Planner(registry, OtherRegions.NONE).plan(ResourceGraph.build(List.of()),
                backend.read().orElseThrow(), "d", true, DataOptIn.NONE);
        destroyPlan.print(n, "destroy plan");

        Phase destroyApply = Phase.start();
        ApplyResult destroyed = engine.apply(destroy, backend.read().orElseThrow(),
                new Engine.ApplyOptions(10, Duration.ofMinutes(5), e -> { }), OtherRegions.NONE, true);
        if (!destroyed.ok() || destroyed.deleted() != n) {
            throw new IllegalStateException("destroy of " + n + " failed: " + destroyed);
        }
        destroyApply.print(n, "destroy");
        System.out.printf("%6d resources: state file %d bytes%n%n", n, stateBytes);
    }

    /** Groups of {@link #RULES_PER_GROUP} rules, each rule naming its group by ref; about {@code size} in all. */
    static List<ResourceSpec> specs(int size) {
        List<ResourceSpec> specs = new ArrayList<>();
        for (int g = 0; specs.size() < size; g++) {
            String group = "scale/security_group.g" + g;
            specs.add(spec(group, "aws_security_group", Map.of("name", "g" + g, "vpcId", "vpc-1")));
            for (int r = 0; r < RULES_PER_GROUP && specs.size() < size; r++) {
                specs.add(spec(group + "-rule-" + r, "aws_security_group_rule", Map.of("securityGroupId", Ref.id(group),
                        "fromPort", (long) 1000 + r, "toPort", (long) 1000 + r, "protocol", "tcp",
                        "cidrIpv4", "10.0.0.0/8")));
            }
        }
        return specs;
    }

    private static ResourceSpec spec(String address, String type, Map<String, Object> attributes) {
        Map<String, Object> a = new java.util.TreeMap<>(attributes);
        a.put("tags", Map.of(Expansion.TAG_STACK, "scale", Expansion.TAG_ADDRESS, address));
        return ResourceSpec.of(address, type, a, SourceLocation.wholeFile("scale.yaml"));
    }

    /** One measured step: wall, process CPU, peak heap (pools reset at its start), bytes written (/proc/self/io). */
    private record Phase(long wallAt, long cpuAt, long writtenAt) {
        static Phase start() {
            System.gc();
            ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
            return new Phase(System.nanoTime(), cpuNow(), writtenNow());
        }

        void print(int n, String name) {
            double wallS = (System.nanoTime() - wallAt) / 1e9;
            double cpuMs = (cpuNow() - cpuAt) / 1e6;
            long peak = ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                    .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            long bytes = writtenNow() - writtenAt;
            System.out.printf("%6d resources: %-17s wall %7.2f s   CPU %8.0f ms (%6.3f ms/resource)   peak heap %5d MiB"
                            + "   written %6d bytes/resource%n", n, name, wallS, cpuMs, cpuMs / n, peak >> 20, bytes / n);
        }

        private static long cpuNow() {
            return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
        }

        /** Bytes this process handed to write calls so far (Linux's wchar). */
        private static long writtenNow() {
            try {
                return Files.readAllLines(Path.of("/proc/self/io")).stream().filter(l -> l.startsWith("wchar:"))
                        .mapToLong(l -> Long.parseLong(l.substring(6).strip())).findFirst().orElse(0);
            } catch (IOException e) {
                return 0;
            }
        }
    }
}
