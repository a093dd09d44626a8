package dev.infra.providers.eks;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsResourceProvider;
import dev.infra.providers.Lifecycle;
import dev.infra.providers.ParallelReads;
import dev.infra.providers.ProviderSupport;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.eks.EksClient;
import software.amazon.awssdk.services.eks.model.Cluster;
import software.amazon.awssdk.services.eks.model.Update;
import software.amazon.awssdk.services.eks.model.UpdateStatus;

/**
 * What the EKS types share. EKS creates, updates and deletes are asynchronous and slow (a cluster takes 10–15
 * minutes): a create waits for {@code ACTIVE}, an update for its Update ({@code DescribeUpdate} → Successful), a delete
 * until the resource is gone, each through {@link OperationContext#await}; failures carry EKS's health issues or update
 * errors. Names are unique, so an interrupted create is found by name and adopted when its tags say it is ours. Tags are
 * given at creation and changed with TagResource / UntagResource. EKS's list calls have no tag filter and return names
 * only, so the stack's clusters are found with ListClusters + one DescribeCluster each, which brings the tags along.
 *
 * @param <R> the SDK's model class, {@code Cluster} or {@code Nodegroup}
 */
public abstract class EksProvider<R> extends AwsResourceProvider {

    static final String NOT_FOUND = "ResourceNotFoundException";
    static final String IN_USE = "ResourceInUseException";
    /** A cluster's create and delete waits; node groups wait longer ({@link #timeout}), as Terraform's do. */
    static final Duration CREATE_TIMEOUT = Duration.ofMinutes(30);
    static final Duration UPDATE_TIMEOUT = Duration.ofMinutes(60);
    static final Duration DELETE_TIMEOUT = Duration.ofMinutes(30);
    static final Duration POLL_INTERVAL = Duration.ofSeconds(10);

    /** Where a resource is in its life, over the cluster's and the node group's status names. */
    enum Phase {
        BUSY, ACTIVE, DEGRADED, CREATE_FAILED, DELETING, DELETE_FAILED;

        static Phase of(String status) {
            return switch (status == null ? "" : status) {
                case "ACTIVE" -> ACTIVE;
                case "DEGRADED" -> DEGRADED;
                case "FAILED", "CREATE_FAILED" -> CREATE_FAILED;
                case "DELETING" -> DELETING;
                case "DELETE_FAILED" -> DELETE_FAILED;
                default -> BUSY; // CREATING, UPDATING, PENDING
            };
        }
    }

    protected EksProvider(AwsClients clients, ResourceType entry) {
        super(clients, entry);
    }

    protected final EksClient eks() {
        return clients().eks();
    }

    /** ResourceNotFoundException for clusters, node groups and updates; NotFoundException from the tagging calls. */
    @Override
    protected boolean isGone(AwsCallException e) {
        return NOT_FOUND.equals(e.code()) || "NotFoundException".equals(e.code());
    }

    // ---- what each type supplies -------------------------------------------------------------------

    /** How messages name the type, e.g. {@code EKS cluster}. */
    protected abstract String noun();

    protected abstract String idOf(ResourceSpec spec);

    protected abstract String idOf(R resource);

    /** The resource in whatever status; empty when EKS does not know it. */
    protected abstract Optional<R> describe(String id);

    protected abstract String statusOf(R resource);

    /** EKS's health issues, as {@code code: message} lines. */
    protected abstract List<String> issuesOf(R resource);

    protected abstract String arnOf(R resource);

    protected abstract Map<String, String> tagsOf(R resource);

    /** The attributes other than {@code tags}, named and shaped as in the spec. */
    protected abstract Map<String, Object> attributesOf(R resource);

    /** The one create call, with the spec's tags and this idempotency token. */
    protected abstract void submitCreate(ResourceSpec spec, String clientRequestToken);

    protected abstract void submitDelete(String id);

    /** Changes what differs between {@code now} and {@code spec} besides tags, each change waited for. */
    protected abstract void updateAttributes(R now, ResourceSpec spec, OperationContext ctx);

    /** What a create reports besides what AWS reads back (write-only attributes). */
    protected LiveResource created(ResourceSpec spec, LiveResource live) {
        return live;
    }

    // ---- reads --------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readIds(Collection<String> ids) {
        return readEach(ids, id -> describe(id).filter(this::isLive).map(this::toLive));
    }

    /** By unique name: adopted when its tags name this stack and address (or none), an error when another's. */
    @Override
    protected Optional<LiveResource> find(String stack, ResourceSpec spec) {
        String id = idOf(spec);
        return describe(id).filter(this::isLive).map(r -> {
            ProviderSupport.claim(spec.address(), stack, noun() + " " + id, tagsOf(r));
            return toLive(r);
        });
    }

    /** Not being deleted, and not failed at creation (such a one holds its name until deleted, see create). */
    protected final boolean isLive(R resource) {
        Phase p = Phase.of(statusOf(resource));
        return p != Phase.DELETING && p != Phase.CREATE_FAILED;
    }

    /**
     * Describe, DELETING, ResourceInUseException while something is in progress; a wait for a status ends on a status
     * other than ACTIVE and the transitional ones, a wait until gone on DELETE_FAILED, each with EKS's health issues.
     */
    private Lifecycle<R> lifecycle() {
        return Lifecycle.of(noun(), this::describe, r -> Phase.of(statusOf(r)) == Phase.DELETING, timeout(DELETE_TIMEOUT),
                        POLL_INTERVAL)
                .withBusy(e -> IN_USE.equals(e.code()))
                .withFailed(r -> switch (Phase.of(statusOf(r))) {
                    case ACTIVE, BUSY -> null;
                    case CREATE_FAILED -> failure(r) + "; delete it (it keeps its name until deleted) and create it again";
                    default -> failure(r);
                })
                .withDeleteFailed(r -> Phase.of(statusOf(r)) == Phase.DELETE_FAILED ? failure(r) : null);
    }

    protected final LiveResource toLive(R resource) {
        return live(idOf(resource), tagsOf(resource), attributesOf(resource));
    }

    /** Every cluster of the region, described (tags included): ListClusters, then one DescribeCluster each. */
    protected final List<Cluster> describeClusters() {
        List<String> names = call("ListClusters", () -> eks().listClustersPaginator(b -> { }).clusters().stream().toList());
        return ParallelReads.each(names, this::describeCluster);
    }

    protected final Optional<Cluster> describeCluster(String name) {
        return ProviderSupport.unless(this::isGone, () -> Optional.of(
                call("DescribeCluster", () -> eks().describeCluster(b -> b.name(name))).cluster()));
    }

    // ---- changes ------------------------------------------------------------------------------------

    /**
     * The create call, then a wait for ACTIVE. A role made moments before may not be assumable yet (IAM is eventually
     * consistent): that refusal is retried for a while. ResourceInUseException means the name is taken: by an earlier
     * attempt of this create (an SDK retry, an interrupted apply), which is adopted, or by another resource, an error.
     */
    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String id = idOf(spec);
        try {
            submitCreateWhenRoleReady(spec, ctx);
        } catch (AwsCallException e) {
            if (!IN_USE.equals(e.code())) {
                throw e;
            }
            R existing = describe(id).orElseThrow(() -> e);
            ProviderSupport.claim(spec.address(), spec.tags().get(STACK_TAG), noun() + " " + id, tagsOf(existing));
            if (Phase.of(statusOf(existing)) == Phase.DELETING) {
                lifecycle().awaitGone(ctx, id, timeout(DELETE_TIMEOUT));
                submitCreateWhenRoleReady(spec, ctx);
            }
        }
        R active = lifecycle().await(ctx, id, "to become ACTIVE", timeout(CREATE_TIMEOUT),
                r -> Phase.of(statusOf(r)) == Phase.ACTIVE);
        return created(spec, toLive(active));
    }

    private void submitCreateWhenRoleReady(ResourceSpec spec, OperationContext ctx) {
        String token = UUID.randomUUID().toString();
        whenPropagated(ctx, "create of " + spec.address() + " (InvalidParameterException: IAM propagating the role)",
                EksProvider::roleNotReady, () -> {
            submitCreate(spec, token);
            return Boolean.TRUE;
        });
    }

    /**
     * EKS's refusals of a role IAM has not propagated yet, or whose policy attachments it does not see yet: "… could not
     * be assumed because it does not exist …", and the messages Terraform's aws_eks_cluster create retries for its IAM
     * propagation window (internal/service/eks/cluster.go): "does not exist", "Error in role params", "doesn't have the
     * Amazon EKS Managed Policies associated", "IAM role's policy must include".
     */
    static boolean roleNotReady(AwsCallException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        return "InvalidParameterException".equals(e.code()) && ROLE_NOT_READY.stream().anyMatch(m::contains);
    }

    private static final List<String> ROLE_NOT_READY = List.of("could not be assumed", "not found in the trust relationships",
            "does not exist", "Error in role params", "doesn't have the Amazon EKS Managed Policies associated",
            "IAM role's policy must include");

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        R now = existing(ctx, current.id());
        updateAttributes(now, spec, ctx);
        TagChanges tags = tagChanges(tagsOf(now), spec.tags());
        String arn = arnOf(now);
        if (!tags.put().isEmpty()) {
            call("TagResource", () -> eks().tagResource(b -> b.resourceArn(arn).tags(tags.put())));
        }
        if (!tags.remove().isEmpty()) {
            call("UntagResource", () -> eks().untagResource(b -> b.resourceArn(arn).tagKeys(tags.remove())));
        }
        return toLive(existing(ctx, current.id()));
    }

    private R existing(OperationContext ctx, String id) {
        return describe(id).orElseThrow(() -> new ProviderException(ctx.address(), noun() + " " + id + " no longer exists"));
    }

    /**
     * Waits until an update EKS started ends, Successful, else fails with EKS's errors. The answer to the update call
     * may already say it ended; otherwise DescribeUpdate is polled.
     */
    protected final void awaitUpdate(OperationContext ctx, Update started, String cluster, String nodegroup) {
        String what = "EKS update " + started.id() + " (" + started.typeAsString() + ") of "
                + (nodegroup == null ? cluster : cluster + ":" + nodegroup);
        Update done = ended(started) ? started : ctx.await(what + " to end", UPDATE_TIMEOUT, POLL_INTERVAL, () -> {
            Update now = call("DescribeUpdate", () -> eks().describeUpdate(
                    b -> b.name(cluster).updateId(started.id()).nodegroupName(nodegroup))).update();
            return ended(now) ? Optional.of(now) : Optional.empty();
        });
        if (done.status() != UpdateStatus.SUCCESSFUL) {
            throw new ProviderException(ctx.address(), what + " ended " + done.statusAsString() + ": "
                    + done.errors().stream().map(e -> e.errorCodeAsString() + ": " + e.errorMessage()
                            + (e.resourceIds().isEmpty() ? "" : " " + e.resourceIds()))
                    .collect(Collectors.joining("; ")));
        }
    }

    /** Whether the spec asks for a value ({@code desired} not null) other than the current one. */
    protected static boolean differs(Object desired, Object actual) {
        return desired != null && !Objects.equals(desired, actual);
    }

    private static boolean ended(Update u) {
        return u.status() == UpdateStatus.SUCCESSFUL || u.status() == UpdateStatus.FAILED
                || u.status() == UpdateStatus.CANCELLED;
    }

    /**
     * The delete call, then a wait until EKS no longer knows the resource. ResourceInUseException (a cluster whose node
     * groups are still being deleted, an update still running) is retried for a while.
     */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String id = current.id();
        if (lifecycle().delete(ctx, id, "delete of " + noun(), () -> submitDelete(id))) {
            afterDeleted(id, ctx);
        }
    }

    /** How long this type's create or delete waits, given the cluster's {@code base}: node groups wait longer. */
    protected Duration timeout(Duration base) {
        return base;
    }

    /** What a delete waits for once EKS no longer knows the resource (the cluster's network interfaces). */
    protected void afterDeleted(String id, OperationContext ctx) {
    }

    /** Its status and EKS's health issues: what a failed wait says after "<noun> <id> is ". */
    private String failure(R resource) {
        List<String> issues = issuesOf(resource);
        return statusOf(resource) + (issues.isEmpty() ? "" : ": " + String.join("; ", issues));
    }
}
