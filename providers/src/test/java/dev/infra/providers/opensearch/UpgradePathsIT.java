package dev.infra.providers.opensearch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.infra.providers.testing.ProviderTestSupport;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.opensearch.OpenSearchClient;
import software.amazon.awssdk.services.opensearch.model.CompatibleVersionsMap;
import software.amazon.awssdk.services.opensearch.model.ValidationException;

/**
 * OpenSearch Service's upgrade paths, and the emulator with them (moto_launcher.py's patch_opensearch_upgrade_domain),
 * through raw SDK calls: GetCompatibleVersions lists a domain's targets, UpgradeDomain refuses any other (a jump past
 * 2.19, a downgrade, the version the domain runs) and takes a listed one.
 */
class UpgradePathsIT extends ProviderTestSupport {

    @Override
    protected String region() {
        return "sa-east-1";
    }

    private OpenSearchClient openSearch() {
        return clients.client(OpenSearchClient.class, OpenSearchClient::builder);
    }

    private String domain(String version) {
        String name = stack.replace("it-", "os");
        openSearch().createDomain(b -> b.domainName(name).engineVersion(version));
        return name;
    }

    private List<String> targets(String domain) {
        List<CompatibleVersionsMap> all = openSearch().getCompatibleVersions(b -> b.domainName(domain)).compatibleVersions();
        assertThat(all).hasSize(1);
        return all.get(0).targetVersions();
    }

    private String version(String domain) {
        return openSearch().describeDomain(b -> b.domainName(domain)).domainStatus().engineVersion();
    }

    @Test
    void upgradesFollowTheListedPathsOnly() {
        String name = domain("OpenSearch_2.13");
        assertThat(targets(name)).containsExactly("OpenSearch_2.15", "OpenSearch_2.17", "OpenSearch_2.19");
        for (String refused : List.of("OpenSearch_3.1", "OpenSearch_2.11", "OpenSearch_2.13", "Elasticsearch_7.10")) {
            assertThatThrownBy(() -> openSearch().upgradeDomain(b -> b.domainName(name).targetVersion(refused)))
                    .isInstanceOfSatisfying(ValidationException.class, e -> assertThat(e.awsErrorDetails().errorMessage())
                            .contains("from OpenSearch_2.13 to " + refused + " is not a supported upgrade path"));
        }
        assertThat(version(name)).isEqualTo("OpenSearch_2.13");

        openSearch().upgradeDomain(b -> b.domainName(name).targetVersion("OpenSearch_2.19"));
        assertThat(version(name)).isEqualTo("OpenSearch_2.19");
        // 2.19 is the way to 3.x.
        assertThat(targets(name)).containsExactly("OpenSearch_3.1", "OpenSearch_3.3");
        openSearch().upgradeDomain(b -> b.domainName(name).targetVersion("OpenSearch_3.3"));
        assertThat(version(name)).isEqualTo("OpenSearch_3.3");
        assertThat(targets(name)).isEmpty();
        openSearch().deleteDomain(b -> b.domainName(name));
    }

    @Test
    void elasticsearchGoesToOpenSearchOneOnly() {
        String name = domain("Elasticsearch_7.10");
        assertThat(targets(name)).containsExactly("OpenSearch_1.0", "OpenSearch_1.1", "OpenSearch_1.2", "OpenSearch_1.3");
        assertThatThrownBy(() -> openSearch().upgradeDomain(b -> b.domainName(name).targetVersion("OpenSearch_2.13")))
                .isInstanceOf(ValidationException.class);
        openSearch().upgradeDomain(b -> b.domainName(name).targetVersion("OpenSearch_1.3"));
        assertThat(version(name)).isEqualTo("OpenSearch_1.3");
        openSearch().deleteDomain(b -> b.domainName(name));
    }
}
