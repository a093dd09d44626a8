package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ReadRequest;
import dev.infra.core.provider.ResourceProvider;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsProviders;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.FakeHelm;
import dev.infra.providers.testing.GlobalFaults;
import dev.infra.providers.testing.RandomFaults;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One {@code infra apply} with the default retry settings converges through random throttling, 5xx and lost answers
 * ({@link RandomFaults} in every client, see {@link GlobalFaults}): it exits 0, the plan after it (through the same
 * faults) has no changes, and no {@code infra:address} exists twice in what AWS returns. Each case has its own stack
 * and region, and is destroyed (without faults) at the end. bench/faults runs more seeds.
 */
class FaultsIT {

    @TempDir
    Path dir;

    @BeforeAll
    static void credentials() {
        Emulator.useDummyCredentials();
    }

    @ParameterizedTest(name = "{0} seed {1}: {2} throttled, {3} 5xx, {4} lost")
    @CsvSource({
            "network.yaml,           1, 0.10, 0.05, 0.05, fn1, eu-west-3",
            "network.yaml,           2, 0.10, 0.05, 0.05, fn2, eu-north-1",
            "network.yaml,           3, 0,    0,    0.20, fn3, sa-east-1",
            "seed-architecture.yaml, 1, 0.10, 0.05, 0.05, fs1, ap-south-1",
    })
    void oneApplyConverges(String sample, long seed, double throttle, double serverError, double lost,
                           String stack, String region) throws IOException {
        Path topology = dir.resolve("infra.yaml");
        Files.writeString(topology, Files.readString(Path.of("../samples").resolve(sample))
                .replace("stack: shop", "stack: " + stack)
                .replace("region: us-east-1", "region: " + region)
                .replace("deletionProtection: true", "deletionProtection: false"));
        RandomFaults faults = new RandomFaults(seed, throttle, serverError, lost);

        try (GlobalFaults.Armed on = GlobalFaults.arm(faults)) {
            Cli.Result apply = infra(topology, "apply", "--auto-approve");
            assertThat(apply.exit()).as(faults.counts() + "\n" + apply).isZero();
            Cli.Result plan = infra(topology, "plan", "--detailed-exitcode");
            assertThat(plan.exit()).as(faults.counts() + "\n" + plan).isZero();
            assertThat(plan.out()).contains("No changes.");
        }
        assertThat(faults.counts().lostAnswers()).isPositive();
        assertThat(addressesMadeTwice(stack, region)).isEmpty();
        // Account-wide resources (the multi-region trail, IAM) would show in other tests' regions.
        Cli.Result destroy = infra(topology, "destroy", "--auto-approve");
        assertThat(destroy.exit()).as(destroy.toString()).isZero();
    }

    private Cli.Result infra(Path topology, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", topology.toString(), "--state-dir", dir.resolve(".infra").toString(),
                "--endpoint-url", Emulator.endpoint().toString(),
                "--helm", FakeHelm.in(dir.resolve("helm-bin")).binary().toString()));
        return Cli.run(all.toArray(String[]::new));
    }

    /** Every type's resources tagged with the stack, as AWS lists them: address → ids, where more than one. */
    private static Map<String, List<String>> addressesMadeTwice(String stack, String region) {
        Map<String, List<String>> byAddress = new TreeMap<>();
        try (AwsClients aws = Emulator.clients(region)) {
            for (ResourceProvider p : AwsProviders.registry(aws).all()) {
                for (LiveResource r : p.readAll(new ReadRequest(stack, Set.of()))) {
                    if (r.address() != null) {
                        byAddress.computeIfAbsent(p.type() + " " + r.address(), a -> new ArrayList<>()).add(r.id());
                    }
                }
            }
        }
        byAddress.values().removeIf(ids -> ids.size() < 2);
        return byAddress;
    }
}
