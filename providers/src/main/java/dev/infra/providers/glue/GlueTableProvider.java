package dev.infra.providers.glue;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.ParallelReads;
import dev.infra.providers.Policies;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awssdk.services.glue.GlueClient;
import software.amazon.awssdk.services.glue.model.Column;
import software.amazon.awssdk.services.glue.model.SerDeInfo;
import software.amazon.awssdk.services.glue.model.StorageDescriptor;
import software.amazon.awssdk.services.glue.model.Table;
import software.amazon.awssdk.services.glue.model.TableInput;

/**
 * {@code aws_glue_catalog_table}: databaseName, name, location (s3 URI), columns and partitionKeys (lists of
 * {@code {name, type}}), inputFormat, outputFormat, serde (the serialization library class), serdeParameters, parameters
 * (the table's: partition projection, say); no tags. Id: {@code <database>.<table>}. {@link ResourceSpec#ACCOUNT} in
 * the location or a parameter is written as the account (a log's path names it) and read back as the token.
 *
 * <p>The table is an {@code EXTERNAL_TABLE} whose {@code classification} parameter names its data format when the SerDe
 * or input format tells it (parquet, orc, avro, cloudtrail, json, csv). UpdateTable replaces the whole definition with
 * the spec's. readAll reads the state's ids with one GetTables (all pages) per database they name.
 */
public final class GlueTableProvider extends GlueProvider<Table> {

    public static final String TYPE = "aws_glue_catalog_table";
    static final String DATABASE_NAME = "databaseName";
    static final String NAME = "name";
    static final String LOCATION = "location";
    static final String COLUMNS = "columns";
    static final String PARTITION_KEYS = "partitionKeys";
    static final String INPUT_FORMAT = "inputFormat";
    static final String OUTPUT_FORMAT = "outputFormat";
    static final String SERDE = "serde";
    static final String SERDE_PARAMETERS = "serdeParameters";
    static final String PARAMETERS = "parameters";
    static final String EXTERNAL_TABLE = "EXTERNAL_TABLE";
    static final String CLASSIFICATION = "classification";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(COLUMNS, Kind.LIST).updatable()
                    .doc("list of {name, type}"),
            Attribute.required(DATABASE_NAME, Kind.REFERENCE),
            Attribute.required(INPUT_FORMAT, Kind.STRING).updatable(),
            Attribute.required(LOCATION, Kind.STRING).updatable()
                    .doc("s3 URI"),
            Attribute.required(NAME, Kind.STRING).rule(AwsRules.GLUE_NAME),
            Attribute.required(OUTPUT_FORMAT, Kind.STRING).updatable(),
            Attribute.required(PARTITION_KEYS, Kind.LIST).updatable()
                    .doc("same shape"),
            Attribute.required(SERDE, Kind.STRING).updatable()
                    .doc("serialization library class"),
            Attribute.required(SERDE_PARAMETERS, Kind.MAP).updatable(),
            Attribute.optional(PARAMETERS, Kind.MAP).updatable()
                    .doc("the table's parameters, e.g. partition projection and `infra.region`; `classification` is the provider's, not listed; `${infra:account}` in location and parameters is written as the account and read back as the token"))
            .id("`<database>.<table>`");

    public GlueTableProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    @Override
    protected String noun() {
        return "Glue table";
    }

    @Override
    protected String idOf(ResourceSpec spec) {
        return lowerCaseName(spec, DATABASE_NAME) + "." + lowerCaseName(spec, NAME);
    }

    /** {@code <database>.<table>} → {database, table}; Glue names hold no dot. */
    private static String[] parts(String id) {
        int dot = id.indexOf('.');
        return dot <= 0 ? null : new String[] {id.substring(0, dot), id.substring(dot + 1)};
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        Set<String> databases = new TreeSet<>();
        ids.stream().map(GlueTableProvider::parts).filter(p -> p != null).forEach(p -> databases.add(p[0]));
        return ParallelReads.each(databases, database -> unlessGone(() -> call("GetTables", () -> glue()
                        .getTablesPaginator(b -> b.databaseName(database)).stream().flatMap(r -> r.tableList().stream())
                        .toList())))
                .stream().flatMap(List::stream).map(this::toLive).filter(t -> ids.contains(t.id())).toList();
    }

    @Override
    protected Optional<Table> get(String id) {
        String[] p = parts(id);
        if (p == null) {
            return Optional.empty();
        }
        return unlessGone(() -> call("GetTable", () -> glue().getTable(b -> b.databaseName(p[0]).name(p[1]))).table());
    }

    @Override
    protected LiveResource toLive(Table t) {
        Map<String, Object> a = new TreeMap<>();
        a.put(DATABASE_NAME, t.databaseName());
        a.put(NAME, t.name());
        StorageDescriptor sd = t.storageDescriptor();
        a.put(COLUMNS, sd == null ? List.of() : columns(sd.columns()));
        a.put(PARTITION_KEYS, columns(t.partitionKeys()));
        Map<String, Object> parameters = new TreeMap<>();
        t.parameters().forEach((k, v) -> parameters.put(k, tokenized(v)));
        parameters.remove(CLASSIFICATION);
        a.put(PARAMETERS, parameters);
        if (sd != null) {
            putIfPresent(a, LOCATION, sd.location() == null ? null : tokenized(sd.location()));
            putIfPresent(a, INPUT_FORMAT, sd.inputFormat());
            putIfPresent(a, OUTPUT_FORMAT, sd.outputFormat());
            SerDeInfo serde = sd.serdeInfo();
            if (serde != null) {
                putIfPresent(a, SERDE, serde.serializationLibrary());
            }
            a.put(SERDE_PARAMETERS, serde == null ? Map.of() : new TreeMap<>(serde.parameters()));
        }
        return live(t.databaseName() + "." + t.name(), Map.of(), a);
    }

    /** {@code value} with the account as {@link ResourceSpec#ACCOUNT}, as the spec has it. */
    private String tokenized(String value) {
        return Policies.tokenized(value, clients()::account);
    }

    /** {@code value} with {@link ResourceSpec#ACCOUNT} as the account. */
    private String accounted(String value) {
        return Policies.withAccount(value, clients()::account);
    }

    private static List<Map<String, Object>> columns(List<Column> columns) {
        return columns.stream().<Map<String, Object>>map(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", c.name());
            m.put("type", c.type());
            return m;
        }).toList();
    }

    @Override
    protected void submitCreate(ResourceSpec spec, GlueClient client) {
        String database = lowerCaseName(spec, DATABASE_NAME);
        call("CreateTable", () -> client.createTable(b -> b.databaseName(database).tableInput(tableInput(spec))));
    }

    @Override
    protected void submitUpdate(ResourceSpec spec, Table now) {
        call("UpdateTable", () -> glue().updateTable(b -> b.databaseName(now.databaseName()).tableInput(tableInput(spec))));
    }

    @Override
    protected void submitDelete(String id) {
        String[] p = parts(id);
        if (p == null) {
            return;
        }
        call("DeleteTable", () -> glue().deleteTable(b -> b.databaseName(p[0]).name(p[1])));
    }

    // ---- the definition -----------------------------------------------------------------------------

    private TableInput tableInput(ResourceSpec spec) {
        String serde = SpecValues.optionalString(spec, SERDE);
        String inputFormat = SpecValues.optionalString(spec, INPUT_FORMAT);
        String classification = classification(serde, inputFormat);
        Map<String, String> parameters = new TreeMap<>();
        stringMap(spec, PARAMETERS).forEach((k, v) -> parameters.put(k, accounted(v)));
        if (classification != null) {
            parameters.put(CLASSIFICATION, classification);
        }
        return TableInput.builder()
                .name(lowerCaseName(spec, NAME))
                .tableType(EXTERNAL_TABLE)
                .parameters(parameters)
                .storageDescriptor(sd -> sd
                        .columns(columns(spec, COLUMNS))
                        .location(accounted(SpecValues.optionalString(spec, LOCATION)))
                        .inputFormat(inputFormat)
                        .outputFormat(SpecValues.optionalString(spec, OUTPUT_FORMAT))
                        .serdeInfo(s -> s.serializationLibrary(serde).parameters(stringMap(spec, SERDE_PARAMETERS))))
                .partitionKeys(columns(spec, PARTITION_KEYS))
                .build();
    }

    private static List<Column> columns(ResourceSpec spec, String attribute) {
        return SpecValues.maps(spec, attribute).stream().map(m -> {
            Object name = m.get("name");
            Object type = m.get("type");
            if (name == null || type == null) {
                throw new ProviderException(spec.address(), attribute + " entries need a name and a type, got " + m);
            }
            return Column.builder().name(name.toString()).type(type.toString()).build();
        }).toList();
    }

    private static Map<String, String> stringMap(ResourceSpec spec, String attribute) {
        Object v = spec.attributes().get(attribute);
        if (v == null) {
            return Map.of();
        }
        if (!(v instanceof Map<?, ?> m)) {
            throw new ProviderException(spec.address(), attribute + " must be a map, got " + v);
        }
        Map<String, String> out = new TreeMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), String.valueOf(val)));
        return out;
    }

    /** The data format the SerDe or input format names, as Glue's crawlers write it; null when neither tells. */
    static String classification(String serde, String inputFormat) {
        String s = (serde + " " + inputFormat).toLowerCase(Locale.ROOT);
        for (String format : List.of("cloudtrail", "parquet", "orc", "avro", "json")) {
            if (s.contains(format)) {
                return format;
            }
        }
        return s.contains("opencsvserde") || s.contains("lazysimpleserde") ? "csv" : null;
    }
}
