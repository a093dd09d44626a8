package dev.infra.core.topology;

import static dev.infra.core.testing.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.infra.core.stack.Engine;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.testing.Fixtures;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Files that are not topologies fail with one clean {@link InvalidInputException}, never another exception. */
class HostileInputTest {

    private static final String HEAD = "stack: shop\nregion: us-east-1\n";

    @TempDir
    Path dir;

    /** Loads {@code file}, which must fail with an InvalidInputException (any other throwable fails the test). */
    private static InvalidInputException refused(Path file) {
        Throwable t = catchThrowable(() -> TopologyLoader.load(file));
        assertThat(t).as("loading " + file).isInstanceOf(InvalidInputException.class);
        InvalidInputException e = (InvalidInputException) t;
        assertThat(e.diagnostics()).isNotEmpty();
        assertThat(rendered(e)).allSatisfy(line -> assertThat(line).startsWith(file.toString()).doesNotContain("\n"));
        return e;
    }

    private Path write(String text) throws IOException {
        return write(text.getBytes(StandardCharsets.UTF_8));
    }

    private Path write(byte[] bytes) throws IOException {
        Path f = dir.resolve("infra.yaml");
        Files.write(f, bytes);
        return f;
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("nope/infra.yaml");
        assertThat(rendered(refused(f))).containsExactly(f + ": error: file not found");
    }

    @Test
    void directoryInsteadOfFile() {
        assertThat(rendered(refused(dir))).containsExactly(dir + ": error: is a directory, not a topology file");
    }

    @Test
    void emptyFile() {
        Path f = Fixtures.topologyFile("invalid-empty");
        assertThat(rendered(refused(f))).containsExactly(
                f + ": error: file is empty; a topology needs at least 'stack:' and 'region:'");
    }

    @Test
    void blankFileIsEmptyToo() throws IOException {
        Path f = write("  \n\n\t\n");
        assertThat(rendered(refused(f))).singleElement().asString().contains("file is empty");
    }

    @Test
    void binaryFile() throws IOException {
        byte[] bytes = new byte[512];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        Path f = write(bytes);
        assertThat(rendered(refused(f))).containsExactly(f + ": error: is a binary file, not YAML");
    }

    @Test
    void yamlTextWithANulByteIsBinary() throws IOException {
        Path f = write(HEAD + "tags: {a: b}\0\n");
        assertThat(rendered(refused(f))).containsExactly(f + ": error: is a binary file, not YAML");
    }

    @Test
    void notUtf8() throws IOException {
        Path f = write("stack: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(rendered(refused(f))).containsExactly(f + ": error: is not UTF-8 text; a topology must be UTF-8 YAML");
    }

    @Test
    void aliasBombIsRefusedAtTheFirstAlias() {
        Path f = Fixtures.topologyFile("invalid-alias-bomb");
        long start = System.nanoTime();
        InvalidInputException e = refused(f);
        assertThat(System.nanoTime() - start).as("nanoseconds").isLessThan(5_000_000_000L);
        assertThat(rendered(e)).containsExactly(
                f + ":4:8: error: YAML aliases (*a) are not supported; write the value out");
    }

    @Test
    void mergeKeysAreAliasesToo() throws IOException {
        Path f = write(HEAD + "base: &b {cidr: 10.0.0.0/16}\nnetwork:\n  <<: *b\n");
        assertThat(rendered(refused(f))).singleElement().asString().contains("YAML aliases (*b) are not supported");
    }

    @Test
    void fileLargerThanATopologyCanBe() throws IOException {
        byte[] big = new byte[5 * 1024 * 1024];
        java.util.Arrays.fill(big, (byte) '#');
        Path f = write(big);
        assertThat(rendered(refused(f))).singleElement().asString().contains("is larger than 4 MiB");
    }

    static Stream<Arguments> notATopology() {
        return Stream.of(
                Arguments.of("tab indentation", HEAD + "network:\n\tcidr: 10.0.0.0/16\n", "malformed YAML"),
                Arguments.of("unclosed quote", HEAD + "tags: {a: 'b}\n", "malformed YAML"),
                Arguments.of("control character", HEAD + "tags: {a: x\u0007y}\n", "malformed YAML"),
                Arguments.of("mapping in a scalar", "stack: shop: x\n", "malformed YAML"),
                Arguments.of("complex key", HEAD + "? [a, b]\n: c\n", "malformed YAML"),
                Arguments.of("alias as a key", HEAD + "x: &k foo\ntags:\n  *k : bar\n", "malformed YAML"),
                Arguments.of("deep nesting", HEAD + "x: " + "[".repeat(5000) + "]".repeat(5000) + "\n", "nesting depth"),
                Arguments.of("two documents", HEAD + "---\nstack: other\n", "only one YAML document is allowed"),
                Arguments.of("only a comment", "# nothing here\n", "file holds no YAML document"),
                Arguments.of("a list", "- stack\n- region\n", "not a list"),
                Arguments.of("a scalar", "hello\n", "not a string"),
                Arguments.of("no stack", "region: us-east-1\n", "missing required key 'stack'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("notATopology")
    void refusedWithOneCleanError(String name, String text, String message) throws IOException {
        Path f = write(text);
        assertThat(rendered(refused(f))).singleElement().asString().contains(message);
    }

    /** YAML integers may be written in hex or with underscores; the checks and the binding must agree. */
    @Test
    void integersInOtherNotationsAreReadNotCrashedOn() throws IOException {
        Path f = write(HEAD + "network:\n  cidr: 10.0.0.0/16\n  zones: 0x2\n  subnetPrefixLength: 0x18\n"
                + "  securityGroups:\n    web:\n      ingress:\n        - {ports: 0x1BB, cidr: 0.0.0.0/0}\n"
                + "        - {ports: 8_080, cidr: 0.0.0.0/0}\n");

        Topology t = TopologyLoader.load(f).topology();

        assertThat(t.network().zones()).containsExactly("a", "b");
        assertThat(t.network().privateSubnets()).containsExactly("10.0.0.0/24", "10.0.1.0/24");
        assertThat(t.network().securityGroups().get("web").ingress())
                .extracting(Network.Rule::fromPort).containsExactly(443, 8080);
    }

    /** Every value problem of a group comes out in one run, the range's order with the rest. */
    @Test
    void portOutOfRangeInEitherNotation() throws IOException {
        Path f = write(HEAD + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    web:\n      ingress:\n"
                + "        - {ports: 99999999999, cidr: 0.0.0.0/0}\n        - {ports: \"8080-80\", cidr: 0.0.0.0/0}\n"
                + "        - {protocol: all, ports: 80, cidr: 0.0.0.0/0}\n");
        assertThat(rendered(refused(f))).containsExactly(
                f + ":8:19: error: network.securityGroups.web.ingress[0].ports: must be between 0 and 65535, got 99999999999",
                f + ":9:19: error: network.securityGroups.web.ingress[1].ports: '8080-80' runs backwards; did you mean '80-8080'?",
                f + ":10:34: error: network.securityGroups.web.ingress[2].ports: protocol 'all' covers every port; remove 'ports'");
    }

    /** Two rules that allow the same flow would expand to one address twice: a validation error, not a crash. */
    @Test
    void duplicateRulesAreAValidationError() throws IOException {
        Path f = write(HEAD + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    web:\n      ingress:\n"
                + "        - {ports: 443, cidr: 0.0.0.0/0}\n"
                + "        - {protocol: tcp, ports: \"443\", cidr: 0.0.0.0/0, description: again}\n");

        Throwable t = catchThrowable(() -> Engine.graph(TopologyLoader.load(f).topology()));

        assertThat(t).isInstanceOf(InvalidInputException.class);
        assertThat(rendered((InvalidInputException) t)).containsExactly(
                f + ":9:11: error: network.securityGroups.web.ingress[1]: allows the same flow as ingress[0]");
    }

    /**
     * AWS takes a security group name once per VPC and a bucket name once: a user's must not be one infra gives its own
     * resources.
     */
    @Test
    void aNameInfraGivesItsOwnResourceIsAValidationError() throws IOException {
        Path f = write(HEAD + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    egress-proxy: {}\nencryption: {}\n"
                + "egressProxy: {capacity: {min: 1, max: 2}, allowedDomains: [.github.com]}\n");
        String clash = "network/security-group.egress-proxy and egress-proxy/security-group would both be the"
                + " aws_security_group named shop-egress-proxy: rename the one that is yours";
        assertThat(rendered(graphRefused(f))).containsExactly(
                f + ":6:19: error: network/security-group.egress-proxy: " + clash,
                f + ":8:14: error: egress-proxy/security-group: " + clash);

        Path g = write(HEAD + "encryption: {}\nbuckets:\n  logs: {name: aws-waf-logs-shop-us-east-1}\n"
                + "network: {cidr: 10.0.0.0/16}\nfirewall: {}\n");
        assertThat(rendered(graphRefused(g))).extracting(line -> line.substring(0, line.indexOf(" error:")))
                .containsExactly(g + ":5:9:", g + ":7:11:");
        assertThat(rendered(graphRefused(g)).get(0)).endsWith("would both be the aws_s3_bucket named"
                + " aws-waf-logs-shop-us-east-1: rename the one that is yours");
    }

    private static InvalidInputException graphRefused(Path file) {
        Throwable t = catchThrowable(() -> Engine.graph(TopologyLoader.load(file).topology()));
        assertThat(t).isInstanceOf(InvalidInputException.class);
        return (InvalidInputException) t;
    }

    @Test
    void dependsOnWithoutThePrefixSuggestsTheFullReference() throws IOException {
        Path f = write(HEAD + "network:\n  cidr: 10.0.0.0/16\n  securityGroups:\n    web: {}\n    db: {dependsOn: [web]}\n");
        assertThat(rendered(refused(f))).containsExactly(
                f + ":7:22: error: network.securityGroups.db.dependsOn[0]: 'web' names no component;"
                        + " did you mean 'network.securityGroups.web'?");
    }

    @Test
    void semanticChecksOfZonesAndTags() throws IOException {
        Path f = write(HEAD + "tags: {infra:owner: me}\nnetwork:\n  cidr: 10.0.0.0/16\n  zones: [eu-west-1a, a, a]\n");
        assertThat(rendered(refused(f))).containsExactly(
                f + ":3:8: error: tags.infra:owner: tag keys starting with 'infra:' or 'aws:' are reserved",
                f + ":6:11: error: network.zones: zone 'eu-west-1a' is not in region us-east-1",
                f + ":6:26: error: network.zones: zone 'a' is listed twice");
    }

    @Test
    void everyFixtureNamedInvalidIsRefusedCleanly() throws IOException {
        Path root = Fixtures.topologyFile("network").getParent().getParent();
        List<Path> invalid;
        try (Stream<Path> s = Files.list(root)) {
            invalid = s.filter(p -> p.getFileName().toString().startsWith("invalid-")).sorted().toList();
        }
        assertThat(invalid).hasSizeGreaterThan(10);
        invalid.forEach(d -> refused(d.resolve("infra.yaml")));
    }
}
