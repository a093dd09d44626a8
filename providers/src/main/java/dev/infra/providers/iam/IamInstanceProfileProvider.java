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
import dev.infra.providers.AwsCallException;
import dev.infra.providers.AwsClients;
import dev.infra.providers.SpecValues;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.Role;

/**
 * {@code aws_iam_instance_profile}: name, roleName (absent when the profile holds no role), tags; computed arn. The id
 * is the profile name; profiles are created under {@link #pathOf the stack's path}.
 *
 * <p>readAll: one ListInstanceProfiles under the stack's path (also filtered here: not every endpoint honours
 * PathPrefix), then a GetInstanceProfile per profile listed, which returns its tags (ListInstanceProfiles does not).
 */
public final class IamInstanceProfileProvider extends IamProvider {

    public static final String TYPE = "aws_iam_instance_profile";
    static final String ROLE = "roleName";

    /** The catalogue entry: attributes, AWS's rules for their values, traits. */
    public static final ResourceType ENTRY = ResourceType.of(TYPE,
            Attribute.required("name", Kind.STRING).rule(AwsRules.INSTANCE_PROFILE),
            Attribute.required(ROLE, Kind.REFERENCE).updatable(),
            Attribute.computed("arn", Kind.STRING))
            .with(Trait.TAGGED, Trait.ACCOUNT_WIDE, Trait.SHARED_BY_REPLICAS)
            .id("profile name");

    public IamInstanceProfileProvider(AwsClients clients) {
        super(clients, ENTRY);
    }

    // ---- reads ------------------------------------------------------------------------------------------

    @Override
    protected List<LiveResource> readStack(String stack) {
        String path = pathOf(stack);
        List<InstanceProfile> listed = call("ListInstanceProfiles", () -> iam()
                .listInstanceProfilesPaginator(b -> b.pathPrefix(path)).instanceProfiles().stream().toList());
        return readDetails(listed.stream().filter(p -> p.path() != null && p.path().startsWith(path)).toList(),
                p -> read(p.instanceProfileName()));
    }

    @Override
    protected Optional<LiveResource> read(String name) {
        return getIfExists(() -> call("GetInstanceProfile",
                () -> iam().getInstanceProfile(b -> b.instanceProfileName(name))).instanceProfile()).map(this::toLive);
    }

    private LiveResource toLive(InstanceProfile p) {
        Map<String, Object> a = new TreeMap<>();
        a.put(NAME, p.instanceProfileName());
        p.roles().stream().map(Role::roleName).findFirst().ifPresent(role -> a.put(ROLE, role));
        a.put(ARN, p.arn());
        return live(p.instanceProfileName(), tagMap(p.tags()), a);
    }

    // ---- changes ----------------------------------------------------------------------------------------

    @Override
    protected LiveResource createResource(ResourceSpec spec, OperationContext ctx) {
        String name = SpecValues.string(spec, NAME);
        String role = SpecValues.optionalString(spec, ROLE);
        String path = pathOf(spec.tags().get(STACK_TAG));
        createNamed(ctx, spec, name, () -> call("CreateInstanceProfile", () -> iamForCreates().createInstanceProfile(
                b -> b.instanceProfileName(name).path(path).tags(iamTags(spec.tags())))), this::read);
        if (role != null) {
            addRole(ctx, name, role);
        }
        return readBack(ctx, name, role);
    }

    @Override
    protected LiveResource updateResource(LiveResource current, ResourceSpec spec, Set<String> changed,
                                          OperationContext ctx) {
        String name = current.id();
        updateTags(current, spec, changed, t -> call("TagInstanceProfile",
                        () -> iam().tagInstanceProfile(b -> b.instanceProfileName(name).tags(iamTags(t)))),
                keys -> call("UntagInstanceProfile",
                        () -> iam().untagInstanceProfile(b -> b.instanceProfileName(name).tagKeys(keys))));
        String want = SpecValues.optionalString(spec, ROLE);
        Object have = current.attributes().get(ROLE);
        if (want != null && changed.contains(ROLE)) {
            if (have != null) {
                removeRole(name, have.toString());
            }
            addRole(ctx, name, want);
        }
        return readBack(ctx, name, want != null ? want : have == null ? null : have.toString());
    }

    /**
     * AddRoleToInstanceProfile, retried while IAM does not see a role or profile just created. A profile holds one
     * role: LimitExceeded after a retried call that took effect is fine when the role is the one wanted.
     */
    private void addRole(OperationContext ctx, String profile, String role) {
        try {
            afterPropagation(ctx, "AddRoleToInstanceProfile " + role, () -> call("AddRoleToInstanceProfile",
                    () -> iam().addRoleToInstanceProfile(b -> b.instanceProfileName(profile).roleName(role))));
        } catch (AwsCallException e) {
            boolean alreadyThere = "LimitExceeded".equals(e.code())
                    && read(profile).map(p -> role.equals(p.attributes().get(ROLE))).orElse(false);
            if (!alreadyThere) {
                throw e;
            }
        }
    }

    private void removeRole(String profile, String role) {
        ignoreGone(() -> call("RemoveRoleFromInstanceProfile",
                () -> iam().removeRoleFromInstanceProfile(b -> b.instanceProfileName(profile).roleName(role))));
    }

    private LiveResource readBack(OperationContext ctx, String name, String role) {
        return awaitPropagation(ctx, name + " to become readable",
                () -> read(name).filter(p -> Objects.equals(role, p.attributes().get(ROLE))));
    }

    /** Takes the profile's role out (IAM refuses to delete a profile holding one), deletes it, waits until gone. */
    @Override
    protected void deleteResource(LiveResource current, OperationContext ctx) {
        String name = current.id();
        Optional<LiveResource> now = read(name);
        if (now.isEmpty()) {
            return;
        }
        Object role = now.get().attributes().get(ROLE);
        if (role != null) {
            removeRole(name, role.toString());
        }
        retrying(ctx, "DeleteInstanceProfile " + name, PROPAGATION_TIMEOUT, PROPAGATION_INTERVAL,
                e -> "DeleteConflict".equals(e.code()),
                () -> call("DeleteInstanceProfile", () -> iam().deleteInstanceProfile(b -> b.instanceProfileName(name))));
        awaitGone(ctx, name, () -> read(name));
    }
}
