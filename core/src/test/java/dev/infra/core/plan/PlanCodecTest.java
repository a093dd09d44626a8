package dev.infra.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.model.Ref;
import dev.infra.core.model.Unknown;
import dev.infra.core.testing.Harness;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlanCodecTest {

    @TempDir
    Path dir;

    @Test
    void savedPlanRoundTripsWithItsRefs() {
        Harness h = new Harness(dir.resolve("state"));
        Plan plan = h.plan("network");
        Path file = dir.resolve("plan.json");

        PlanCodec.write(List.of(plan), file);
        Plan read = PlanCodec.readAll(file).get(0);

        assertThat(read).isEqualTo(plan);
        ResourceChange rt = Harness.change(read, "network/route-table.private-b");
        assertThat(rt.desired().get("vpcId")).isEqualTo(Ref.id("network/vpc"));
        assertThat(rt.desired().get("routes")).isEqualTo(List.of(
                Map.of("destinationCidrBlock", "0.0.0.0/0", "natGatewayId", Ref.id("network/nat-gateway.b"))));
        assertThat(rt.desired().get("subnetIds")).isEqualTo(List.of(Ref.id("network/subnet.private-b")));
        assertThat(PlanCodec.toJson(plan)).contains("\"$ref\" : \"network/vpc\"");
    }

    @Test
    void unknownValuesSurviveTheRoundTrip() {
        AttributeChange change = new AttributeChange("vpcId", "vpc-1", Unknown.VALUE, true);
        AttributeChange nested = new AttributeChange("routes", List.of(Map.of("natGatewayId", "nat-1")),
                List.of(Map.of("natGatewayId", Unknown.VALUE)), false);
        Plan plan = new Plan(Plan.FORMAT_VERSION, "shop", "us-east-1", false, "d", "l", 3, List.of(
                new ResourceChange("network/subnet.a", "aws_subnet", Action.REPLACE, "subnet-1",
                        Map.of("vpcId", Ref.id("network/vpc"), "port", 443L, "public", true),
                        Map.of("vpcId", "vpc-1"), List.of(change, nested), List.of("network/vpc"), List.of("network/vpc"),
                        "forces replacement: vpcId", Adoption.NOT_IN_STATE, "3 objects")),
                List.of(new Drift("network/vpc", "aws_vpc", false,
                        List.of(new AttributeChange("enableDnsHostnames", true, false, false)))));
        Path file = dir.resolve("plan.json");

        PlanCodec.write(List.of(plan), file);

        assertThat(PlanCodec.readAll(file).get(0)).isEqualTo(plan);
        assertThat(PlanCodec.toJson(plan)).contains("\"$unknown\" : true").doesNotContain("VALUE");
    }

    @Test
    void missingOrForeignPlanFilesAreInputErrors() throws IOException {
        Path missing = dir.resolve("nope.json");
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> PlanCodec.readAll(missing)).getMessage())
                .isEqualTo(missing + ": error: plan file not found");

        Path foreign = dir.resolve("other.json");
        Files.writeString(foreign, "{\"formatVersion\": 99}");
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> PlanCodec.readAll(foreign)).getMessage())
                .contains("is not an infra plan");

        Path garbage = dir.resolve("garbage.json");
        Files.writeString(garbage, "not json at all {");
        assertThat(catchThrowableOfType(InvalidInputException.class, () -> PlanCodec.readAll(garbage)).getMessage())
                .contains("is not a readable infra plan");
    }
}
