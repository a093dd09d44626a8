package dev.infra.core.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.infra.core.diag.Diagnostic;
import dev.infra.core.diag.InvalidInputException;
import dev.infra.core.plan.Plan;
import dev.infra.core.stack.Placement.Target;
import dev.infra.core.stack.StackRequest.Apply;
import dev.infra.core.stack.StackRequest.Destroy;
import dev.infra.core.stack.StackRequest.OneRegion;
import dev.infra.core.stack.StackRequest.Replicate;
import dev.infra.core.stack.StackRequest.WholeStack;
import dev.infra.core.state.ResourceState;
import dev.infra.core.state.State;
import dev.infra.core.testing.Fixtures;
import dev.infra.core.topology.Topology;
import dev.infra.core.topology.TopologyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which regions a request covers and what each is planned as, from the file, the states and a fake region catalogue:
 * no engine, no AWS.
 */
class PlacementTest {

    @TempDir
    Path dir;

    /** {@code network}: 10.0.0.0/16 in zones a, b, c of us-east-1. */
    static final Topology NETWORK = Fixtures.load("network");

    static final String PRIMARY_LINEAGE = "a1b2c3d4-0000-0000-0000-000000000001";

    /** The region catalogue: eu-west-1 has a, b, c; eu-north-1 lacks b; me-central-1 has two zones; others none. */
    static final Map<String, List<String>> ZONES = Map.of(
            "us-east-1", List.of("us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"),
            "eu-west-1", List.of("eu-west-1c", "eu-west-1a", "eu-west-1b"),
            "eu-north-1", List.of("eu-north-1d", "eu-north-1a", "eu-north-1c"),
            "ap-south-1", List.of("ap-south-1a", "ap-south-1b", "ap-south-1c"),
            "me-central-1", List.of("me-central-1a", "me-central-1b"));

    private final Map<String, State> states = new HashMap<>();
    /** The regions whose state or zones were read, in order: what a run's engines would read. */
    private final List<String> read = new ArrayList<>();

    private Placement placement(Topology t) {
        return Placement.of(t, region -> {
            read.add("state " + region);
            return states.getOrDefault(region, State.empty(t.stack(), region, "fresh-" + region));
        }, region -> {
            read.add("zones " + region);
            return ZONES.getOrDefault(region, List.of());
        });
    }

    private static State primary(State.Replica... replicas) {
        return new State(State.VERSION, PRIMARY_LINEAGE, 7, "shop", "us-east-1", Map.of(), null, List.of(replicas));
    }

    private static State replicaOf(String region, String primary) {
        return new State(State.VERSION, "e5f6a7b8-0000-0000-0000-000000000002", 3, "shop", region, Map.of(), primary,
                List.of());
    }

    private static final State.Replica EU = new State.Replica("eu-west-1", "10.1.0.0/16", List.of("a", "b", "c"));
    private static final State.Replica AP = new State.Replica("ap-south-1", "10.2.0.0/16", List.of("b", "c", "a"));

    private static final StackRequest.Scope WHOLE = new WholeStack();

    private Topology load(String yaml) throws IOException {
        return TopologyLoader.load(Files.writeString(dir.resolve("infra.yaml"), yaml)).topology();
    }

    private static InvalidInputException refused(ThrowingSupplier<?> call) {
        InvalidInputException e = catchThrowableOfType(() -> call.get(), InvalidInputException.class);
        assertThat(e).as("refused").isNotNull();
        return e;
    }

    private static String message(InvalidInputException e) {
        assertThat(e.diagnostics()).hasSize(1);
        return e.diagnostics().get(0).message();
    }

    // --- the whole stack ---

    @Test
    void aStackWithoutReplicasIsItsFileRegionAloneNamedAfterItsState() {
        states.put("us-east-1", primary());

        List<Target> targets = placement(NETWORK).targets(new Apply(NETWORK, WHOLE));

        assertThat(targets).extracting(Target::region).containsExactly("us-east-1");
        Topology t = targets.get(0).topology();
        assertThat(t.replica()).isFalse();
        assertThat(t.placement().replicas()).isEmpty();
        assertThat(t.placement().nameSuffix()).isEqualTo("a1b2c3");
        assertThat(t.network().cidr()).isEqualTo("10.0.0.0/16");
        // Only the file's region is read: the zones of a region are looked up only to place a copy or a replica there.
        assertThat(read).containsExactly("state us-east-1");
    }

    @Test
    void theWholeStackIsThePrimaryThenItsReplicasAsItsStateRecordsThem() {
        states.put("us-east-1", primary(EU, AP));

        for (StackRequest.Plannable request : List.of(new Apply(NETWORK, WHOLE), new Destroy(NETWORK, WHOLE))) {
            List<Target> targets = placement(NETWORK).targets(request);

            assertThat(targets).extracting(Target::region).containsExactly("us-east-1", "eu-west-1", "ap-south-1");
            assertThat(targets).extracting(Target::replica).containsExactly(false, true, true);
            Topology primary = targets.get(0).topology();
            assertThat(primary.placement().replicas()).containsExactly("eu-west-1", "ap-south-1");
            Topology ap = targets.get(2).topology();
            assertThat(ap.region()).isEqualTo("ap-south-1");
            assertThat(ap.network().cidr()).isEqualTo("10.2.0.0/16");
            assertThat(ap.network().zones()).containsExactly("b", "c", "a");
            assertThat(ap.placement().primary()).isEqualTo("us-east-1");
            assertThat(ap.placement().replicas()).containsExactly("eu-west-1", "ap-south-1");
            // A replica's derived names end with its primary's suffix, so the primary can name its buckets.
            assertThat(ap.placement().nameSuffix()).isEqualTo("a1b2c3");
        }
        // The replicas' blocks and zones come from the primary's state: neither their states nor zones are read.
        assertThat(read).containsOnly("state us-east-1");
    }

    @Test
    void theWholeStackIsRefusedWhenTheFilesRegionIsAReplica() {
        states.put("us-east-1", replicaOf("us-east-1", "eu-west-1"));

        assertThat(message(refused(() -> placement(NETWORK).targets(new Apply(NETWORK, WHOLE)))))
                .isEqualTo("the state of us-east-1 says it is a replica of eu-west-1: plan it with --region us-east-1");
    }

    @Test
    void aRegionsSettingsWinOverWhatThePrimarysStateRecorded() throws IOException {
        Topology t = load(Files.readString(Fixtures.topologyFile("network"))
                + "regions:\n  eu-west-1:\n    network: {cidr: 10.9.0.0/16, zones: [c, a, b]}\n");
        states.put("us-east-1", primary(EU));

        Topology eu = placement(t).targets(new Apply(t, WHOLE)).get(1).topology();

        assertThat(eu.network().cidr()).isEqualTo("10.9.0.0/16");
        assertThat(eu.network().zones()).containsExactly("c", "a", "b");
    }

    // --- --region of a copy ---

    @Test
    void aCopyKeepsTheBlockAndTheZoneLettersItsRegionHas() {
        List<Target> targets = placement(NETWORK).targets(new Apply(NETWORK, new OneRegion("eu-west-1")));

        assertThat(targets).singleElement().satisfies(x -> {
            assertThat(x.region()).isEqualTo("eu-west-1");
            assertThat(x.replica()).isFalse();
            assertThat(x.topology().placement().primary()).isEqualTo("eu-west-1");
            assertThat(x.topology().network().cidr()).isEqualTo("10.0.0.0/16");
            assertThat(x.topology().network().zones()).containsExactly("a", "b", "c");
            assertThat(x.topology().placement().nameSuffix()).isEqualTo("freshe");
        });
        assertThat(read).containsExactly("zones eu-west-1", "state eu-west-1");
    }

    @Test
    void aCopyInARegionLackingALetterTakesItsFirstZonesByPosition() {
        Topology copy = placement(NETWORK).targets(new Apply(NETWORK, new OneRegion("eu-north-1"))).get(0).topology();

        assertThat(copy.network().zones()).containsExactly("a", "c", "d");
    }

    @Test
    void aCopyOfTheFilesRegionIsTheFileItself() {
        states.put("us-east-1", primary(EU));

        Target x = placement(NETWORK).targets(new Apply(NETWORK, new OneRegion("us-east-1"))).get(0);

        assertThat(x.topology().network()).isEqualTo(NETWORK.network());
        assertThat(x.topology().placement().replicas()).containsExactly("eu-west-1");
        assertThat(read).containsExactly("state us-east-1");
    }

    @Test
    void aRegionWithFewerZonesThanTheNetworkOrUnknownToTheCatalogueIsRefusedAtNetworkZones() {
        for (String region : List.of("me-central-1", "xx-nowhere-1")) {
            InvalidInputException e = refused(() -> placement(NETWORK).targets(new Apply(NETWORK, new OneRegion(region))));
            assertThat(e.diagnostics()).singleElement().satisfies(d -> {
                assertThat(d.path()).isEqualTo("network.zones");
                assertThat(d.location().file()).isEqualTo(NETWORK.file());
                assertThat(d.message()).startsWith("the network spans 3 zones but " + region + " has ")
                        .endsWith("give regions." + region + ".network.zones, or fewer zones");
            });
        }
    }

    @Test
    void destroyingOneRegionWithReplicasIsRefusedApplyingItIsNot() {
        states.put("us-east-1", primary(EU));
        OneRegion us = new OneRegion("us-east-1");

        assertThat(message(refused(() -> placement(NETWORK).targets(new Destroy(NETWORK, us))))).isEqualTo(
                "us-east-1 has replicas (eu-west-1): destroy them first with --region, or destroy the whole stack"
                        + " without --region");
        assertThatCode(() -> placement(NETWORK).targets(new Apply(NETWORK, us))).doesNotThrowAnyException();
    }

    // --- --region of a replica ---

    @Test
    void aReplicaIsPlacedAsItsPrimarysStateRecordsIt() {
        states.put("us-east-1", primary(EU, AP));
        states.put("ap-south-1", replicaOf("ap-south-1", "us-east-1"));

        for (StackRequest.Plannable request : List.of(new Apply(NETWORK, new OneRegion("ap-south-1")),
                new Destroy(NETWORK, new OneRegion("ap-south-1")))) {
            List<Target> targets = placement(NETWORK).targets(request);
            assertThat(targets).singleElement().satisfies(x -> {
                assertThat(x.region()).isEqualTo("ap-south-1");
                assertThat(x.replica()).isTrue();
                assertThat(x.topology().placement().primary()).isEqualTo("us-east-1");
                assertThat(x.topology().placement().replicas()).containsExactly("eu-west-1", "ap-south-1");
                assertThat(x.topology().placement().nameSuffix()).isEqualTo("a1b2c3");
                assertThat(x.topology().network().cidr()).isEqualTo("10.2.0.0/16");
                assertThat(x.topology().network().zones()).containsExactly("b", "c", "a");
            });
        }
    }

    @Test
    void aReplicaItsPrimaryDoesNotListIsRefused() {
        states.put("us-east-1", primary(EU));
        states.put("ap-south-1", replicaOf("ap-south-1", "us-east-1"));

        assertThat(message(refused(() -> placement(NETWORK).targets(new Apply(NETWORK, new OneRegion("ap-south-1"))))))
                .isEqualTo("the state of ap-south-1 says it replicates us-east-1, but us-east-1's state does not list"
                        + " it: run infra replicate --to ap-south-1");
    }

    // --- replicate ---

    @Test
    void aNewReplicaGetsTheFirstFreeBlockAndThePrimarysZoneLetters() {
        states.put("us-east-1", primary());

        Placement.Replication r = placement(NETWORK).replicate(new Replicate(NETWORK, "eu-west-1", "us-east-1"));

        assertThat(r.record()).isEqualTo(new State.Replica("eu-west-1", "10.1.0.0/16", List.of("a", "b", "c")));
        assertThat(r.primary().region()).isEqualTo("us-east-1");
        assertThat(r.primary().topology().placement().replicas()).containsExactly("eu-west-1");
        assertThat(r.primary().topology().placement().nameSuffix()).isEqualTo("a1b2c3");
        assertThat(r.replica().region()).isEqualTo("eu-west-1");
        assertThat(r.replica().replica()).isTrue();
        assertThat(r.replica().topology().network().cidr()).isEqualTo("10.1.0.0/16");
        assertThat(r.replica().topology().placement().nameSuffix()).isEqualTo("a1b2c3");
    }

    @Test
    void aFurtherReplicaAvoidsEveryRecordedBlockAndTakesItsRegionsFirstZones() {
        states.put("us-east-1", primary(EU));

        Placement.Replication r = placement(NETWORK).replicate(new Replicate(NETWORK, "eu-north-1", "us-east-1"));

        assertThat(r.record()).isEqualTo(new State.Replica("eu-north-1", "10.2.0.0/16", List.of("a", "c", "d")));
        assertThat(r.primary().topology().placement().replicas()).containsExactly("eu-west-1", "eu-north-1");
        assertThat(r.replica().topology().placement().replicas()).containsExactly("eu-west-1", "eu-north-1");
    }

    @Test
    void aBlockGivenForAnotherRegionIsNotChosen() throws IOException {
        Topology t = load(Files.readString(Fixtures.topologyFile("network"))
                + "regions:\n  ap-south-1:\n    network: {cidr: 10.1.0.0/16}\n");
        states.put("us-east-1", primary());

        assertThat(placement(t).replicate(new Replicate(t, "eu-west-1", "us-east-1")).record().cidr())
                .isEqualTo("10.2.0.0/16");
        assertThat(placement(t).replicate(new Replicate(t, "ap-south-1", "us-east-1")).record().cidr())
                .isEqualTo("10.1.0.0/16");
    }

    /** Once recorded, a replica's block and zones stay, whatever the defaults would choose now. */
    @Test
    void replicatingAgainKeepsTheRecordedChoice() {
        State.Replica recorded = new State.Replica("eu-west-1", "10.5.0.0/16", List.of("c", "a", "b"));
        states.put("us-east-1", primary(recorded, AP));
        states.put("eu-west-1", replicaOf("eu-west-1", "us-east-1"));

        Placement.Replication r = placement(NETWORK).replicate(new Replicate(NETWORK, "eu-west-1", "us-east-1"));

        assertThat(r.record()).isEqualTo(recorded);
        assertThat(r.replica().topology().network().zones()).containsExactly("c", "a", "b");
        // Re-planned, the replica moves to the end of the list, as recording it again does (State.withReplica).
        assertThat(r.primary().topology().placement().replicas()).containsExactly("ap-south-1", "eu-west-1");
    }

    @Test
    void replicatingFromACopyPlacesThePrimaryThere() {
        Placement.Replication r = placement(NETWORK).replicate(new Replicate(NETWORK, "ap-south-1", "eu-west-1"));

        assertThat(r.primary().region()).isEqualTo("eu-west-1");
        assertThat(r.primary().topology().placement().replicas()).containsExactly("ap-south-1");
        assertThat(r.replica().topology().placement().primary()).isEqualTo("eu-west-1");
        assertThat(read).containsExactly("zones eu-west-1", "state eu-west-1", "state ap-south-1", "zones ap-south-1");
    }

    @Test
    void replicateIsRefusedToThePrimaryItselfFromAReplicaToAnothersReplicaAndOverACopy() {
        assertThat(message(refused(() -> new Replicate(NETWORK, "us-east-1", "us-east-1"))))
                .isEqualTo("us-east-1 is the primary region itself: replicate to another region");

        states.put("eu-west-1", replicaOf("eu-west-1", "us-east-1"));
        assertThat(message(refused(() -> placement(NETWORK).replicate(new Replicate(NETWORK, "ap-south-1", "eu-west-1")))))
                .isEqualTo("eu-west-1 is itself a replica of us-east-1: replicate from us-east-1 (--from us-east-1)");

        states.put("ap-south-1", replicaOf("ap-south-1", "eu-north-1"));
        assertThat(message(refused(() -> placement(NETWORK).replicate(new Replicate(NETWORK, "ap-south-1", "us-east-1")))))
                .isEqualTo("ap-south-1 is already a replica of eu-north-1");

        states.put("eu-north-1", new State(State.VERSION, "c0ffee00-0000-0000-0000-000000000003", 2, "shop", "eu-north-1",
                Map.of("network/vpc", ResourceState.created("network/vpc", "aws_vpc", "vpc-1", Map.of(), List.of())),
                null, List.of()));
        assertThat(message(refused(() -> placement(NETWORK).replicate(new Replicate(NETWORK, "eu-north-1", "us-east-1")))))
                .isEqualTo("eu-north-1 holds an independent copy of the stack (1 resources): destroy it first (infra"
                        + " destroy --region eu-north-1)");
    }

    @Test
    void replicateIsRefusedWhenNoBlockLikeThePrimarysIsLeft() throws IOException {
        Topology t = load("stack: shop\nregion: us-east-1\nnetwork: {cidr: 192.168.0.0/16, zones: 2}\n");

        assertThat(message(refused(() -> placement(t).replicate(new Replicate(t, "eu-west-1", "us-east-1")))))
                .isEqualTo("no free block like 192.168.0.0/16 is left for eu-west-1: give one in"
                        + " regions.eu-west-1.network.cidr");
    }

    // --- certificates ---

    private Topology withCertificate(String regions) throws IOException {
        return load("""
                stack: shop
                region: us-east-1
                network: {cidr: 10.0.0.0/16, zones: 2}
                encryption: {}
                loadBalancers:
                  public:
                    scheme: internet-facing
                    certificateArn: arn:aws:acm:us-east-1:123456789012:certificate/abc
                    target: clusters.apps
                firewall: {}
                clusters:
                  apps:
                    nodeGroups: {general: {min: 1, max: 2}}
                """ + regions);
    }

    @Test
    void aCopyOrReplicaWithoutItsRegionsCertificateIsRefusedAtTheLoadBalancer() throws IOException {
        Topology t = withCertificate("");
        states.put("us-east-1", primary(EU));

        for (ThrowingSupplier<?> call : List.<ThrowingSupplier<?>>of(
                () -> placement(t).targets(new Apply(t, new OneRegion("eu-west-1"))),
                () -> placement(t).targets(new Apply(t, WHOLE)),
                () -> placement(t).replicate(new Replicate(t, "eu-west-1", "us-east-1")))) {
            assertThat(refused(call).diagnostics()).extracting(Diagnostic::render).containsExactly(t.file()
                    + ":7:5: error: loadBalancers.public.certificateArn: the certificate is in us-east-1 but the load"
                    + " balancer in eu-west-1; ACM certificates are regional: request one in eu-west-1");
        }
        // A destroy takes away what is there: the certificate does not matter.
        assertThatCode(() -> placement(t).targets(new Destroy(t, new OneRegion("eu-west-1")))).doesNotThrowAnyException();
        assertThatCode(() -> placement(t).targets(new Destroy(t, WHOLE))).doesNotThrowAnyException();
    }

    @Test
    void aRegionsOwnCertificateServesItsCopyAndReplica() throws IOException {
        Topology t = withCertificate("""
                regions:
                  eu-west-1:
                    certificates: {public: "arn:aws:acm:eu-west-1:123456789012:certificate/def"}
                """);
        states.put("us-east-1", primary(EU));

        List<Target> targets = placement(t).targets(new Apply(t, WHOLE));
        assertThat(targets.get(1).topology().loadBalancers().get("public").certificateArn())
                .isEqualTo("arn:aws:acm:eu-west-1:123456789012:certificate/def");
        assertThatCode(() -> placement(t).targets(new Apply(t, new OneRegion("eu-west-1")))).doesNotThrowAnyException();
    }

    // --- saved plans ---

    private static Plan saved(String region, boolean destroy) {
        return new Plan(Plan.FORMAT_VERSION, "shop", region, destroy, "digest", PRIMARY_LINEAGE, 7, List.of(), List.of());
    }

    @Test
    void aSavedPlanIsAppliedToTheScopeItWasMadeFor() {
        Plan us = saved("us-east-1", false);
        Plan eu = saved("eu-west-1", false);

        assertThat(new StackRequest.ApplySaved(NETWORK, List.of(us, eu), WHOLE, "p.json").madeFor())
                .isEqualTo(new Apply(NETWORK, WHOLE));
        assertThat(new StackRequest.ApplySaved(NETWORK, List.of(eu), WHOLE, "p.json").madeFor())
                .isEqualTo(new Apply(NETWORK, new OneRegion("eu-west-1")));
        // --region names the region the plan is checked against (and refused for, when it was made for another).
        assertThat(new StackRequest.ApplySaved(NETWORK, List.of(saved("eu-west-1", true)), new OneRegion("ap-south-1"),
                "p.json").madeFor()).isEqualTo(new Destroy(NETWORK, new OneRegion("ap-south-1")));
        assertThat(message(refused(() -> new StackRequest.ApplySaved(NETWORK, List.of(us, eu), new OneRegion("us-east-1"),
                "p.json")))).isEqualTo("holds the plans of 2 regions: apply it without --region");
        assertThat(message(refused(() -> {
            new StackRequest.ApplySaved(NETWORK, List.of(us, eu), WHOLE, "p.json").checkRegions(List.of("us-east-1"));
            return null;
        }))).isEqualTo("is stale: it was made for eu-west-1, us-east-1 but the stack now spans us-east-1; make a new plan");
    }
}
