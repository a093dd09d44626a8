package dev.infra.providers.iam;

import static dev.infra.providers.AwsCallException.call;

import dev.infra.core.catalogue.Attribute;
import dev.infra.core.catalogue.AwsRules;
import dev.infra.core.catalogue.Kind;
import dev.infra.core.catalogue.ResourceType;
import dev.infra.core.catalogue.Trait;
import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.OperationContext;
import dev.infra.core.provider.ProviderException;
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.ParallelReads;
import dev.infra.providers.Policies;
import dev.infra.providers.SpecValues;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * {@code aws_iam_role}: name, assumeRolePolicy (JSON), managedPolicyArns (a set), inlinePolicy (JSON; absent = none),
 * path (optional, fixed at create), tags; computed arn. The id is the role name; roles are created under {@link #pathOf
 * the stack's path} unless the spec gives another: the EKS node role's is {@code /}, since managed node groups write
 * the role's ARN with its path into aws-auth and the authenticator matches it without, so nodes on a role with a path
 * never join (containers-roadmap#926, terraform-provider-aws#11898). Such a role is not under the stack's path, so
 * readAll finds it through state only.
 *
 * <p>readAll: one ListRoles under the stack's path, then per role ListRoleTags, ListAttachedRolePolicies and
 * GetRolePolicy (IAM has no batch form of any); roles state names outside that path cost a GetRole (tags included), a
 * ListAttachedRolePolicies and a GetRolePolicy each.
 *
 * <p>{@code assumeRolePolicy} is read back in {@link Policies#canonical canonical form} (AWS returns the document
 * URL-encoded, and may reformat it), and compared in that form on update. {@code inlinePolicy} is the one inline policy
 * named {@value #INLINE_NAME} (PutRolePolicy / DeleteRolePolicy; GetRolePolicy, NoSuchEntity = none), in the same
 * canonical form. {@link dev.infra.core.model.ResourceSpec#ACCOUNT} in either is written as the account and read back as
 * the token. Other inline policies a role may hold are left alone (delete removes them all).
 */
public final class IamRoleProvider extends IamProvider {

    public static final String TYPE = "aws_iam_role";
    static final String POLICY = "assumeRolePolicy";
    static final String MANAGED = "managedPolicyArns";
    static final String INLINE = "inlinePolicy";
    /** The role's path when not the stack's (fixed at create): {@code /} for roles EKS maps by ARN. */
    static final String PATH = "path";
    /** The name of the inline policy {@code inlinePolicy} stands for. */
    static final String INLINE_NAME = "infra";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required(POLICY, Kind.STRING).updatable()
                    .doc("JSON string"),
            Attribute.optional(INLINE, Kind.STRING).updatable().absentMeansNone(),
            Attribute.required(MANAGED, Kind.SET).updatable(),
            Attribute.required("name", Kind.STRING).rule(AwsRules.IAM_ROLE),
            Attribute.optional(PATH, Kind.STRING)
                    .doc("absent = the stack's `/infra/<stack>/`: the EKS node role's is `/`, as EKS maps node roles by their ARN without the path (such a role is read through state, not under the stack's path)"),
            Attribute.computed("arn", Kind.STRING))
            .with(Trait.TAGGED, Trait.ACCOUNT_WIDE, Trait.SHARED_BY_REPLICAS)
            .id("role name")
            .notes("InlinePolicy A (JSON, canonical like the bucket `policy`: compact, keys sorted; absent = none): the role's one inline policy, named `infra` (PutRolePolicy / DeleteRolePolicy; read with GetRolePolicy, URL-decoded); `${infra:account}` in it or in assumeRolePolicy is written as the account and read back as the token");

    public IamRoleProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        String path = pathOf(stack);
        List<Role> roles = call("ListRoles",
                () -> iam().listRolesPaginator(b -> b.pathPrefix(path)).roles().stream().toList());
        return readDetails(roles, role -> {
            Map<String, String> tags = tagMap(call("ListRoleTags",
                    () -> iam().listRoleTagsPaginator(b -> b.roleName(role.roleName())).tags().stream().toList()));
            return stack.equals(tags.get(STACK_TAG)) ? Optional.of(toLive(role, tags)) : Optional.empty();
        });
    }

    @Override
    protected Optional<LiveResource> read(String name) {
        return getIfExists(() -> call("GetRole", () -> iam().getRole(b -> b.roleName(name))).role())
                .map(role -> toLive(role, tagMap(role.tags())));
    }

    private LiveResource toLive(Role role, Map<String, String> tags) {
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, role.roleName());
        putIfPresent(a, POLICY, Policies.tokenized(Policies.canonical(role.assumeRolePolicyDocument()), clients()::account));
        var inline = ParallelReads.fork(() -> inlinePolicy(role.roleName()));
        a.put(MANAGED, List.copyOf(attachedPolicies(role.roleName())));
        inline.join().ifPresent(p -> a.put(INLINE, p));
        a.put(ARN, role.arn());
        a.put(PATH, role.path());
        return live(role.roleName(), tags, a);
    }

    private Set<String> attachedPolicies(String roleName) {
        Set<String> arns = new TreeSet<>();
        call("ListAttachedRolePolicies", () -> iam().listAttachedRolePoliciesPaginator(b -> b.roleName(roleName))
                .attachedPolicies().stream().map(AttachedPolicy::policyArn).toList()).forEach(arns::add);
        return arns;
    }

    /** The {@value #INLINE_NAME} inline policy in canonical form (IAM returns it URL-encoded); none: NoSuchEntity. */
    private Optional<String> inlinePolicy(String roleName) {
        return getIfExists(() -> Policies.tokenized(Policies.canonical(call("GetRolePolicy",
                () -> iam().getRolePolicy(b -> b.roleName(roleName).policyName(INLINE_NAME))).policyDocument()),
                clients()::account));
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String name = SpecValues.string(spec, NAME);
        String policy = Policies.withAccount(SpecValues.string(spec, POLICY), clients()::account);
        Set<String> managed = new TreeSet<>(SpecValues.strings(spec, MANAGED));
        String given = SpecValues.optionalString(spec, PATH);
        String path = given != null ? given : pathOf(spec.tags().get(STACK_TAG));
        createNamed(ctx, spec, name, () -> call("CreateRole", () -> iamForCreates().createRole(b -> b.roleName(name)
                .path(path).assumeRolePolicyDocument(policy).tags(iamTags(spec.tags())))), this::read);
        for (String arn : managed) {
            attachToNewRole(ctx, name, arn);
        }
        String inline = SpecValues.optionalString(spec, INLINE);
        if (inline != null) {
            afterPropagation(ctx, "PutRolePolicy " + name, () -> putInline(name, inline));
        }
        return readBack(ctx, name);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String name = current.id();
        updateTags(current, spec, changed,
                t -> call("TagRole", () -> iam().tagRole(b -> b.roleName(name).tags(iamTags(t)))),
                keys -> call("UntagRole", () -> iam().untagRole(b -> b.roleName(name).tagKeys(keys))));
        String policy = SpecValues.optionalString(spec, POLICY);
        if (policy != null && changed.contains(POLICY)) {
            call("UpdateAssumeRolePolicy", () -> iam().updateAssumeRolePolicy(
                    b -> b.roleName(name).policyDocument(Policies.withAccount(policy, clients()::account))));
        }
        if (changed.contains(MANAGED)) {
            Set<String> want = new TreeSet<>(SpecValues.strings(spec, MANAGED));
            Set<String> have = managedOf(current);
            for (String arn : want) {
                if (!have.contains(arn)) {
                    call("AttachRolePolicy", () -> iam().attachRolePolicy(b -> b.roleName(name).policyArn(arn)));
                }
            }
            for (String arn : have) {
                if (!want.contains(arn)) {
                    detach(name, arn);
                }
            }
        }
        String inline = SpecValues.optionalString(spec, INLINE);
        if (changed.contains(INLINE) && inline == null) {
            ignoreGone(() -> call("DeleteRolePolicy",
                    () -> iam().deleteRolePolicy(b -> b.roleName(name).policyName(INLINE_NAME))));
        } else if (changed.contains(INLINE)) {
            putInline(name, inline);
        }
        return readBack(ctx, name);
    }

    @SuppressWarnings("unchecked")
    private static Set<String> managedOf(LiveResource role) {
        return new TreeSet<>((List<String>) role.attributes().getOrDefault(MANAGED, List.of()));
    }

    private LiveResource readBack(OperationContext ctx, String name) {
        return awaitPropagation(ctx, name + " to become readable", () -> read(name));
    }

    /**
     * IAM refuses to delete a role that has policies or is in an instance profile: detaches its managed policies,
     * deletes its inline ones, takes it out of its instance profiles, then deletes it and waits until GetRole says
     * NoSuchEntity.
     */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String name = current.id();
        attachedPolicies(name).forEach(arn -> detach(name, arn));
        call("ListRolePolicies", () -> iam().listRolePoliciesPaginator(b -> b.roleName(name)).policyNames()
                .stream().toList()).forEach(policy -> ignoreGone(() -> call("DeleteRolePolicy",
                        () -> iam().deleteRolePolicy(b -> b.roleName(name).policyName(policy)))));
        List<InstanceProfile> profiles = call("ListInstanceProfilesForRole", () -> iam()
                .listInstanceProfilesForRolePaginator(b -> b.roleName(name)).instanceProfiles().stream().toList());
        profiles.forEach(p -> ignoreGone(() -> call("RemoveRoleFromInstanceProfile", () -> iam()
                .removeRoleFromInstanceProfile(b -> b.roleName(name).instanceProfileName(p.instanceProfileName())))));
        // DeleteConflict while IAM still sees what was just detached.
        retrying(ctx, "DeleteRole " + name, PROPAGATION_TIMEOUT, PROPAGATION_INTERVAL,
                e -> "DeleteConflict".equals(e.code()),
                () -> call("DeleteRole", () -> iam().deleteRole(b -> b.roleName(name))));
        awaitGone(ctx, name, () -> read(name));
    }

    /**
     * AttachRolePolicy on a role just created: NoSuchEntity is retried while IAM does not show the role yet, unless it
     * is the policy that does not exist (GetPolicy, asked once at the first NoSuchEntity), which fails at once.
     */
    private void attachToNewRole(OperationContext ctx, String roleName, String arn) {
        Supplier<Object> attach = () -> call("AttachRolePolicy",
                () -> iam().attachRolePolicy(b -> b.roleName(roleName).policyArn(arn)));
        try {
            attach.get();
        } catch (AwsCallException e) {
            if (!isGone(e)) {
                throw e;
            }
            if (getIfExists(() -> call("GetPolicy", () -> iam().getPolicy(b -> b.policyArn(arn)))).isEmpty()) {
                throw new ProviderException(ctx.address(), "managed policy " + arn + " does not exist (GetPolicy: "
                        + NO_SUCH_ENTITY + "); check managedPolicyArns");
            }
            afterPropagation(ctx, "AttachRolePolicy " + arn, attach);
        }
    }

    private Object putInline(String roleName, String document) {
        String written = Policies.withAccount(document, clients()::account);
        return call("PutRolePolicy", () -> iam().putRolePolicy(
                b -> b.roleName(roleName).policyName(INLINE_NAME).policyDocument(written)));
    }

    private void detach(String roleName, String arn) {
        ignoreGone(() -> call("DetachRolePolicy", () -> iam().detachRolePolicy(b -> b.roleName(roleName).policyArn(arn))));
    }
}
