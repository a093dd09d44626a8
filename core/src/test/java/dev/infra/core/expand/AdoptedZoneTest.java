package dev.infra.core.expand;

import static dev.infra.core.testing.Fixtures.invalid;
import static dev.infra.core.testing.Fixtures.rendered;
import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.topology.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code dns.zoneId}: an existing public zone the stack uses rather than makes. */
class AdoptedZoneTest {

    @TempDir
    Path dir;

    private Path topology(String zoneId) throws IOException {
        Path file = dir.resolve("infra.yaml");
        Files.writeString(file, "stack: shop\nregion: us-east-1\ndns:\n  zone: shop.example.com\n"
                + (zoneId == null ? "" : "  zoneId: " + zoneId + "\n"));
        return file;
    }

    private ResourceSpec zone(Path file) {
        List<ResourceSpec> specs = Expander.expand(TopologyLoader.load(file).topology());
        return specs.stream().filter(s -> s.address().equals("dns/zone")).findFirst().orElseThrow();
    }

    /** The zone named is adopted as it is: no tags (so its own are never touched), no comment, its id recorded. */
    @Test
    void aNamedZoneIsAdoptedUntaggedWithoutAComment() throws IOException {
        ResourceSpec adopted = zone(topology("Z0123456789ABCDEFGHIJ"));
        assertThat(adopted.attributes()).containsOnlyKeys("name", "zoneId")
                .containsEntry("name", "shop.example.com.").containsEntry("zoneId", "Z0123456789ABCDEFGHIJ");
        assertThat(adopted.tags()).isEmpty();

        ResourceSpec made = zone(topology(null));
        assertThat(made.attributes()).containsEntry("comment", "infra stack shop").doesNotContainKey("zoneId");
        assertThat(made.tags()).containsEntry("infra:stack", "shop");
    }

    @Test
    void aZoneIdThatIsNoneIsRefusedAtItsLine() throws IOException {
        Path file = topology("/hostedzone/z12");
        assertThat(rendered(invalid(file))).singleElement().satisfies(line -> assertThat(line)
                .startsWith(file + ":5:11: error: dns.zoneId: ").contains("Z0123456789ABCDEFGHIJ"));
    }
}
