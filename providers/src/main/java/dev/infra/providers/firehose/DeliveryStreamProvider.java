package dev.infra.providers.firehose;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.ParallelReads;
import dev.infra.providers.ProviderSupport;
import dev.infra.providers.SpecValues;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.firehose.FirehoseClient;
import software.amazon.awssdk.services.firehose.model.BufferingHints;
import software.amazon.awssdk.services.firehose.model.DeliveryStreamDescription;
import software.amazon.awssdk.services.firehose.model.DestinationDescription;
import software.amazon.awssdk.services.firehose.model.EncryptionConfiguration;
import software.amazon.awssdk.services.firehose.model.ExtendedS3DestinationDescription;
import software.amazon.awssdk.services.firehose.model.ProcessingConfiguration;
import software.amazon.awssdk.services.firehose.model.Processor;
import software.amazon.awssdk.services.firehose.model.ProcessorParameter;
import software.amazon.awssdk.services.firehose.model.Tag;

/**
 * {@code aws_kinesis_firehose_delivery_stream} (id: the stream name): name F, a Direct PUT stream to one extended S3
 * destination: roleArn A (the role Firehose writes with), bucketArn A, prefix A, errorOutputPrefix A (needed when the
 * prefix holds expressions such as {@code !{timestamp:yyyy/MM/dd}}), compressionFormat A (GZIP…), kmsKeyArn A (objects
 * encrypted with it), bufferingSeconds A (Long), bufferingMegabytes A (Long), processors A (list of {type, parameters:
 * Map}, e.g. Decompression {CompressionFormat: GZIP} for CloudWatch Logs records, AppendDelimiterToRecord); tags;
 * computed arn.
 *
 * <p>CreateDeliveryStream, then a wait until ACTIVE; an update is UpdateDestination with the stream's version id and
 * destination id and the whole destination; delete is DeleteDeliveryStream, waited until gone. A role just made may not
 * be assumable yet: Firehose answers InvalidArgumentException, retried for a while. readAll: ListDeliveryStreams (all
 * pages) + DescribeDeliveryStream and ListTagsForDeliveryStream per stream, as no call filters by tag.
 */
public final class DeliveryStreamProvider extends AwsResourceProvider {

    public static final String TYPE = "aws_kinesis_firehose_delivery_stream";
    static final String NAME = "name";
    static final String ROLE_ARN = "roleArn";
    static final String BUCKET_ARN = "bucketArn";
    static final String PREFIX = "prefix";
    static final String ERROR_PREFIX = "errorOutputPrefix";
    static final String COMPRESSION = "compressionFormat";
    static final String KMS_KEY_ARN = "kmsKeyArn";
    static final String BUFFER_SECONDS = "bufferingSeconds";
    static final String BUFFER_MB = "bufferingMegabytes";
    static final String PROCESSORS = "processors";
    static final String ARN = "arn";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(NAME, Kind.STRING),
            Attribute.required(ROLE_ARN, Kind.REFERENCE).updatable(),
            Attribute.required(BUCKET_ARN, Kind.REFERENCE).updatable(),
            Attribute.required(PREFIX, Kind.STRING).updatable(),
            Attribute.required(ERROR_PREFIX, Kind.STRING).updatable(),
            Attribute.required(COMPRESSION, Kind.STRING).updatable(),
            Attribute.optional(KMS_KEY_ARN, Kind.REFERENCE).updatable().doc("absent = NoEncryption"),
            Attribute.required(BUFFER_SECONDS, Kind.NUMBER).updatable(),
            Attribute.required(BUFFER_MB, Kind.NUMBER).updatable(),
            Attribute.required(PROCESSORS, Kind.LIST).updatable()
                    .doc("list of {type, parameters: Map}; empty = processing off"),
            Attribute.computed(ARN, Kind.STRING))
            .with(Trait.TAGGED)
            .id("stream name")
            .notes("A Direct PUT stream to one extended S3 destination; create waits until ACTIVE (InvalidArgumentException about assuming the role retried for a while); update = UpdateDestination with the version and destination ids; readAll = ListDeliveryStreams + DescribeDeliveryStream and ListTagsForDeliveryStream per stream");

    public DeliveryStreamProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    private FirehoseClient firehose() {
        return clients().client(FirehoseClient.class, FirehoseClient::builder);
    }

    @Override
    protected boolean isGone(AwsCallException e) {
        return "ResourceNotFoundException".equals(e.code()) || e.isNotFound();
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        List<String> names = new ArrayList<>();
        String start = null;
        boolean more = true;
        while (more) {
            String from = start;
            var page = call("ListDeliveryStreams", () -> firehose().listDeliveryStreams(
                    b -> b.exclusiveStartDeliveryStreamName(from)));
            names.addAll(page.deliveryStreamNames());
            more = Boolean.TRUE.equals(page.hasMoreDeliveryStreams()) && !page.deliveryStreamNames().isEmpty();
            start = more ? names.get(names.size() - 1) : null;
        }
        return readIds(names);
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::read);
    }

    private Optional<LiveResource> read(String name) {
        return ProviderSupport.unless(this::isGone, () -> {
            var tags = ParallelReads.fork(() -> {
                Map<String, String> t = new TreeMap<>();
                call("ListTagsForDeliveryStream", () -> firehose().listTagsForDeliveryStream(b -> b.deliveryStreamName(name)))
                        .tags().forEach(tag -> t.put(tag.key(), tag.value()));
                return t;
            });
            DeliveryStreamDescription d = call("DescribeDeliveryStream", () -> firehose().describeDeliveryStream(
                    b -> b.deliveryStreamName(name))).deliveryStreamDescription();
            if ("DELETING".equals(d.deliveryStreamStatusAsString())) {
                return Optional.empty();
            }
            return Optional.of(toLive(d, tags.join()));
        });
    }

    private LiveResource toLive(DeliveryStreamDescription d, Map<String, String> tags) {
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, d.deliveryStreamName());
        a.put(ARN, d.deliveryStreamARN());
        d.destinations().stream().map(DestinationDescription::extendedS3DestinationDescription)
                .filter(x -> x != null).findFirst().ifPresent(s -> {
                    putIfPresent(a, ROLE_ARN, s.roleARN());
                    putIfPresent(a, BUCKET_ARN, s.bucketARN());
                    putIfPresent(a, PREFIX, s.prefix());
                    putIfPresent(a, ERROR_PREFIX, s.errorOutputPrefix());
                    putIfPresent(a, COMPRESSION, s.compressionFormatAsString());
                    EncryptionConfiguration e = s.encryptionConfiguration();
                    if (e != null && e.kmsEncryptionConfig() != null) {
                        putIfPresent(a, KMS_KEY_ARN, e.kmsEncryptionConfig().awskmsKeyARN());
                    }
                    BufferingHints h = s.bufferingHints();
                    if (h != null) {
                        putIfPresent(a, BUFFER_SECONDS, h.intervalInSeconds() == null ? null : h.intervalInSeconds().longValue());
                        putIfPresent(a, BUFFER_MB, h.sizeInMBs() == null ? null : h.sizeInMBs().longValue());
                    }
                    a.put(PROCESSORS, processors(s));
                });
        return live(d.deliveryStreamName(), tags, a);
    }

    private static List<Map<String, Object>> processors(ExtendedS3DestinationDescription s) {
        ProcessingConfiguration p = s.processingConfiguration();
        if (p == null || !Boolean.TRUE.equals(p.enabled())) {
            return List.of();
        }
        return p.processors().stream().<Map<String, Object>>map(x -> {
            Map<String, Object> parameters = new TreeMap<>();
            x.parameters().forEach(pp -> parameters.put(pp.parameterNameAsString(), pp.parameterValue()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", x.typeAsString());
            m.put("parameters", parameters);
            return m;
        }).toList();
    }

    /** By its name, unique in the region; one of another address or stack is an error, not a match. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String name = SpecValues.string(spec, NAME);
        return claimed(spec.address(), stack, "delivery stream " + name, read(name));
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String name = SpecValues.string(spec, NAME);
        List<Tag> tags = spec.tags().entrySet().stream()
                .map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
        createOnce(ctx, spec.address(), () -> call("CreateDeliveryStream", () -> clients()
                        .forCreates(FirehoseClient.class, FirehoseClient::builder).createDeliveryStream(b -> b
                                .deliveryStreamName(name).deliveryStreamType("DirectPut").tags(tags)
                                .extendedS3DestinationConfiguration(d -> d
                                        .roleARN(SpecValues.string(spec, ROLE_ARN))
                                        .bucketARN(SpecValues.string(spec, BUCKET_ARN))
                                        .prefix(SpecValues.optionalString(spec, PREFIX))
                                        .errorOutputPrefix(SpecValues.optionalString(spec, ERROR_PREFIX))
                                        .compressionFormat(SpecValues.optionalString(spec, COMPRESSION))
                                        .encryptionConfiguration(encryption(spec))
                                        .bufferingHints(buffering(spec))
                                        .processingConfiguration(processing(spec))))).deliveryStreamARN(),
                () -> read(name).map(l -> (String) l.attributes().get(ARN)), DeliveryStreamProvider::roleNotYetUsable);
        return awaitActive(ctx, name);
    }

    /** Firehose checks it can assume the role, which IAM may not show yet for a role just made. */
    private static boolean roleNotYetUsable(AwsCallException e) {
        return "InvalidArgumentException".equals(e.code()) && String.valueOf(e.getMessage()).contains("assume");
    }

    private LiveResource awaitActive(OperationContext ctx, String name) {
        return awaitPropagation(ctx, "delivery stream " + name + " to be ACTIVE", () -> read(name).flatMap(l -> {
            DeliveryStreamDescription d = call("DescribeDeliveryStream", () -> firehose().describeDeliveryStream(
                    b -> b.deliveryStreamName(name))).deliveryStreamDescription();
            if (d.deliveryStreamStatusAsString().endsWith("FAILED")) {
                throw new ProviderException(ctx.address(), "delivery stream " + name + " is "
                        + d.deliveryStreamStatusAsString() + ": " + d.failureDescription());
            }
            return "ACTIVE".equals(d.deliveryStreamStatusAsString()) ? Optional.of(l) : Optional.empty();
        }));
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String name = current.id();
        updateTags(current, spec, changed,
                put -> call("TagDeliveryStream", () -> firehose().tagDeliveryStream(b -> b.deliveryStreamName(name)
                        .tags(put.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue())
                                .build()).toList()))),
                keys -> call("UntagDeliveryStream", () -> firehose().untagDeliveryStream(
                        b -> b.deliveryStreamName(name).tagKeys(keys))));
        if (changed.stream().anyMatch(a -> !a.equals(TAGS))) {
            DeliveryStreamDescription d = call("DescribeDeliveryStream", () -> firehose().describeDeliveryStream(
                    b -> b.deliveryStreamName(name))).deliveryStreamDescription();
            call("UpdateDestination", () -> firehose().updateDestination(b -> b.deliveryStreamName(name)
                    .currentDeliveryStreamVersionId(d.versionId())
                    .destinationId(d.destinations().get(0).destinationId())
                    .extendedS3DestinationUpdate(u -> u
                            .roleARN(SpecValues.string(spec, ROLE_ARN))
                            .bucketARN(SpecValues.string(spec, BUCKET_ARN))
                            .prefix(SpecValues.optionalString(spec, PREFIX))
                            .errorOutputPrefix(SpecValues.optionalString(spec, ERROR_PREFIX))
                            .compressionFormat(SpecValues.optionalString(spec, COMPRESSION))
                            .encryptionConfiguration(encryption(spec))
                            .bufferingHints(buffering(spec))
                            .processingConfiguration(processing(spec)))));
        }
        return awaitActive(ctx, name);
    }

    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        call("DeleteDeliveryStream", () -> firehose().deleteDeliveryStream(b -> b.deliveryStreamName(current.id())));
        awaitGone(ctx, "delivery stream " + current.id(), () -> read(current.id()));
    }

    // ---- request parts ----------------------------------------------------------------------------------

    private static EncryptionConfiguration encryption(ResourceSpec spec) {
        String key = SpecValues.optionalString(spec, KMS_KEY_ARN);
        return key == null ? EncryptionConfiguration.builder().noEncryptionConfig("NoEncryption").build()
                : EncryptionConfiguration.builder().kmsEncryptionConfig(k -> k.awskmsKeyARN(key)).build();
    }

    private static BufferingHints buffering(ResourceSpec spec) {
        boolean seconds = spec.attributes().containsKey(BUFFER_SECONDS);
        boolean megabytes = spec.attributes().containsKey(BUFFER_MB);
        if (!seconds && !megabytes) {
            return null;
        }
        return BufferingHints.builder()
                .intervalInSeconds(seconds ? Math.toIntExact(SpecValues.number(spec, BUFFER_SECONDS)) : null)
                .sizeInMBs(megabytes ? Math.toIntExact(SpecValues.number(spec, BUFFER_MB)) : null).build();
    }

    private static ProcessingConfiguration processing(ResourceSpec spec) {
        List<Map<?, ?>> given = spec.attributes().containsKey(PROCESSORS) ? SpecValues.maps(spec, PROCESSORS) : List.of();
        if (given.isEmpty()) {
            return ProcessingConfiguration.builder().enabled(false).build();
        }
        List<Processor> processors = given.stream().map(m -> {
            Map<?, ?> parameters = m.get("parameters") instanceof Map<?, ?> p ? p : Map.of();
            return Processor.builder().type(String.valueOf(m.get("type"))).parameters(parameters.entrySet().stream()
                    .map(e -> ProcessorParameter.builder().parameterName(String.valueOf(e.getKey()))
                            .parameterValue(String.valueOf(e.getValue())).build()).toList()).build();
        }).toList();
        return ProcessingConfiguration.builder().enabled(true).processors(processors).build();
    }
}
