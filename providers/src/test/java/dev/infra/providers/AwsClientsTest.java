package dev.infra.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class AwsClientsTest {

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new AwsSettings(" ", null, null, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AwsSettings("eu-west-1", null, null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new AwsSettings("eu-west-1", "", null, 3).profile()).isNull();
        assertThat(AwsSettings.of("eu-west-1").maxAttempts()).isEqualTo(AwsSettings.DEFAULT_MAX_ATTEMPTS);
    }

    @Test
    void oneClientPerServiceBuiltOnFirstUse() {
        try (AwsClients clients = AwsClients.create(
                new AwsSettings("eu-west-1", null, URI.create("http://127.0.0.1:1"), 1))) {
            assertThat(clients.ec2()).isSameAs(clients.ec2());
            assertThat(clients.ec2().serviceClientConfiguration().region().id()).isEqualTo("eu-west-1");
            assertThat(clients.ec2().serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:1"));
            assertThat(clients.counter().total()).isZero();
        }
    }

    /**
     * The registry has a provider for every type docs/resource-types.md documents, and none it does not: the doc's
     * tables are parsed, so that the two cannot drift apart.
     */
    @Test
    void registryHasEveryType() throws IOException {
        Set<String> documented = documentedTypes();
        assertThat(documented).as("types parsed from docs/resource-types.md")
                .contains("aws_vpc", "aws_lb", "aws_s3_bucket", "aws_glue_catalog_table").hasSizeGreaterThan(40);
        try (AwsClients clients = AwsClients.create(AwsSettings.of("eu-west-1"))) {
            Set<String> registered = new TreeSet<>();
            AwsProviders.registry(clients).all().forEach(p -> registered.add(p.type()));
            Set<String> missing = new TreeSet<>(documented);
            missing.removeAll(registered);
            Set<String> undocumented = new TreeSet<>(registered);
            undocumented.removeAll(documented);
            assertThat(missing).as("documented types without a provider").isEmpty();
            assertThat(undocumented).as("registered types docs/resource-types.md lacks").isEmpty();
        }
    }

    /** The backticked type names of the first column of docs/resource-types.md's tables. */
    private static Set<String> documentedTypes() throws IOException {
        Set<String> out = new TreeSet<>();
        Pattern type = Pattern.compile("`((?:aws|helm)_[a-z0-9_]+)`");
        for (String line : Files.readAllLines(resourceTypesDoc())) {
            String[] cells = line.split("\\|");
            if (line.startsWith("|") && cells.length > 2) {
                Matcher m = type.matcher(cells[1]);
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
        return out;
    }

    /** docs/resource-types.md, found from the working directory (the module's, or the repository's) upwards. */
    private static Path resourceTypesDoc() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path doc = dir.resolve("docs").resolve("resource-types.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        throw new IllegalStateException("docs/resource-types.md not found above " + Path.of("").toAbsolutePath());
    }
}
