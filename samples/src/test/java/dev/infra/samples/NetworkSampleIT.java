package dev.infra.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.cli.Main;
import dev.infra.providers.AwsClients;
import dev.infra.providers.testing.Emulator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.model.Filter;

/** samples/network.yaml as a user runs it: apply to an empty region, plan again (nothing), destroy (nothing left). */
class NetworkSampleIT {

    static final String REGION = "us-west-2";

    @TempDir
    Path state;

    int infra(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("-f", "network.yaml", "--region", REGION, "--state-dir", state.toString(),
                "--endpoint-url", Emulator.endpoint().toString()));
        StringWriter err = new StringWriter();
        int exit = Main.run(all.toArray(String[]::new), new PrintWriter(new StringWriter()), new PrintWriter(err));
        assertThat(exit).as(String.join(" ", args) + "\n" + err).isIn(0);
        return exit;
    }

    @Test
    void applyPlanDestroy() {
        try (AwsClients aws = Emulator.clients(REGION)) {
            Filter shop = Filter.builder().name("tag:infra:stack").values("shop").build();
            infra("apply", "--auto-approve");
            assertThat(aws.ec2().describeVpcs(b -> b.filters(shop)).vpcs()).singleElement()
                    .satisfies(v -> assertThat(v.cidrBlock()).isEqualTo("10.0.0.0/16"));
            assertThat(aws.ec2().describeSubnets(b -> b.filters(shop)).subnets()).hasSize(6);
            infra("plan", "--detailed-exitcode");
            infra("destroy", "--auto-approve");
            assertThat(aws.ec2().describeVpcs(b -> b.filters(shop)).vpcs()).isEmpty();
        }
    }
}
