package dev.infra.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code infra state migrate}'s rules, with a second local backend standing in for the remote one. */
class StateMigrationTest {

    @TempDir
    Path dir;

    private LocalBackend local() {
        return LocalBackend.of(dir.resolve(".infra"), "shop", "us-east-1");
    }

    private LocalBackend remote() {
        return LocalBackend.of(dir.resolve("remote"), "shop", "us-east-1");
    }

    private static State applied() {
        return State.empty("shop", "us-east-1")
                .with(ResourceState.created("network/vpc", "aws_vpc", "vpc-1", Map.of("cidrBlock", "10.0.0.0/16"), List.of()))
                .with(ResourceState.created("network/subnet.private-a", "aws_subnet", "subnet-1", Map.of(), List.of("network/vpc")));
    }

    @Test
    void copiesTheStateUnchangedAndRenamesTheLocalFile() {
        State state = applied();
        local().write(state);

        StateMigration.Result r = StateMigration.migrate(local(), remote());

        assertThat(r.outcome()).isEqualTo(StateMigration.Outcome.COPIED);
        assertThat(remote().read()).as("same lineage and serial: saved plans stay valid").contains(state);
        assertThat(local().file()).doesNotExist();
        assertThat(r.retiredAs()).isEqualTo(local().file().resolveSibling("shop.us-east-1.json.migrated")).exists();
        assertThat(local().read()).isEmpty();
        try (StateBackend.Lock again = remote().lock("apply"); StateBackend.Lock localAgain = local().lock("apply")) {
            assertThat(again).as("both locks are released").isNotNull();
        }
    }

    @Test
    void refusesARemoteStateOfAnotherLineageAndChangesNothing() {
        State mine = applied();
        State theirs = State.empty("shop", "us-east-1")
                .with(ResourceState.created("network/vpc", "aws_vpc", "vpc-2", Map.of(), List.of()));
        local().write(mine);
        remote().write(theirs);

        StateBackendException e = catchThrowableOfType(StateBackendException.class,
                () -> StateMigration.migrate(local(), remote()));

        assertThat(e).hasMessageContaining("already holds a different state (lineage " + theirs.lineage())
                .hasMessageContaining("(lineage " + mine.lineage() + ")").hasMessageContaining("nothing was changed");
        assertThat(remote().read()).contains(theirs);
        assertThat(local().read()).contains(mine);
    }

    @Test
    void aRemoteAtTheSameOrALaterSerialIsKept() {
        State older = applied();
        State newer = older.without("network/subnet.private-a");
        local().write(older);
        remote().write(newer);

        StateMigration.Result r = StateMigration.migrate(local(), remote());

        assertThat(r.outcome()).isEqualTo(StateMigration.Outcome.ALREADY_THERE);
        assertThat(r.remoteSerial()).isEqualTo(newer.serial());
        assertThat(remote().read()).as("never goes back in time").contains(newer);
        assertThat(local().file()).doesNotExist();
    }

    @Test
    void aRemoteAtAnEarlierSerialOfTheSameLineageIsOverwritten() {
        State older = applied();
        State newer = older.without("network/subnet.private-a");
        remote().write(older);
        local().write(newer);

        assertThat(StateMigration.migrate(local(), remote()).outcome()).isEqualTo(StateMigration.Outcome.COPIED);
        assertThat(remote().read()).contains(newer);
    }

    @Test
    void withoutALocalStateThereIsNothingToMigrate() {
        StateBackendException e = catchThrowableOfType(StateBackendException.class,
                () -> StateMigration.migrate(local(), remote()));

        assertThat(e).hasMessage("no local state at " + local().file() + " to migrate");
        assertThat(remote().read()).isEmpty();
    }

    @Test
    void aHeldRemoteLockStopsTheMigrationBeforeAnythingMoves() {
        State state = applied();
        local().write(state);
        try (StateBackend.Lock held = remote().lock("apply")) {
            StateLockedException e = catchThrowableOfType(StateLockedException.class,
                    () -> StateMigration.migrate(local(), remote()));

            assertThat(e.holder().operation()).isEqualTo("apply");
        }
        assertThat(local().read()).contains(state);
        assertThat(remote().read()).isEmpty();
    }
}
