package dev.infra.providers.iam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.core.model.ResourceSpec;
import dev.infra.core.provider.LiveResource;
import dev.infra.core.provider.ReadRequest;
import dev.infra.providers.AwsClients;
import dev.infra.providers.Policies;
import dev.infra.providers.testing.Emulator;
import dev.infra.providers.testing.Faults;
import dev.infra.providers.testing.ProviderTestSupport;
import dev.infra.providers.testing.SleepingOperationContext;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.iam.model.AttachedPolicy;
import software.amazon.awssdk.services.iam.model.InstanceProfile;
import software.amazon.awssdk.services.iam.model.NoSuchEntityException;
import software.amazon.awssdk.services.iam.model.Role;

/** IAM roles and instance profiles against the emulator (IAM is global; the clients' region is eu-south-1). */
class IamIT extends ProviderTestSupport {

    private static final String POLICY = "arn:aws:iam::aws:policy/";
    /** As a user might write it: keys in no particular order, spaces and line breaks. */
    private static final String EC2_TRUST = """
            {
              "Version": "2012-10-17",
              "Statement": [ { "Effect": "Allow", "Principal": { "Service": "ec2.amazonaws.com" },
                               "Action": "sts:AssumeRole" } ]
            }""";
    private static final String EKS_TRUST = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Principal\":{\"Service\":\"eks.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}";

    /** As a user might write it (key order, spaces); IAM returns it URL-encoded. */
    private static final String S3_READ = """
            { "Statement": [ { "Resource": "*", "Action": ["s3:GetObject", "s3:ListBucket"], "Effect": "Allow" } ],
              "Version": "2012-10-17" }""";
    private static final String DYNAMO_READ = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\","
            + "\"Action\":\"dynamodb:GetItem\",\"Resource\":\"*\"}]}";

    @Override
    protected String region() {
        return "eu-south-1";
    }

    private IamClient iam() {
        return clients.client(IamClient.class, IamClient::builder);
    }

    private Role rawRole(String name) {
        return iam().getRole(b -> b.roleName(name)).role();
    }

    private List<String> rawAttached(String name) {
        return iam().listAttachedRolePolicies(b -> b.roleName(name)).attachedPolicies().stream()
                .map(AttachedPolicy::policyArn).sorted().toList();
    }

    private static Map<String, String> tagMap(List<software.amazon.awssdk.services.iam.model.Tag> tags) {
        Map<String, String> out = new TreeMap<>();
        tags.forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    private ResourceSpec roleSpec(String address, String name, String trust, List<String> managed, Map<String, String> tags) {
        return roleSpec(address, name, trust, managed, null, tags);
    }

    /** {@code inline} null: no inlinePolicy attribute (the role has no inline policy). */
    private ResourceSpec roleSpec(String address, String name, String trust, List<String> managed, String inline,
                                  Map<String, String> tags) {
        return spec(address, IamRoleProvider.TYPE, attributes("name", name, "assumeRolePolicy", trust,
                "managedPolicyArns", managed, "inlinePolicy", inline), tags);
    }

    /** The role's inline policy {@code infra} as IAM returns it (URL-encoded), decoded and canonical; null if none. */
    private String rawInline(String name) {
        try {
            return Policies.canonical(URLDecoder.decode(iam().getRolePolicy(b -> b.roleName(name).policyName("infra"))
                    .policyDocument(), StandardCharsets.UTF_8));
        } catch (NoSuchEntityException e) {
            return null;
        }
    }

    private ResourceSpec profileSpec(String address, String name, String role, Map<String, String> tags) {
        return spec(address, IamInstanceProfileProvider.TYPE, Map.of("name", name, "roleName", role), tags);
    }

    @Test
    void roleLifecycle() {
        IamRoleProvider roles = new IamRoleProvider(clients);
        String address = "cluster.apps/node-role";
        String name = stack + "-node";
        ResourceSpec spec = roleSpec(address, name, EC2_TRUST,
                List.of(POLICY + "AmazonEC2ContainerRegistryReadOnly", POLICY + "AmazonSSMManagedInstanceCore"),
                S3_READ, Map.of("team", "platform", "retired", "soon"));

        LiveResource created = roles.create(spec, ctx(address));

        assertThat(created.id()).isEqualTo(name);
        Role raw = rawRole(name);
        assertThat(raw.path()).isEqualTo("/infra/" + stack + "/");
        assertThat(Policies.canonical(URLDecoder.decode(raw.assumeRolePolicyDocument(), StandardCharsets.UTF_8)))
                .isEqualTo(Policies.canonical(EC2_TRUST));
        assertThat(tagMap(raw.tags())).isEqualTo(spec.tags());
        assertThat(rawAttached(name)).containsExactly(POLICY + "AmazonEC2ContainerRegistryReadOnly",
                POLICY + "AmazonSSMManagedInstanceCore");
        assertThat(rawInline(name)).isEqualTo(Policies.canonical(S3_READ));
        assertMatchesSpec(created, spec, "assumeRolePolicy", "inlinePolicy");
        assertThat(created.attributes()).containsEntry("assumeRolePolicy", Policies.canonical(EC2_TRUST))
                .containsEntry("inlinePolicy", Policies.canonical(S3_READ))
                .containsEntry("arn", raw.arn());

        ResourceSpec changed = roleSpec(address, name, EKS_TRUST,
                List.of(POLICY + "AmazonSSMManagedInstanceCore", POLICY + "AmazonEKSWorkerNodePolicy"),
                DYNAMO_READ, Map.of("team", "apps"));
        LiveResource updated = roles.update(created, changed,
                Set.of("assumeRolePolicy", "managedPolicyArns", "inlinePolicy", "tags"), ctx(address));

        raw = rawRole(name);
        assertThat(URLDecoder.decode(raw.assumeRolePolicyDocument(), StandardCharsets.UTF_8)).contains("eks.amazonaws.com");
        assertThat(tagMap(raw.tags())).isEqualTo(changed.tags());
        assertThat(rawAttached(name)).containsExactly(POLICY + "AmazonEKSWorkerNodePolicy",
                POLICY + "AmazonSSMManagedInstanceCore");
        assertThat(rawInline(name)).isEqualTo(Policies.canonical(DYNAMO_READ));
        assertThat(updated.attributes()).containsEntry("assumeRolePolicy", Policies.canonical(EKS_TRUST))
                .containsEntry("inlinePolicy", Policies.canonical(DYNAMO_READ))
                .containsEntry("managedPolicyArns", List.of(POLICY + "AmazonEKSWorkerNodePolicy",
                        POLICY + "AmazonSSMManagedInstanceCore"));

        clients.counter().reset();
        assertThat(roles.readAll(ReadRequest.of(stack, Set.of(name)))).containsExactly(updated);
        // One ListRoles under the stack's path; tags, attached and inline policy per role listed (no batch reads).
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of("Iam", Map.of("ListRoles", 1L, "ListRoleTags", 1L,
                "ListAttachedRolePolicies", 1L, "GetRolePolicy", 1L)));
        assertThat(roles.findExisting(stack, changed)).contains(updated);

        // inlinePolicy absent: the inline policy goes.
        ResourceSpec withoutInline = roleSpec(address, name, EKS_TRUST,
                List.of(POLICY + "AmazonSSMManagedInstanceCore", POLICY + "AmazonEKSWorkerNodePolicy"),
                Map.of("team", "apps"));
        updated = roles.update(updated, withoutInline, Set.of("inlinePolicy"), ctx(address));
        assertThat(rawInline(name)).isNull();
        assertThat(updated.attributes()).doesNotContainKey("inlinePolicy");
        assertThat(roles.findExisting("some-other-stack", changed)).isEmpty();

        // Delete must first detach policies, delete inline ones and leave instance profiles.
        iam().putRolePolicy(b -> b.roleName(name).policyName("inline").policyDocument(
                "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:ListBucket\",\"Resource\":\"*\"}]}"));
        String profile = stack + "-holder";
        iam().createInstanceProfile(b -> b.instanceProfileName(profile));
        iam().addRoleToInstanceProfile(b -> b.instanceProfileName(profile).roleName(name));

        roles.delete(updated, ctx(address));

        assertThat(iam().getInstanceProfile(b -> b.instanceProfileName(profile)).instanceProfile().roles()).isEmpty();
        assertNoSuchEntity(() -> rawRole(name));
        assertThat(roles.readAll(ReadRequest.of(stack, Set.of(name)))).isEmpty();
        roles.delete(updated, ctx(address)); // already gone: fine
        iam().deleteInstanceProfile(b -> b.instanceProfileName(profile));
    }

    @Test
    void instanceProfileLifecycle() {
        IamRoleProvider roles = new IamRoleProvider(clients);
        IamInstanceProfileProvider profiles = new IamInstanceProfileProvider(clients);
        LiveResource first = roles.create(roleSpec("app/role.first", stack + "-first", EC2_TRUST, List.of(), Map.of()),
                ctx("first"));
        LiveResource second = roles.create(roleSpec("app/role.second", stack + "-second", EC2_TRUST, List.of(), Map.of()),
                ctx("second"));
        String address = "app/instance-profile";
        String name = stack + "-profile";
        ResourceSpec spec = profileSpec(address, name, first.id(), Map.of("team", "platform"));

        LiveResource created = profiles.create(spec, ctx(address));

        InstanceProfile raw = iam().getInstanceProfile(b -> b.instanceProfileName(name)).instanceProfile();
        assertThat(raw.path()).isEqualTo("/infra/" + stack + "/");
        assertThat(raw.roles()).extracting(Role::roleName).containsExactly(first.id());
        assertThat(tagMap(raw.tags())).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);
        assertThat(created.attributes()).containsEntry("arn", raw.arn());

        ResourceSpec changed = profileSpec(address, name, second.id(), Map.of("team", "apps"));
        LiveResource updated = profiles.update(created, changed, Set.of("roleName", "tags"), ctx(address));

        raw = iam().getInstanceProfile(b -> b.instanceProfileName(name)).instanceProfile();
        assertThat(raw.roles()).extracting(Role::roleName).containsExactly(second.id());
        assertThat(tagMap(raw.tags())).isEqualTo(changed.tags());
        assertMatchesSpec(updated, changed);

        // Another stack's profile, outside this stack's path: not read.
        iam().createInstanceProfile(b -> b.instanceProfileName(stack + "-foreign").path("/infra/other-stack/"));
        clients.counter().reset();
        assertThat(profiles.readAll(ReadRequest.of(stack, Set.of()))).containsExactly(updated);
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of("Iam",
                Map.of("ListInstanceProfiles", 1L, "GetInstanceProfile", 1L)));
        assertThat(profiles.findExisting(stack, changed)).contains(updated);

        profiles.delete(updated, ctx(address));
        assertNoSuchEntity(() -> iam().getInstanceProfile(b -> b.instanceProfileName(name)));
        profiles.delete(updated, ctx(address));
        roles.delete(first, ctx("first"));
        roles.delete(second, ctx("second"));
        iam().deleteInstanceProfile(b -> b.instanceProfileName(stack + "-foreign"));
    }

    /** A role EKS maps (the node role) is made at the path the spec gives, so its ARN is the one aws-auth matches. */
    @Test
    void aRoleWithAPathOfItsOwnIsMadeThereAndFoundThroughState() {
        IamRoleProvider roles = new IamRoleProvider(clients);
        String address = "cluster.apps/node-role";
        String name = stack + "-node-root";
        Map<String, Object> a = new TreeMap<>(Map.of("name", name, "assumeRolePolicy", EC2_TRUST,
                "managedPolicyArns", List.of(), "path", "/"));
        ResourceSpec spec = spec(address, IamRoleProvider.TYPE, a, Map.of());

        LiveResource created = roles.create(spec, ctx(address));

        Role raw = rawRole(name);
        assertThat(raw.path()).isEqualTo("/");
        assertThat(raw.arn()).endsWith(":role/" + name);
        assertThat(created.attributes()).containsEntry("path", "/").containsEntry("arn", raw.arn());
        assertThat(roles.readAll(ReadRequest.of(stack, Set.of(name)))).containsExactly(created);
        assertThat(roles.findExisting(stack, spec)).contains(created);
        roles.delete(created, ctx(address));
        assertNoSuchEntity(() -> rawRole(name));
    }

    @Test
    void readAllFindsStateIdsThatLostTheirStackTag() {
        IamRoleProvider roles = new IamRoleProvider(clients);
        String name = stack + "-untagged";
        LiveResource role = roles.create(roleSpec("app/role", name, EC2_TRUST, List.of(), Map.of()), ctx("app/role"));
        iam().untagRole(b -> b.roleName(name).tagKeys("infra:stack"));

        assertThat(roles.readAll(ReadRequest.of(stack, Set.of()))).isEmpty();
        assertThat(roles.readAll(ReadRequest.of(stack, Set.of(name, stack + "-never-made"))))
                .singleElement().satisfies(r -> {
                    assertThat(r.id()).isEqualTo(name);
                    assertThat(r.address()).isEqualTo("app/role");
                });
        roles.delete(role, ctx("app/role"));
    }

    @Test
    void addingARoleIamDoesNotSeeYetIsRetried() {
        // IAM is eventually consistent: a role made a moment ago may still be NoSuchEntity to AddRoleToInstanceProfile.
        IamRoleProvider roles = new IamRoleProvider(clients);
        LiveResource role = roles.create(roleSpec("app/role", stack + "-fresh", EC2_TRUST, List.of(), Map.of()), ctx("r"));
        try (AwsClients flaky = Emulator.clients(region(),
                Faults.awsError("AddRoleToInstanceProfile", 2, 404, "NoSuchEntity"))) {
            String address = "app/instance-profile";
            SleepingOperationContext ctx = ctx(address);

            LiveResource created = new IamInstanceProfileProvider(flaky)
                    .create(profileSpec(address, stack + "-fresh", role.id(), Map.of()), ctx);

            assertThat(ctx.sleeps()).isEqualTo(2);
            assertThat(iam().getInstanceProfile(b -> b.instanceProfileName(created.id())).instanceProfile().roles())
                    .extracting(Role::roleName).containsExactly(role.id());
            new IamInstanceProfileProvider(flaky).delete(created, ctx);
        }
        roles.delete(role, ctx("r"));
    }

    @Test
    void createThatTookEffectDespiteAServerErrorIsAdoptedNotRepeated() {
        try (AwsClients flaky = Emulator.clients(region(), Faults.loseAnswer("CreateRole", 1))) {
            String address = "app/role";
            String name = stack + "-lost-answer";
            IamRoleProvider roles = new IamRoleProvider(flaky);

            LiveResource created = roles.create(roleSpec(address, name, EC2_TRUST,
                    List.of(POLICY + "AmazonSSMManagedInstanceCore"), Map.of()), ctx(address));

            assertThat(flaky.counter().count("Iam", "CreateRole")).isEqualTo(1);
            assertThat(created.id()).isEqualTo(name);
            assertThat(rawAttached(name)).containsExactly(POLICY + "AmazonSSMManagedInstanceCore");
            roles.delete(created, ctx(address));
        }
    }

    /** Not a two-minute "IAM propagation" wait: GetPolicy says the policy does not exist, and the create fails. */
    @Test
    void aManagedPolicyThatDoesNotExistFailsAtOnce() {
        IamRoleProvider roles = new IamRoleProvider(clients);
        String address = "app/role.typo";
        String name = stack + "-typo";
        SleepingOperationContext ctx = ctx(address);
        long start = System.nanoTime();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> roles.create(roleSpec(address, name, EC2_TRUST,
                        List.of(POLICY + "AmazonSSMManagedInstanceCoreTypo"), Map.of()), ctx))
                .isInstanceOf(dev.infra.core.provider.ProviderException.class)
                .hasMessage(address + ": managed policy " + POLICY + "AmazonSSMManagedInstanceCoreTypo does not exist"
                        + " (GetPolicy: NoSuchEntity); check managedPolicyArns");

        assertThat(ctx.sleeps()).isZero();
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(10));
        roles.delete(LiveResource.of(name, address, Map.of()), ctx);
    }

    private static void assertNoSuchEntity(Runnable call) {
        org.assertj.core.api.Assertions.assertThatThrownBy(call::run).isInstanceOf(NoSuchEntityException.class);
    }
}
