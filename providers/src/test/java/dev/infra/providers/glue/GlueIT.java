package dev.infra.providers.glue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.core.provider.ReadRequest;
import dev.infra.core.provider.ResourceSchema;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.ProviderTestSupport;
import dev.infra.providers.testing.SleepingOperationContext;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.Database;
import software.amazon.awssdk.services.glue.model.EntityNotFoundException;
import software.amazon.awssdk.services.glue.model.Table;

/**
 * Glue Data Catalog databases and tables against the emulator, in ap-south-1 (which AthenaIT uses too: the two
 * services share no state). Databases and tables carry no tags: readAll reads the state's ids.
 */
class GlueIT extends ProviderTestSupport {

    static final String PARQUET_SERDE = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe";
    static final String PARQUET_IN = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat";
    static final String PARQUET_OUT = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat";
    static final String JSON_SERDE = "org.openx.data.jsonserde.JsonSerDe";
    static final String TEXT_IN = "org.apache.hadoop.mapred.TextInputFormat";
    static final String TEXT_OUT = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat";

    @Override
    protected String region() {
        return "ap-south-1";
    }

    private GlueClient glue() {
        return clients.client(GlueClient.class, GlueClient::builder);
    }

    private Database rawDatabase(String name) {
        return glue().getDatabase(b -> b.name(name)).database();
    }

    private Table rawTable(String database, String name) {
        return glue().getTable(b -> b.databaseName(database).name(name)).table();
    }

    private String databaseName(String suffix) {
        return "logs_" + stack.substring(3) + suffix;
    }

    private static ResourceSpec databaseSpec(String address, String name, String description) {
        return untaggedSpec(address, GlueDatabaseProvider.TYPE, Map.of("name", name, "description", description));
    }

    private static Map<String, Object> column(String name, String type) {
        return Map.of("name", name, "type", type);
    }

    private static ResourceSpec tableSpec(String address, String database, String name, String location,
                                          List<Map<String, Object>> columns, String serde, String in, String out,
                                          Map<String, String> serdeParameters) {
        Map<String, Object> a = new TreeMap<>();
        a.put("databaseName", database);
        a.put("name", name);
        a.put("location", location);
        a.put("columns", columns);
        a.put("partitionKeys", List.of(column("region", "string"), column("day", "string")));
        a.put("inputFormat", in);
        a.put("outputFormat", out);
        a.put("serde", serde);
        a.put("serdeParameters", serdeParameters);
        return untaggedSpec(address, GlueTableProvider.TYPE, a);
    }

    @Test
    void schemasFollowTheContract() {
        ResourceSchema database = new GlueDatabaseProvider(clients).schema();
        assertThat(database.updatable()).containsExactly("description");
        assertThat(database.computed()).isEmpty();
        assertThat(database.forcesReplacement("name")).isTrue();
        ResourceSchema table = new GlueTableProvider(clients).schema();
        assertThat(table.updatable()).containsExactlyInAnyOrder("location", "columns", "partitionKeys", "inputFormat",
                "outputFormat", "serde", "serdeParameters", "parameters");
        assertThat(table.forcesReplacement("databaseName")).isTrue();
        assertThat(table.forcesReplacement("name")).isTrue();
    }

    @Test
    void databaseLifecycle() {
        GlueDatabaseProvider databases = new GlueDatabaseProvider(clients);
        String address = "monitoring/catalog";
        String name = databaseName("");
        ResourceSpec spec = databaseSpec(address, name, "CloudTrail logs");

        LiveResource created = databases.create(spec, ctx(address));

        assertThat(rawDatabase(name).description()).isEqualTo("CloudTrail logs");
        assertThat(created.id()).isEqualTo(name);
        assertThat(created.address()).isNull();
        assertMatchesSpec(created, spec);

        ResourceSpec changed = databaseSpec(address, name, "CloudTrail and ALB logs");
        LiveResource updated = databases.update(created, changed, Set.of("description"), ctx(address));
        assertThat(rawDatabase(name).description()).isEqualTo("CloudTrail and ALB logs");
        assertMatchesSpec(updated, changed);

        clients.counter().reset();
        assertThat(databases.readAll(ReadRequest.of(stack, Set.of(name, databaseName("_gone"))))).singleElement()
                .satisfies(r -> assertMatchesSpec(r, changed));
        // One GetDatabases for all the state's ids; no tags to read.
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of("Glue", Map.of("GetDatabases", 1L)));
        clients.counter().reset();
        assertThat(databases.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
        assertThat(clients.counter().total()).isZero();

        assertThat(databases.findExisting(stack, changed)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(name));

        databases.delete(updated, ctx(address));
        assertThatThrownBy(() -> rawDatabase(name)).isInstanceOf(EntityNotFoundException.class);
        assertThat(databases.readAll(ReadRequest.of(stack, Set.of(name)))).isEmpty();
        assertThat(databases.findExisting(stack, changed)).isEmpty();
        databases.delete(updated, ctx(address)); // already gone: fine
    }

    @Test
    void namesMustBeLowerCase() {
        String address = "monitoring/catalog";
        clients.counter().reset();
        assertThatThrownBy(() -> new GlueDatabaseProvider(clients).create(databaseSpec(address, "Logs", "x"), ctx(address)))
                .isInstanceOf(ProviderException.class)
                .hasMessageStartingWith(address + ": ")
                .hasMessageContaining("must be lower case");
        assertThat(clients.counter().total()).isZero();
    }

    @Test
    void tableLifecycle() {
        GlueTableProvider tables = new GlueTableProvider(clients);
        String database = databaseName("");
        String other = databaseName("_other");
        glue().createDatabase(b -> b.databaseInput(d -> d.name(database)));
        glue().createDatabase(b -> b.databaseInput(d -> d.name(other)));
        try {
            String address = "monitoring/trail-table";
            ResourceSpec spec = tableSpec(address, database, "trail", "s3://trail-logs/AWSLogs/",
                    List.of(column("eventtime", "string"), column("eventname", "string")),
                    PARQUET_SERDE, PARQUET_IN, PARQUET_OUT, Map.of("serialization.format", "1"));

            LiveResource created = tables.create(spec, ctx(address));

            Table raw = rawTable(database, "trail");
            assertThat(raw.tableType()).isEqualTo("EXTERNAL_TABLE");
            assertThat(raw.parameters()).containsEntry("classification", "parquet");
            assertThat(raw.storageDescriptor().location()).isEqualTo("s3://trail-logs/AWSLogs/");
            assertThat(raw.storageDescriptor().columns()).extracting(Column::name, Column::type)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("eventtime", "string"),
                            org.assertj.core.groups.Tuple.tuple("eventname", "string"));
            assertThat(raw.partitionKeys()).extracting(Column::name).containsExactly("region", "day");
            assertThat(raw.storageDescriptor().inputFormat()).isEqualTo(PARQUET_IN);
            assertThat(raw.storageDescriptor().outputFormat()).isEqualTo(PARQUET_OUT);
            assertThat(raw.storageDescriptor().serdeInfo().serializationLibrary()).isEqualTo(PARQUET_SERDE);
            assertThat(raw.storageDescriptor().serdeInfo().parameters()).isEqualTo(Map.of("serialization.format", "1"));
            assertThat(created.id()).isEqualTo(database + ".trail");
            assertThat(created.address()).isNull();
            assertMatchesSpec(created, spec);

            ResourceSpec changed = tableSpec(address, database, "trail", "s3://trail-logs/v2/",
                    List.of(column("eventtime", "string"), column("eventname", "string"), column("useragent", "string")),
                    JSON_SERDE, TEXT_IN, TEXT_OUT, Map.of("ignore.malformed.json", "true"));
            LiveResource updated = tables.update(created, changed,
                    Set.of("location", "columns", "serde", "inputFormat", "outputFormat", "serdeParameters"), ctx(address));

            raw = rawTable(database, "trail");
            assertThat(raw.parameters()).containsEntry("classification", "json");
            assertThat(raw.storageDescriptor().location()).isEqualTo("s3://trail-logs/v2/");
            assertThat(raw.storageDescriptor().columns()).extracting(Column::name)
                    .containsExactly("eventtime", "eventname", "useragent");
            assertThat(raw.storageDescriptor().serdeInfo().serializationLibrary()).isEqualTo(JSON_SERDE);
            assertThat(raw.storageDescriptor().serdeInfo().parameters()).isEqualTo(Map.of("ignore.malformed.json", "true"));
            assertThat(raw.storageDescriptor().inputFormat()).isEqualTo(TEXT_IN);
            assertMatchesSpec(updated, changed);

            // Unchanged: no UpdateTable.
            clients.counter().reset();
            tables.update(updated, changed, Set.of(), ctx(address));
            assertThat(clients.counter().count("Glue", "UpdateTable")).isZero();

            tables.create(tableSpec("monitoring/alb-table", database, "alb", "s3://alb-logs/", List.of(column("line", "string")),
                    JSON_SERDE, TEXT_IN, TEXT_OUT, Map.of()), ctx("monitoring/alb-table"));
            tables.create(tableSpec("monitoring/other-table", other, "flows", "s3://flow-logs/", List.of(column("line", "string")),
                    JSON_SERDE, TEXT_IN, TEXT_OUT, Map.of()), ctx("monitoring/other-table"));
            glue().createTable(b -> b.databaseName(database).tableInput(t -> t.name("not_in_state")));

            clients.counter().reset();
            List<LiveResource> all = tables.readAll(ReadRequest.of(stack, Set.of(database + ".trail", database + ".alb",
                    other + ".flows", database + ".gone", databaseName("_gone") + ".x")));
            assertThat(all).extracting(LiveResource::id).containsExactlyInAnyOrder(database + ".trail",
                    database + ".alb", other + ".flows");
            assertThat(all).filteredOn(r -> r.id().equals(database + ".trail")).singleElement()
                    .satisfies(r -> assertMatchesSpec(r, changed));
            // One GetTables per database the state's ids name (a database that is gone too).
            assertThat(clients.counter().snapshot()).isEqualTo(Map.of("Glue", Map.of("GetTables", 3L)));

            assertThat(tables.findExisting(stack, changed)).hasValueSatisfying(
                    r -> assertThat(r.id()).isEqualTo(database + ".trail"));

            tables.delete(updated, ctx(address));
            assertThatThrownBy(() -> rawTable(database, "trail")).isInstanceOf(EntityNotFoundException.class);
            assertThat(tables.readAll(ReadRequest.of(stack, Set.of(database + ".trail")))).isEmpty();
            assertThat(tables.findExisting(stack, changed)).isEmpty();
            tables.delete(updated, ctx(address)); // already gone: fine
        } finally {
            glue().deleteDatabase(b -> b.name(database));
            glue().deleteDatabase(b -> b.name(other));
        }
    }

    /**
     * A database created moments before may not be visible to CreateTable yet: the create tries again, and the
     * progress says what it waits for.
     */
    @Test
    void createTableRetriesWhileItsDatabaseIsNotVisible() {
        String database = databaseName("_new");
        glue().createDatabase(b -> b.databaseInput(d -> d.name(database)));
        try (AwsClients propagating = Emulator.clients(region(),
                Faults.awsError("CreateTable", 2, 400, "EntityNotFoundException"))) {
            String address = "monitoring/trail-table";
            SleepingOperationContext ctx = SleepingOperationContext.pretending(address);
            LiveResource created = new GlueTableProvider(propagating).create(tableSpec(address, database, "trail",
                    "s3://trail-logs/", List.of(column("line", "string")), JSON_SERDE, TEXT_IN, TEXT_OUT, Map.of()), ctx);

            assertThat(propagating.counter().count("Glue", "CreateTable")).isEqualTo(3);
            assertThat(ctx.sleeps()).isEqualTo(2);
            // The progress names the wait and AWS's refusal ("waiting: create of … (EntityNotFoundException)").
            assertThat(ctx.waitedFor()).containsOnly("create of " + address + " (EntityNotFoundException)").hasSize(2);
            assertThat(created.id()).isEqualTo(database + ".trail");
            assertThat(rawTable(database, "trail").storageDescriptor().location()).isEqualTo("s3://trail-logs/");
        } finally {
            glue().deleteDatabase(b -> b.name(database));
        }
    }
}
