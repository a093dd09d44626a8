package dev.infra.providers.glue;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Database;

/**
 * {@code aws_glue_catalog_database}: name, description; no tags. Id: the database name.
 *
 * <p>readAll reads the state's ids with one GetDatabases (all pages) filtered to them. UpdateDatabase replaces the
 * whole definition: the description comes from the spec, the rest (location, parameters, default permissions of new
 * tables) is kept as AWS has it.
 */
public final class GlueDatabaseProvider extends GlueProvider<Database> {

    public static final String TYPE = "aws_glue_catalog_database";
    static final String NAME = "name";
    static final String DESCRIPTION = "description";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(DESCRIPTION, Kind.STRING).updatable(),
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.GLUE_NAME))
            .id("database name");

    public GlueDatabaseProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    @Override
    protected String noun() {
        return "Glue database";
    }

    @Override
    protected String idOf(ResourceSpec spec) {
        return lowerCaseName(spec, NAME);
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return call("GetDatabases", () -> glue().getDatabasesPaginator(b -> { }).stream()
                .flatMap(r -> r.databaseList().stream())
                .filter(d -> ids.contains(d.name())).map(this::toLive).toList());
    }

    @Override
    protected Optional<Database> get(String name) {
        return unlessGone(() -> call("GetDatabase", () -> glue().getDatabase(b -> b.name(name))).database());
    }

    @Override
    protected LiveResource toLive(Database d) {
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, d.name());
        a.put(DESCRIPTION, d.description() == null ? "" : d.description());
        return live(d.name(), Map.of(), a);
    }

    @Override
    protected void submitCreate(ResourceSpec spec, GlueClient client) {
        call("CreateDatabase", () -> client.createDatabase(b -> b.databaseInput(d -> d
                .name(idOf(spec)).description(SpecValues.optionalString(spec, DESCRIPTION)))));
    }

    @Override
    protected void submitUpdate(ResourceSpec spec, Database now) {
        call("UpdateDatabase", () -> glue().updateDatabase(b -> b.name(now.name()).databaseInput(d -> d
                .name(now.name())
                .description(SpecValues.optionalString(spec, DESCRIPTION))
                .locationUri(now.locationUri())
                .parameters(now.hasParameters() ? now.parameters() : null)
                .createTableDefaultPermissions(now.hasCreateTableDefaultPermissions()
                        ? now.createTableDefaultPermissions() : null))));
    }

    /** DeleteDatabase, which deletes the database's tables with it. */
    @Override
    protected void submitDelete(String name) {
        call("DeleteDatabase", () -> glue().deleteDatabase(b -> b.name(name)));
    }
}
