package dev.infra.providers.opensearch;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.DescribeDomainResponse;
import software.amazon.awssdk.services.opensearch.model.DomainStatus;
import software.amazon.awssdk.services.opensearch.model.EngineType;
import software.amazon.awssdk.services.opensearch.model.GetUpgradeStatusResponse;
import software.amazon.awssdk.services.opensearch.model.ResourceNotFoundException;
import software.amazon.awssdk.services.opensearch.model.Tag;
import software.amazon.awssdk.services.opensearch.model.UpgradeStatus;
import software.amazon.awssdk.services.opensearch.model.UpgradeStep;
import software.amazon.awssdk.services.opensearch.model.VolumeType;

/**
 * OpenSearch domains against the emulator, in ap-northeast-2. The subnets, security groups and KMS key a domain
 * names are made with raw SDK calls. The emulator's domains are ready at once and its upgrades (a launcher patch) end
 * at once; the slow and failing paths are tested by rewriting its answers.
 */
class OpenSearchIT extends ProviderTestSupport {

    private String subnetA;
    private String subnetB;
    private String groupA;
    private String groupB;
    private String keyArn;

    @Override
    protected String region() {
        return "ap-northeast-2";
    }

    @BeforeAll
    void prerequisites() {
        Ec2Client ec2 = clients.ec2();
        String vpc = ec2.createVpc(b -> b.cidrBlock("10.60.0.0/16")).vpc().vpcId();
        subnetA = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.60.1.0/24").availabilityZone("ap-northeast-2a"))
                .subnet().subnetId();
        subnetB = ec2.createSubnet(b -> b.vpcId(vpc).cidrBlock("10.60.2.0/24").availabilityZone("ap-northeast-2b"))
                .subnet().subnetId();
        groupA = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName("search-a").description("search A")).groupId();
        groupB = ec2.createSecurityGroup(b -> b.vpcId(vpc).groupName("search-b").description("search B")).groupId();
        keyArn = clients.client(KmsClient.class, KmsClient::builder).createKey(b -> b.description("search at rest"))
                .keyMetadata().arn();
    }

    private OpenSearchClient openSearch() {
        return clients.client(OpenSearchClient.class, OpenSearchClient::builder);
    }

    private DomainStatus raw(String name) {
        return openSearch().describeDomain(b -> b.domainName(name)).domainStatus();
    }

    private Map<String, String> rawTags(String name) {
        Map<String, String> out = new TreeMap<>();
        openSearch().listTags(b -> b.arn(raw(name).arn())).tagList().forEach(t -> out.put(t.key(), t.value()));
        return out;
    }

    /** Clean-up that does not hide a test's failure when the domain was never made. */
    private void deleteQuietly(String name) {
        try {
            openSearch().deleteDomain(b -> b.domainName(name));
        } catch (ResourceNotFoundException e) {
            // never created
        }
    }

    /** Domains of the emulator's region, whoever made them: readAll reads them all. */
    private int domainsInRegion() {
        return openSearch().listDomainNames(b -> b.engineType(EngineType.OPEN_SEARCH)).domainNames().size();
    }

    private String domainName(String suffix) {
        return "logs-" + stack.substring(3) + suffix;
    }

    private ResourceSpec domainSpec(String address, String name, String version, String instanceType, long count,
                                    boolean zoneAware, List<String> groups, long volume, String tls,
                                    Map<String, String> userTags) {
        Map<String, Object> a = new TreeMap<>();
        a.put("name", name);
        a.put("engineVersion", version);
        a.put("instanceType", instanceType);
        a.put("instanceCount", count);
        a.put("zoneAwareness", zoneAware);
        a.put("subnetIds", List.of(subnetA, subnetB));
        a.put("securityGroupIds", groups);
        a.put("ebsVolumeSize", volume);
        a.put("encryptAtRest", true);
        a.put("kmsKeyId", keyArn);
        a.put("nodeToNodeEncryption", true);
        a.put("enforceHttps", true);
        a.put("tlsPolicy", tls);
        return spec(address, OpenSearchDomainProvider.TYPE, a, userTags);
    }

    private ResourceSpec simpleSpec(String address, String name) {
        return domainSpec(address, name, "OpenSearch_2.11", "t3.medium.search", 1, false, List.of(groupA), 10,
                "Policy-Min-TLS-1-2-2019-07", Map.of());
    }

    @Test
    void schemaFollowsTheContract() {
        ResourceSchema schema = new OpenSearchDomainProvider(clients).schema();
        assertThat(schema.updatable()).containsExactlyInAnyOrder("tags", "engineVersion", "instanceType",
                "instanceCount", "zoneAwareness", "securityGroupIds", "ebsVolumeSize", "enforceHttps", "tlsPolicy", "logPublishing");
        assertThat(schema.computed()).containsExactlyInAnyOrder("endpoint", "arn");
        assertThat(schema.unordered()).containsExactlyInAnyOrder("subnetIds", "securityGroupIds");
        for (String forcing : List.of("name", "subnetIds", "encryptAtRest", "kmsKeyId", "nodeToNodeEncryption")) {
            assertThat(schema.forcesReplacement(forcing)).as(forcing).isTrue();
        }
    }

    /**
     * On an account without OpenSearch's service-linked role (AWS refuses a VPC domain there, and so does the emulator),
     * the role is made first and kept: it is the account's; a second domain finds it and makes none.
     */
    @Test
    void aVpcDomainOnAFreshAccountGetsTheServiceLinkedRoleFirst() {
        IamClient iam = clients.client(IamClient.class, IamClient::builder);
        String path = "/aws-service-role/opensearchservice.amazonaws.com/";
        iam.listRolesPaginator(b -> b.pathPrefix(path)).roles()
                .forEach(r -> iam.deleteServiceLinkedRole(b -> b.roleName(r.roleName())));
        OpenSearchDomainProvider domains = new OpenSearchDomainProvider(clients);
        String address = "monitoring/search-fresh";

        LiveResource created = domains.create(simpleSpec(address, domainName("f")), ctx(address));

        assertThat(raw(domainName("f")).vpcOptions().subnetIds()).isNotEmpty();
        // AWS names it AWSServiceRoleForAmazonOpenSearchService (moto: AWSServiceRoleForopensearchservice); its path is
        // the service's either way.
        assertThat(iam.listRoles(b -> b.pathPrefix(path)).roles()).hasSize(1);
        clients.counter().reset();
        LiveResource second = domains.create(simpleSpec("monitoring/search-fresh-2", domainName("g")),
                ctx("monitoring/search-fresh-2"));
        assertThat(clients.counter().snapshot().getOrDefault("Iam", Map.of())).doesNotContainKey("CreateServiceLinkedRole");
        domains.delete(created, ctx(address));
        domains.delete(second, ctx("monitoring/search-fresh-2"));
        assertThat(iam.listRoles(b -> b.pathPrefix(path)).roles()).as("never deleted").hasSize(1);
    }

    @Test
    void domainLifecycle() {
        OpenSearchDomainProvider domains = new OpenSearchDomainProvider(clients);
        String address = "monitoring/search";
        String name = domainName("");
        ResourceSpec spec = domainSpec(address, name, "OpenSearch_2.11", "r6g.large.search", 2, true, List.of(groupA),
                20, "Policy-Min-TLS-1-2-2019-07", Map.of("team", "platform", "retired", "soon"));

        LiveResource created = domains.create(spec, ctx(address));

        DomainStatus raw = raw(name);
        assertThat(raw.engineVersion()).isEqualTo("OpenSearch_2.11");
        assertThat(raw.clusterConfig().instanceTypeAsString()).isEqualTo("r6g.large.search");
        assertThat(raw.clusterConfig().instanceCount()).isEqualTo(2);
        assertThat(raw.clusterConfig().zoneAwarenessEnabled()).isTrue();
        assertThat(raw.clusterConfig().zoneAwarenessConfig().availabilityZoneCount()).isEqualTo(2);
        assertThat(raw.vpcOptions().subnetIds()).containsExactlyInAnyOrder(subnetA, subnetB);
        assertThat(raw.vpcOptions().securityGroupIds()).containsExactly(groupA);
        assertThat(raw.ebsOptions().ebsEnabled()).isTrue();
        assertThat(raw.ebsOptions().volumeType()).isEqualTo(VolumeType.GP3);
        assertThat(raw.ebsOptions().volumeSize()).isEqualTo(20);
        assertThat(raw.encryptionAtRestOptions().enabled()).isTrue();
        assertThat(raw.encryptionAtRestOptions().kmsKeyId()).isEqualTo(keyArn);
        assertThat(raw.nodeToNodeEncryptionOptions().enabled()).isTrue();
        assertThat(raw.domainEndpointOptions().enforceHTTPS()).isTrue();
        assertThat(raw.domainEndpointOptions().tlsSecurityPolicyAsString()).isEqualTo("Policy-Min-TLS-1-2-2019-07");
        assertThat(rawTags(name)).isEqualTo(spec.tags());
        assertMatchesSpec(created, spec);
        assertThat(created.id()).isEqualTo(name);
        assertThat(created.attributes()).containsEntry("endpoint", raw.endpoints().get("vpc"))
                .containsEntry("arn", raw.arn());

        ResourceSpec changed = domainSpec(address, name, "OpenSearch_2.13", "r6g.xlarge.search", 4, true,
                List.of(groupB, groupA), 30, "Policy-Min-TLS-1-2-PFS-2023-10", Map.of("team", "security"));
        // At plan time: only what GetCompatibleVersions lists for the domain, never down.
        assertThat(domains.refusals(created, changed.attributes())).isEmpty();
        assertThat(domains.refusals(created, Map.of("engineVersion", "OpenSearch_3.1"))).singleElement()
                .isEqualTo("engineVersion OpenSearch_2.11 → OpenSearch_3.1: OpenSearch Service upgrades a domain only"
                        + " along its upgrade paths, never down; from OpenSearch_2.11 it offers OpenSearch_2.13,"
                        + " OpenSearch_2.15, OpenSearch_2.17, OpenSearch_2.19 (one step per apply)");
        assertThat(domains.refusals(created, Map.of("engineVersion", "OpenSearch_1.3"))).hasSize(1);
        clients.counter().reset();
        LiveResource updated = domains.update(created, changed, Set.of("engineVersion", "instanceType", "instanceCount",
                "securityGroupIds", "ebsVolumeSize", "tlsPolicy", "tags"), ctx(address));

        raw = raw(name);
        assertThat(raw.engineVersion()).isEqualTo("OpenSearch_2.13");
        assertThat(raw.clusterConfig().instanceTypeAsString()).isEqualTo("r6g.xlarge.search");
        assertThat(raw.clusterConfig().instanceCount()).isEqualTo(4);
        assertThat(raw.clusterConfig().zoneAwarenessEnabled()).isTrue();
        assertThat(raw.vpcOptions().subnetIds()).containsExactlyInAnyOrder(subnetA, subnetB);
        assertThat(raw.vpcOptions().securityGroupIds()).containsExactlyInAnyOrder(groupA, groupB);
        assertThat(raw.ebsOptions().volumeSize()).isEqualTo(30);
        assertThat(raw.ebsOptions().volumeType()).isEqualTo(VolumeType.GP3);
        assertThat(raw.domainEndpointOptions().tlsSecurityPolicyAsString()).isEqualTo("Policy-Min-TLS-1-2-PFS-2023-10");
        assertThat(raw.domainEndpointOptions().enforceHTTPS()).isTrue();
        assertThat(raw.encryptionAtRestOptions().kmsKeyId()).isEqualTo(keyArn);
        assertThat(rawTags(name)).isEqualTo(changed.tags()).doesNotContainKey("retired");
        GetUpgradeStatusResponse upgrade = openSearch().getUpgradeStatus(b -> b.domainName(name));
        assertThat(upgrade.upgradeStep()).isEqualTo(UpgradeStep.UPGRADE);
        assertThat(upgrade.stepStatus()).isEqualTo(UpgradeStatus.SUCCEEDED);
        assertMatchesSpec(updated, changed);
        // One configuration change for all sections, one upgrade.
        assertThat(clients.counter().count("OpenSearch", "UpdateDomainConfig")).isEqualTo(1);
        assertThat(clients.counter().count("OpenSearch", "UpgradeDomain")).isEqualTo(1);

        // The security groups in another order: a set, unchanged.
        ResourceSpec single = domainSpec(address, name, "OpenSearch_2.13", "r6g.xlarge.search", 4, false,
                List.of(groupA, groupB), 30, "Policy-Min-TLS-1-2-PFS-2023-10", Map.of("team", "security"));
        clients.counter().reset();
        LiveResource unaware = domains.update(updated, single, Set.of("zoneAwareness"), ctx(address));
        assertThat(raw(name).clusterConfig().zoneAwarenessEnabled()).isFalse();
        assertMatchesSpec(unaware, single, "securityGroupIds");
        assertThat(unaware.attributes().get("securityGroupIds")).asList().containsExactlyInAnyOrder(groupA, groupB);
        assertThat(clients.counter().count("OpenSearch", "UpgradeDomain")).isZero();
        assertThat(clients.counter().count("OpenSearch", "UpdateDomainConfig")).isEqualTo(1);

        int inRegion = domainsInRegion();
        clients.counter().reset();
        List<LiveResource> all = domains.readAll(ReadRequest.of(stack, Set.of(name)));
        assertThat(all).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(name);
            assertMatchesSpec(r, changed, "zoneAwareness");
        });
        // ListDomainNames, DescribeDomains per five domains, ListTags per domain of the region (no tag filter).
        assertThat(clients.counter().snapshot()).isEqualTo(Map.of("OpenSearch", Map.of(
                "ListDomainNames", 1L, "DescribeDomains", (long) (inRegion + 4) / 5, "ListTags", (long) inRegion)));

        assertThat(domains.findExisting(stack, single)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(name));
        assertThatThrownBy(() -> domains.findExisting("some-other-stack", single))
                .isInstanceOf(ProviderException.class)
                .hasMessageContaining("already exists and belongs to " + address + " of stack " + stack);

        domains.delete(unaware, ctx(address));
        assertThatThrownBy(() -> raw(name)).isInstanceOf(ResourceNotFoundException.class);
        assertThat(domains.readAll(ReadRequest.of(stack, Set.of(name)))).isEmpty();
        assertThat(domains.findExisting(stack, single)).isEmpty();
        domains.delete(unaware, ctx(address)); // already gone: fine
    }

    /** DescribeDomains takes five names at most; a domain that lost its stack tag is still read by its state id. */
    @Test
    void readAllBatchesDescribeDomainsAndReadsStateIdsWithoutStackTag() {
        OpenSearchDomainProvider domains = new OpenSearchDomainProvider(clients);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String name = domainName("-" + i);
            String address = "monitoring/search" + i;
            openSearch().createDomain(b -> b.domainName(name).engineVersion("OpenSearch_2.11").tagList(
                    Tag.builder().key("infra:stack").value(stack).build(),
                    Tag.builder().key("infra:address").value(address).build()));
            names.add(name);
        }
        String foreign = domainName("-x");
        openSearch().createDomain(b -> b.domainName(foreign).engineVersion("OpenSearch_2.11")
                .tagList(Tag.builder().key("infra:stack").value("their-stack").build()));
        try {
            int inRegion = domainsInRegion();
            assertThat(inRegion).isGreaterThanOrEqualTo(7);
            clients.counter().reset();
            assertThat(domains.readAll(ReadRequest.of(stack, Set.of()))).extracting(LiveResource::id)
                    .containsExactlyInAnyOrderElementsOf(names);
            assertThat(clients.counter().count("OpenSearch", "DescribeDomains")).isEqualTo((inRegion + 4) / 5);
            assertThat(clients.counter().count("OpenSearch", "ListTags")).isEqualTo(inRegion);

            String untagged = names.get(0);
            openSearch().removeTags(b -> b.arn(raw(untagged).arn()).tagKeys("infra:stack"));
            clients.counter().reset();
            List<LiveResource> read = domains.readAll(ReadRequest.of(stack, Set.of(untagged, "logs-gone")));
            assertThat(read).extracting(LiveResource::id).containsExactlyInAnyOrderElementsOf(names);
            assertThat(read).filteredOn(r -> r.id().equals(untagged)).singleElement()
                    .satisfies(r -> assertThat(r.address()).isEqualTo("monitoring/search0"));
            // The state ids the stack's read missed: one more DescribeDomains (both names) and one ListTags.
            assertThat(clients.counter().count("OpenSearch", "DescribeDomains")).isEqualTo((inRegion + 4) / 5 + 1);
            assertThat(clients.counter().count("OpenSearch", "ListTags")).isEqualTo(inRegion + 1);
        } finally {
            names.forEach(this::deleteQuietly);
            deleteQuietly(foreign);
        }
    }

    /** A domain still processing, or without an endpoint yet, is waited for. */
    @Test
    void createWaitsUntilTheDomainIsReady() {
        AtomicInteger busy = new AtomicInteger(2);
        try (AwsClients slow = Emulator.clients(region(), Faults.rewrite(DescribeDomainResponse.class,
                r -> busy.getAndDecrement() > 0 ? r.toBuilder().domainStatus(r.domainStatus().toBuilder()
                        .processing(true).endpoints(Map.of()).endpoint(null).build()).build() : r))) {
            String address = "monitoring/slow";
            String name = domainName("-slow");
            SleepingOperationContext ctx = SleepingOperationContext.pretending(address);

            LiveResource created = new OpenSearchDomainProvider(slow).create(simpleSpec(address, name), ctx);

            // Two answers processing, the third ready.
            assertThat(slow.counter().count("OpenSearch", "DescribeDomain")).isEqualTo(3);
            assertThat(ctx.sleeps()).isEqualTo(2);
            assertThat(created.attributes()).containsEntry("endpoint", raw(name).endpoints().get("vpc"));
        } finally {
            deleteQuietly(domainName("-slow"));
        }
    }

    /**
     * A domain still processing a change (one made outside infra, here three answers say so) is not sent UpgradeDomain,
     * which AWS refuses then: the upgrade waits until it has settled.
     */
    @Test
    void anUpgradeWaitsUntilTheDomainHasSettled() {
        String address = "monitoring/settling";
        String name = domainName("-set");
        LiveResource created = new OpenSearchDomainProvider(clients).create(simpleSpec(address, name), ctx(address));
        AtomicInteger busy = new AtomicInteger(3);
        try (AwsClients settling = Emulator.clients(region(), Faults.rewrite(DescribeDomainResponse.class,
                r -> busy.get() > 0 && r.domainStatus().engineVersion().equals("OpenSearch_2.11")
                        && busy.getAndDecrement() > 0
                        ? r.toBuilder().domainStatus(r.domainStatus().toBuilder().processing(true).build()).build() : r))) {
            ResourceSpec newer = domainSpec(address, name, "OpenSearch_2.13", "t3.medium.search", 1, false,
                    List.of(groupA), 10, "Policy-Min-TLS-1-2-2019-07", Map.of());
            SleepingOperationContext ctx = SleepingOperationContext.pretending(address);
            new OpenSearchDomainProvider(settling).update(created, newer, Set.of("engineVersion"), ctx);

            assertThat(busy.get()).isZero();
            assertThat(ctx.sleeps()).isGreaterThanOrEqualTo(2);
            assertThat(raw(name).engineVersion()).isEqualTo("OpenSearch_2.13");
        } finally {
            deleteQuietly(name);
        }
    }

    /** An upgrade that ends without the new version is failed with the step GetUpgradeStatus names. */
    @Test
    void failedUpgradeIsReported() {
        String address = "monitoring/upgrade";
        String name = domainName("-up");
        LiveResource created = new OpenSearchDomainProvider(clients).create(simpleSpec(address, name), ctx(address));
        try (AwsClients failing = Emulator.clients(region(),
                Faults.rewrite(DescribeDomainResponse.class, r -> r.toBuilder().domainStatus(r.domainStatus().toBuilder()
                        .engineVersion("OpenSearch_2.11").upgradeProcessing(false).build()).build()),
                Faults.rewrite(GetUpgradeStatusResponse.class, r -> r.toBuilder().upgradeStep(UpgradeStep.SNAPSHOT)
                        .stepStatus(UpgradeStatus.FAILED).build()))) {
            ResourceSpec newer = domainSpec(address, name, "OpenSearch_2.13", "t3.medium.search", 1, false,
                    List.of(groupA), 10, "Policy-Min-TLS-1-2-2019-07", Map.of());
            assertThatThrownBy(() -> new OpenSearchDomainProvider(failing).update(created, newer,
                    Set.of("engineVersion"), SleepingOperationContext.pretending(address)))
                    .isInstanceOf(ProviderException.class)
                    .hasMessageStartingWith(address + ": ")
                    .hasMessageContaining("upgrade of OpenSearch domain " + name + " to OpenSearch_2.13 failed at step SNAPSHOT");
        } finally {
            deleteQuietly(name);
        }
    }

    @Test
    void createThatTookEffectDespiteAServerErrorIsAdoptedNotRepeated() {
        String address = "monitoring/lost";
        String name = domainName("-lost");
        try (AwsClients flaky = Emulator.clients(region(), Faults.loseAnswer("CreateDomain", 1))) {
            LiveResource created = new OpenSearchDomainProvider(flaky).create(simpleSpec(address, name), ctx(address));

            assertThat(flaky.counter().count("OpenSearch", "CreateDomain")).isEqualTo(1);
            assertThat(created.id()).isEqualTo(name);
            assertThat(rawTags(name)).containsEntry("infra:address", address);
        } finally {
            deleteQuietly(name);
        }
    }
}
