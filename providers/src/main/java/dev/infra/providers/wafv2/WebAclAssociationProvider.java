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
import software.amazon.awssdk.services.wafv2.model.WebACL;

/**
 * {@code aws_wafv2_web_acl_association} (id: the protected resource's ARN, e.g. a load balancer's): webAclArn,
 * resourceArn; no tags. A resource has at most one web ACL, so GetWebACLForResource reads the association; readAll
 * makes one such call per id from state (there is no list of associations to filter by stack).
 */
public final class WebAclAssociationProvider extends Wafv2Provider {

    public static final String TYPE = "aws_wafv2_web_acl_association";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required("resourceArn", Kind.REFERENCE),
            Attribute.required("webAclArn", Kind.REFERENCE))
            .id("resource ARN");

    public WebAclAssociationProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, this::read);
    }

    /** The resource's association, when it is with the spec's web ACL. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String webAclArn = SpecValues.string(spec, "webAclArn");
        return read(SpecValues.string(spec, "resourceArn")).filter(r -> webAclArn.equals(r.attributes().get("webAclArn")));
    }

    /** AssociateWebACL, retried while the web ACL just made is not available yet. */
    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String webAclArn = SpecValues.string(spec, "webAclArn");
        String resourceArn = SpecValues.string(spec, "resourceArn");
        whenAvailable(ctx, "AssociateWebACL " + resourceArn, () -> call("AssociateWebACL",
                () -> wafv2().associateWebACL(b -> b.webACLArn(webAclArn).resourceArn(resourceArn))));
        return awaitPropagation(ctx, "association of " + resourceArn + " to become readable",
                () -> read(resourceArn).filter(r -> webAclArn.equals(r.attributes().get("webAclArn"))));
    }

    /** Nothing changes in place: both attributes force a new association. */
    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        return read(current.id()).orElse(current);
    }

    @Override
    protected void remove(LiveResource current, OperationContext ctx) {
        call("DisassociateWebACL", () -> wafv2().disassociateWebACL(b -> b.resourceArn(current.id())));
    }

    @Override
    protected boolean exists(LiveResource current) {
        return read(current.id()).isPresent();
    }

    /** The resource's association; absent when it has no web ACL or is gone. */
    private Optional<LiveResource> read(String resourceArn) {
        return unlessGone(() -> Optional.ofNullable(call("GetWebACLForResource",
                () -> wafv2().getWebACLForResource(b -> b.resourceArn(resourceArn))).webACL()))
                .map(WebACL::arn)
                .map(acl -> live(resourceArn, Map.of(), Map.of("webAclArn", acl, "resourceArn", resourceArn)));
    }
}
