package dev.infra.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class AwsClientsTest {

    @Test
    void settingsAreValidated() {
        assertThatThrownBy(() -> new AwsSettings(" ", null, null, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AwsSettings("eu-west-1", null, null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new AwsSettings("eu-west-1", "", null, 3).profile()).isNull();
        assertThat(AwsSettings.of("eu-west-1").maxAttempts()).isEqualTo(AwsSettings.DEFAULT_MAX_ATTEMPTS);
    }

    @Test
    void oneClientPerServiceBuiltOnFirstUse() {
        try (AwsClients clients = AwsClients.create(
                new AwsSettings("eu-west-1", null, URI.create("http://127.0.0.1:1"), 1))) {
            assertThat(clients.ec2()).isSameAs(clients.ec2());
            assertThat(clients.ec2().serviceClientConfiguration().region().id()).isEqualTo("eu-west-1");
            assertThat(clients.ec2().serviceClientConfiguration().endpointOverride()).contains(URI.create("http://127.0.0.1:1"));
            assertThat(clients.counter().total()).isZero();
        }
    }
}
