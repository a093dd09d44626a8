package dev.infra.providers.testing;

import dev.infra.providers.AwsClients;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A provider test with a second region, where the replicas go: its clients are opened once per class and closed. */
public abstract class ReplicaRegionTestSupport extends ProviderTestSupport {

    protected AwsClients replicaClients;

    /** The region the replicas are made in; not {@link #region()}. */
    protected abstract String replicaRegion();

    @BeforeAll
    void openReplicaRegion() {
        replicaClients = Emulator.clients(replicaRegion());
    }

    @AfterAll
    void closeReplicaRegion() {
        if (replicaClients != null) {
            replicaClients.close();
        }
    }
}
