package dev.infra.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infra.core.state.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The README is the front door: every command line it shows must parse as written (commands, options, their
 * arguments), and every key of its topology reference must be a key the topology schema knows.
 */
class ReadmeTest {

    private static final Path README = Path.of("../README.md");
    /** Placeholders the reference uses, and a value of the kind each stands for. */
    private static final Map<String, String> PLACEHOLDERS = Map.ofEntries(Map.entry("FILE", "plan.json"),
            Map.entry("PLAN", "plan.json"), Map.entry("N", "2"), Map.entry("R", "eu-west-1"), Map.entry("P", "us-east-1"),
            Map.entry("NAME", "vpc"), Map.entry("ADDRESS", "network/vpc"), Map.entry("BUCKET", "b"),
            Map.entry("TABLE", "t"), Map.entry("URL", "http://localhost:5000"), Map.entry("DIR", ".infra"),
            Map.entry("SECONDS", "10"), Map.entry("TOPOLOGY", "samples/network.yaml"));

    @Test
    void everyCommandLineInTheReadmeParses() throws IOException {
        List<String> lines = commandLines(Files.readString(README));
        assertThat(lines).as("command lines found in the README").hasSizeGreaterThan(20);
        List<String> refused = new ArrayList<>();
        for (String line : lines) {
            String[] args = args(line);
            try {
                new CommandLine(new InfraCommand(Interrupts.none(new java.io.PrintWriter(java.io.Writer.nullWriter())))).parseArgs(args);
            } catch (CommandLine.ParameterException e) {
                refused.add(line + "  →  " + e.getMessage());
            }
        }
        assertThat(refused).as("README command lines infra refuses").isEmpty();
    }

    @Test
    void everyKeyOfTheTopologyReferenceIsInTheSchema() throws IOException {
        Cli.Result schema = Cli.run("schema");
        assertThat(schema.exit()).isZero();
        Set<String> known = new TreeSet<>();
        collectProperties(Json.MAPPER.readTree(schema.out()), known);
        String readme = Files.readString(README);
        Set<String> unknown = new TreeSet<>();
        for (String block : yamlBlocks(readme)) {
            Matcher m = Pattern.compile("(?m)^\\s*(?:- )?\\{?([a-zA-Z][a-zA-Z0-9]*):").matcher(block);
            while (m.find()) {
                unknown.add(m.group(1));
            }
            // Keys inside flow maps: {min: 2, max: 4}.
            Matcher flow = Pattern.compile("[{,]\\s*([a-zA-Z][a-zA-Z0-9]*):").matcher(block);
            while (flow.find()) {
                unknown.add(flow.group(1));
            }
        }
        unknown.removeAll(known);
        // Names the user chooses (components, groups, records) are not schema keys.
        unknown.removeIf(ReadmeTest::userNamed);
        assertThat(unknown).as("keys in the README's YAML that the topology schema does not know").isEmpty();
    }

    /** Lines of indented code blocks that run infra, and the backticked {@code infra …} of the CLI reference. */
    static List<String> commandLines(String readme) {
        Set<String> out = new LinkedHashSet<>();
        boolean fenced = false;
        for (String line : readme.split("\n")) {
            if (line.startsWith("```")) {
                fenced = !fenced;
                continue;
            }
            String code = line.strip();
            if (!fenced && line.startsWith("    ") && (code.startsWith("infra ") || code.startsWith("./infra "))) {
                out.add(code.replaceFirst("\\s+#.*$", ""));
            }
        }
        Matcher m = Pattern.compile("`(infra [^`]+)`").matcher(readme);
        while (m.find()) {
            out.addAll(expand(m.group(1)));
        }
        return List.copyOf(out);
    }

    /** {@code infra state list / state show ADDRESS} is two lines; {@code a\|b} is each of a and b. */
    private static List<String> expand(String snippet) {
        List<String> out = new ArrayList<>();
        for (String part : snippet.replace("\\|", "|").split(" / ")) {
            String line = part.startsWith("infra ") ? part : "infra " + part;
            Matcher alt = Pattern.compile("(\\S+)\\|(\\S+)").matcher(line);
            if (alt.find() && !line.contains("[")) {
                for (String choice : new String[] {alt.group(1), alt.group(2)}) {
                    out.add(line.substring(0, alt.start()) + choice + line.substring(alt.end()));
                }
            } else {
                out.add(line);
            }
        }
        return out;
    }

    /**
     * The arguments of a README line: optional parts taken, alternatives' first choice, placeholders filled; what the
     * shell does with the line (a redirection, a pipe) is not infra's.
     */
    private static String[] args(String line) {
        String s = line.replaceFirst("^(\\./)?infra\\s*", "").replaceFirst("\\s+[>|].*$", "")
                .replaceAll("\\[([^\\]]*)]", "$1")
                .replaceAll("(\\S+?)\\|\\S+", "$1")
                .replace("…", "").replace("...", "");
        List<String> args = new ArrayList<>();
        for (String word : s.trim().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            args.add(PLACEHOLDERS.getOrDefault(word, word));
        }
        return args.toArray(String[]::new);
    }

    private static void collectProperties(JsonNode node, Set<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equals("properties")) {
                    e.getValue().fieldNames().forEachRemaining(out::add);
                }
                collectProperties(e.getValue(), out);
            });
        } else if (node.isArray()) {
            node.forEach(n -> collectProperties(n, out));
        }
    }

    private static List<String> yamlBlocks(String readme) {
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?s)```yaml\n(.*?)```").matcher(readme);
        while (m.find()) {
            // Comments may say anything; only keys count.
            out.add(Arrays.stream(m.group(1).split("\n")).map(l -> l.replaceFirst("\\s+#.*$", "").replaceFirst("^#.*$", ""))
                    .reduce("", (a, b) -> a + b + "\n"));
        }
        return out;
    }

    /** The names the README's examples give to things the user names (tags, components, groups, log groups). */
    private static boolean userNamed(String key) {
        return Set.of("owner", "web", "public", "internal", "apps", "general", "orders", "sessions", "static", "audit",
                "prometheus", "vault", "applications").contains(key);
    }
}
