package dev.infra.providers.wafv2;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.wafv2.model.ListLoggingConfigurationsResponse;
import software.amazon.awssdk.services.wafv2.model.LoggingConfiguration;

/**
 * {@code aws_wafv2_logging_configuration} (id: the web ACL's ARN): webAclArn, logDestination (an S3 bucket ARN; AWS
 * requires the bucket's name to start with {@code aws-waf-logs-}); no tags. Put on create and update (one logging
 * configuration per web ACL). readAll: ListLoggingConfigurations (all pages), kept to the ids from state.
 */
public final class LoggingConfigurationProvider extends Wafv2Provider {

    public static final String TYPE = "aws_wafv2_logging_configuration";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required("logDestination", Kind.REFERENCE).updatable()
                    .doc("bucket ARN"),
            Attribute.required("webAclArn", Kind.REFERENCE))
            .id("web ACL ARN");

    public LoggingConfigurationProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return allPages(marker -> call("ListLoggingConfigurations",
                        () -> wafv2().listLoggingConfigurations(b -> b.scope(SCOPE).limit(LIST_LIMIT).nextMarker(marker))),
                ListLoggingConfigurationsResponse::loggingConfigurations, ListLoggingConfigurationsResponse::nextMarker)
                .stream()
                .filter(c -> ids.contains(c.resourceArn()))
                .map(this::toLive)
                .toList();
    }

    /** The web ACL's logging configuration, whatever its destination (that one is updated in place). */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        return read(SpecValues.string(spec, "webAclArn"));
    }

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        return put(SpecValues.string(spec, "webAclArn"), spec, ctx);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        return put(current.id(), spec, ctx);
    }

    @Override
    protected void remove(LiveResource current, OperationContext ctx) {
        call("DeleteLoggingConfiguration", () -> wafv2().deleteLoggingConfiguration(b -> b.resourceArn(current.id())));
    }

    @Override
    protected boolean exists(LiveResource current) {
        return read(current.id()).isPresent();
    }

    /** PutLoggingConfiguration (retried while the web ACL just made is not available yet), then reads it back. */
    private LiveResource put(String webAclArn, ResourceSpec spec, OperationContext ctx) {
        String destination = SpecValues.string(spec, "logDestination");
        whenAvailable(ctx, "PutLoggingConfiguration " + webAclArn, () -> call("PutLoggingConfiguration",
                () -> wafv2().putLoggingConfiguration(b -> b.loggingConfiguration(c -> c
                        .resourceArn(webAclArn)
                        .logDestinationConfigs(destination)))));
        return awaitPropagation(ctx, "logging configuration of " + webAclArn + " to become readable",
                () -> read(webAclArn).filter(r -> destination.equals(r.attributes().get("logDestination"))));
    }

    private Optional<LiveResource> read(String webAclArn) {
        return unlessGone(() -> Optional.ofNullable(call("GetLoggingConfiguration",
                () -> wafv2().getLoggingConfiguration(b -> b.resourceArn(webAclArn))).loggingConfiguration()))
                .map(this::toLive);
    }

    private LiveResource toLive(LoggingConfiguration c) {
        Map<String, Object> a = new TreeMap<>();
        a.put("webAclArn", c.resourceArn());
        c.logDestinationConfigs().stream().findFirst().ifPresent(d -> a.put("logDestination", d));
        return live(c.resourceArn(), Map.of(), a);
    }
}
