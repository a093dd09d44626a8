package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infra.cli.render.StackRenderer;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.plan.PlanCodec;
import dev.infra.core.stack.Engine;
import dev.infra.core.stack.StackEngine;
import dev.infra.core.stack.StackRequest;
import dev.infra.core.state.LocalBackend;
import dev.infra.core.testing.FakeCloud;
import dev.infra.core.topology.Topology;
import dev.infra.core.topology.TopologyLoader;
import dev.infra.providers.AwsCatalogue;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What refactors must not change: the plan text, the saved plan and the state files of the samples, byte for byte,
 * against golden copies in {@code src/test/resources/golden}. The samples are applied to the in-memory fake cloud of
 * core's tests with every type of the catalogue; the fake's ids depend on the order operations ran in, so each is
 * written as the address that owns it. {@code -Dinfra.regenerateGolden=true} rewrites the copies.
 */
class GoldenOutputTest {

    private static final Path GOLDEN = Path.of("src/test/resources/golden");
    private static final Pattern FAKE_ID = Pattern.compile("\\b[a-z0-9]+(?:-[a-z0-9]+)*-\\d{4}\\b");
    private static final StackRequest.Scope WHOLE = new StackRequest.WholeStack();
    private static final Pattern LINEAGE = Pattern.compile("\"lineage\" : \"[^\"]*\"");
    private static final List<String> ZONES = List.of("us-east-1a", "us-east-1b", "us-east-1c");

    @TempDir
    Path dir;

    private final Map<String, FakeCloud> clouds = new TreeMap<>();
    private final Map<String, LocalBackend> backends = new TreeMap<>();
    private final Map<String, String> names = new TreeMap<>();
    private StackEngine engine;

    @Test
    void theSeedsPlanStateAndReplicaAreAsBefore() throws IOException {
        // A cloud per region, as AWS's regional services are; the ids say which.
        engine = StackEngine.create(region -> Engine.create(cloud(region).registry(),
                backends.computeIfAbsent(region, r -> LocalBackend.of(dir, "shop", r)),
                () -> ZONES.stream().map(z -> region + z.substring(z.length() - 1)).toList()));
        Path file = dir.resolve("infra.yaml");
        Files.writeString(file, Files.readString(Path.of("../samples/seed-architecture.yaml")));
        Topology seed = TopologyLoader.load(file).topology();

        StringBuilder out = new StringBuilder();
        StackEngine.StackPlan create = engine.plan(new StackRequest.Apply(seed, WHOLE), false);
        out.append(render(create));
        out.append("--- saved plan\n").append(PlanCodec.toJson(create.only())).append('\n');
        StackEngine.Outcome applied = engine.run(new StackRequest.Apply(seed, WHOLE), p -> true, options());
        assertThat(applied.ok()).as("apply of the seed: %s", applied.results()).isTrue();
        out.append("--- state after apply\n").append(state("us-east-1"));

        StackEngine.Outcome replicated = engine.run(new StackRequest.Replicate(seed, "us-west-2", "us-east-1"), p -> {
            out.append("--- replicate plan\n").append(render(p));
            return true;
        }, options());
        assertThat(replicated.ok()).as("replicate: %s", replicated.results()).isTrue();
        out.append("--- primary state after replicate\n").append(state("us-east-1"));
        out.append("--- replica state\n").append(state("us-west-2"));
        out.append("--- no-change plan\n").append(render(engine.plan(new StackRequest.Apply(seed, WHOLE), false)));
        // The seed protects its tables: the destroy plan is refused, and the refusal is output too.
        InvalidInputException refused = catchThrowableOfType(InvalidInputException.class,
                () -> engine.plan(new StackRequest.Destroy(seed, WHOLE), true));
        out.append("--- destroy plan refused\n");
        refused.diagnostics().forEach(d -> out.append(d.render()).append('\n'));

        compare("seed.txt", normalize(out.toString()));
    }

    private FakeCloud cloud(String region) {
        return clouds.computeIfAbsent(region, r -> {
            FakeCloud cloud = FakeCloud.withIdPrefix(r.replaceAll("[^a-z0-9]", "") + "-");
            AwsCatalogue.catalogue().types().forEach((type, entry) -> cloud.schema(type, entry.schema()));
            return cloud;
        });
    }

    private Engine.ApplyOptions options() {
        return new Engine.ApplyOptions(1, Duration.ofMinutes(5), e -> { });
    }

    private String render(StackEngine.StackPlan plan) {
        StringWriter sw = new StringWriter();
        PrintWriter pw = new PrintWriter(sw, true);
        StackRenderer renderer = new StackRenderer(new Console(pw, pw, false));
        String text = renderer.render(plan);
        return plan.rewrite() == null ? text : text + renderer.rewrite(plan.rewrite());
    }

    /** The state file as written; its ids are remembered, as some resources are gone by the end (replaced). */
    private String state(String region) throws IOException {
        backends.get(region).read().orElseThrow().resources().values()
                .forEach(r -> names.put(r.id(), "<" + region + ":" + r.address() + ">"));
        return Files.readString(backends.get(region).file()) + "\n";
    }

    /** The run's random parts as names: the stack's name suffix and lineage, and each fake id (its number follows the order of operations) as the address that has it. */
    private String normalize(String text) {
        clouds.forEach((region, cloud) -> cloud.all().values()
                .forEach(s -> names.put(s.id(), "<" + region + ":" + s.address() + ">")));
        // The suffix of global names is random per stack (State.nameSuffix).
        String suffix = backends.get("us-east-1").read().orElseThrow().nameSuffix();
        Matcher m = FAKE_ID.matcher(LINEAGE.matcher(text.replace(suffix, "SUFFIX")).replaceAll("\"lineage\" : \"LINEAGE\""));
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(names.getOrDefault(m.group(), m.group())));
        }
        return m.appendTail(sb).toString();
    }

    private static void compare(String name, String actual) throws IOException {
        Path golden = GOLDEN.resolve(name);
        // What this run wrote, to diff against the golden copy when they differ.
        Files.createDirectories(Path.of("target/golden"));
        Files.writeString(Path.of("target/golden").resolve(name), actual);
        // Only on request: a missing copy fails like a different one, so losing it cannot make the test pass.
        if (Boolean.getBoolean("infra.regenerateGolden")) {
            Files.createDirectories(GOLDEN);
            Files.writeString(golden, actual);
        }
        assertThat(golden).as("the golden copy (-Dinfra.regenerateGolden=true writes it)").exists();
        assertThat(actual).as("output differs from %s (-Dinfra.regenerateGolden=true rewrites it)", golden)
                .isEqualTo(Files.readString(golden));
    }
}
