package dev.infra.providers.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Rule;
import dev.infra.core.catalogue.Trait;
import dev.infra.providers.AwsCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/resource-types.md is the catalogue as a page. Regenerate it after changing an entry with
 * {@code mvn -B -ntp test -pl providers -am -Dtest=ResourceTypesPageTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dinfra.regenerateDocs=true}.
 */
class ResourceTypesPageTest {

    static final Path PAGE = Path.of("../docs/resource-types.md");

    static final String INTRO = """
            # Resource types: the contract between expansion (core) and providers

            Each type is one `ResourceProvider` (see `core/.../provider/ResourceProvider.java`) whose catalogue entry
            (`ENTRY`, a `dev.infra.core.catalogue.ResourceType`) declares its attributes, AWS's rules for their values and
            the type's traits; its `ResourceSchema` (what the planner diffs) is derived from the entry. Specs from
            `core/.../expand/*Expander.java` use exactly these attribute names and value kinds, and `infra validate` (and
            every plan) checks each spec against its entry, reporting every problem at its YAML line; providers read AWS
            back into the same names and kinds so the planner can diff them. Names infra derives are cut to AWS's limits
            with a hash of the whole name when they would not fit (`Rule.Text.fit`); names that fit are left as they are.

            This page is generated from the catalogue (`AwsCatalogue`) by `ResourceTypesPageTest`, which fails when the
            two differ; regenerate it with `mvn -B -ntp test -pl providers -am -Dtest=ResourceTypesPageTest
            -Dsurefire.failIfNoSpecifiedTests=false -Dinfra.regenerateDocs=true`.

            Legend: **A** updatable in place, **F** forces replacement, **C** computed (read back, never diffed), **W**
            write-only (sent on create, not returned by AWS, never diffed); then the value's kind (a *Set* is a list
            compared order-insensitively), *optional* when a spec may leave it out, and AWS's rules. A *tagged* type also
            has `tags` (Map, **A**) carrying `infra:stack`, `infra:address`, `Name` and the user's tags.
            """;

    static String page() {
        StringBuilder sb = new StringBuilder(INTRO);
        for (AwsCatalogue.Section s : AwsCatalogue.SECTIONS) {
            sb.append("\n## ").append(s.title()).append("\n\n");
            if (!s.intro().isEmpty()) {
                sb.append(s.intro()).append("\n\n");
            }
            sb.append("| type | attributes | traits and notes | id |\n|---|---|---|---|\n");
            s.types().forEach(t -> sb.append("| `").append(t.name()).append("` | ").append(attributes(t)).append(" | ")
                    .append(notes(t)).append(" | ").append(t.id()).append(" |\n"));
        }
        return sb.toString();
    }

    static String attributes(ResourceType t) {
        return t.attributes().values().stream().map(ResourceTypesPageTest::attribute).collect(Collectors.joining("; "));
    }

    static String attribute(Attribute a) {
        String flag = a.presence() == Attribute.Presence.COMPUTED ? "C" : a.isWriteOnly() ? "W"
                : a.isUpdatable() ? "A" : "F";
        List<String> about = new ArrayList<>();
        about.add(a.kind().word() + (a.presence() == Attribute.Presence.OPTIONAL ? ", optional" : ""));
        a.rules().stream().map(Rule::describe).forEach(about::add);
        String doc = a.doc().isEmpty() ? "" : ": " + a.doc();
        return a.name() + " **" + flag + "** (" + String.join("; ", about) + doc + ")";
    }

    static String notes(ResourceType t) {
        List<String> parts = new ArrayList<>(t.traits().stream().map(Trait::words).toList());
        if (t.deletionProtection() != null) {
            parts.add("deletion protection: " + t.deletionProtection() + " (a plan that would delete it while on fails)");
        }
        String traits = String.join(", ", parts);
        return t.notes().isEmpty() ? traits : traits.isEmpty() ? t.notes() : traits + ". " + t.notes();
    }

    @Test
    void thePageIsTheCatalogue() throws IOException {
        String page = page();
        if (Boolean.getBoolean("infra.regenerateDocs")) {
            Files.writeString(PAGE, page);
        }
        assertThat(Files.readString(PAGE)).as("docs/resource-types.md; regenerate it (see this test's comment)")
                .isEqualTo(page);
    }
}
