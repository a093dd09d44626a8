package dev.infra.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalBackendTest {

    @TempDir
    Path dir;

    private LocalBackend backend() {
        return LocalBackend.of(dir.resolve(".infra"), "shop", "us-east-1");
    }

    private static State sample() {
        Map<String, Object> attrs = Map.of(
                "cidrBlock", "10.0.0.0/16",
                "enableDnsHostnames", true,
                "port", 443L,
                "tags", Map.of("infra:stack", "shop", "Name", "shop-vpc"),
                "routes", List.of(Map.of("destinationCidrBlock", "0.0.0.0/0", "gatewayId", "igw-1")));
        return State.empty("shop", "us-east-1")
                .with(ResourceState.created("network/vpc", "aws_vpc", "vpc-1", attrs, List.of()))
                .with(ResourceState.creating("network/subnet.public-a", "aws_subnet", List.of("network/vpc")));
    }

    @Test
    void readsNothingBeforeTheFirstWrite() {
        assertThat(backend().read()).isEmpty();
    }

    @Test
    void writeThenReadGivesTheSameState() {
        LocalBackend b = backend();
        State s = sample();

        b.write(s);

        assertThat(b.file()).isEqualTo(dir.resolve(".infra/shop.us-east-1.json"));
        assertThat(b.read()).contains(s);
        assertThat(s.serial()).isEqualTo(2);
        assertThat(b.read().orElseThrow().resources().get("network/subnet.public-a").status())
                .isEqualTo(ResourceState.Status.CREATING);
    }

    @Test
    void writeKeepsThePreviousVersionAsBackupAndLeavesNoTempFile() throws IOException {
        LocalBackend b = backend();
        State first = sample();
        State second = first.without("network/subnet.public-a");

        b.write(first);
        assertThat(b.file().resolveSibling("shop.us-east-1.json.backup")).doesNotExist();
        b.write(second);

        assertThat(b.read()).contains(second);
        Path backup = b.file().resolveSibling("shop.us-east-1.json.backup");
        assertThat(backup).exists();
        assertThat(Json.MAPPER.readValue(backup.toFile(), State.class)).isEqualTo(first);
        try (Stream<Path> files = Files.list(b.file().getParent())) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("shop.us-east-1.json", "shop.us-east-1.json.backup");
        }
    }

    @Test
    void aCorruptStateFileIsAnErrorNamingTheFile() throws IOException {
        LocalBackend b = backend();
        Files.createDirectories(b.file().getParent());
        Files.writeString(b.file(), "{ not json");

        Throwable t = org.assertj.core.api.Assertions.catchThrowable(b::read);

        assertThat(t).hasMessageContaining(b.file().toString());
    }

    @Test
    void secondLockWhileHeldNamesTheHolder() {
        LocalBackend b = backend();
        try (StateBackend.Lock held = b.lock("apply")) {
            StateLockedException e = catchThrowableOfType(StateLockedException.class, () -> backend().lock("destroy"));

            assertThat(e).isNotNull();
            assertThat(e.holder().operation()).isEqualTo("apply");
            assertThat(e.holder().pid()).isEqualTo(ProcessHandle.current().pid());
            assertThat(e.holder().who()).isEqualTo(LockInfo.whoAmI());
            assertThat(e.getMessage())
                    .contains("locked by " + LockInfo.whoAmI())
                    .contains("apply")
                    .contains("pid " + ProcessHandle.current().pid())
                    .contains("which is still running: wait for it to finish");
        }
    }

    @Test
    void lockCanBeTakenAgainAfterClose() {
        LocalBackend b = backend();
        b.lock("apply").close();
        try (StateBackend.Lock again = b.lock("destroy")) {
            assertThat(catchThrowableOfType(StateLockedException.class, () -> b.lock("plan")).holder().operation())
                    .isEqualTo("destroy");
        }
        b.lock("apply").close();
    }

    @Test
    void unlockNeverRemovesALockAnotherProcessHolds() throws Exception {
        Process holder = holdInAnotherProcess();
        try {
            LocalBackend b = backend();
            for (boolean force : new boolean[] {false, true}) {
                StateLockedException e = catchThrowableOfType(StateLockedException.class, () -> b.unlock(force));
                assertThat(e.holder().pid()).isEqualTo(holder.pid());
                assertThat(e).hasMessageContaining("is held by " + LockInfo.whoAmI() + " (apply, pid " + holder.pid() + ")")
                        .hasMessageContaining("which is still running; a running holder's lock is never removed");
            }
            StateLockedException refused = catchThrowableOfType(StateLockedException.class, () -> b.lock("destroy"));
            assertThat(refused).hasMessageContaining("pid " + holder.pid()).hasMessageContaining("still running");
            assertThat(lockFile()).as("the holder's record stays").content().contains("\"pid\":" + holder.pid());
        } finally {
            holder.getOutputStream().close();
            holder.waitFor();
        }
        assertThat(backend().unlock(false)).as("released on exit: nothing to remove").isEmpty();
    }

    @Test
    void aKilledHoldersLockIsStaleAndRemovedWithoutForce() throws Exception {
        Process holder = holdInAnotherProcess();
        holder.destroyForcibly().waitFor(); // SIGKILL: no chance to release; the OS drops the lock, the record stays
        LocalBackend b = backend();

        assertThat(b.unlock(false)).hasValueSatisfying(u -> {
            assertThat(u.holder().pid()).isEqualTo(holder.pid());
            assertThat(u.holder().operation()).isEqualTo("apply");
            assertThat(u.forced()).isFalse();
        });
        assertThat(lockFile()).as("emptied, never deleted").exists().isEmptyFile();
        assertThat(b.unlock(false)).isEmpty();
        b.lock("apply").close();
    }

    @Test
    void aRecordOfADeadProcessInAFreeLockFileIsStale() throws Exception {
        Process gone = new ProcessBuilder(javaBin(), "-version").start();
        gone.waitFor();
        LockInfo dead = new LockInfo("id-1", LockInfo.whoAmI(), "destroy", java.time.Instant.now().toString(), gone.pid());
        Files.createDirectories(lockFile().getParent());
        Files.writeString(lockFile(), dead.toJson());

        assertThat(backend().unlock(false)).contains(new StateBackend.Unlocked(dead, false));
        assertThat(lockFile()).isEmptyFile();
    }

    @Test
    void unlockRefusesALockThisProcessHolds() {
        LocalBackend b = backend();
        try (StateBackend.Lock held = b.lock("apply")) {
            StateLockedException e = catchThrowableOfType(StateLockedException.class, () -> b.unlock(true));
            assertThat(e.holder().pid()).isEqualTo(ProcessHandle.current().pid());
        }
        assertThat(b.unlock(false)).isEmpty();
    }

    @Test
    void unlockWithoutALockFindsNobody() {
        LocalBackend b = backend();
        assertThat(b.unlock(false)).isEmpty();

        b.lock("apply").close();

        assertThat(b.unlock(false)).as("a released lock has no holder").isEmpty();
    }

    private Path lockFile() {
        return dir.resolve(".infra/shop.us-east-1.lock");
    }

    /** A child JVM holding the lock, once it says so. */
    private Process holdInAnotherProcess() throws IOException {
        Process p = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
                dir.resolve(".infra").toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
        assertThat(line).as("the holder took the lock").isEqualTo("locked");
        return p;
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void recorderWritesThroughEveryChange() {
        LocalBackend b = backend();
        StateRecorder r = new StateRecorder(b, State.empty("shop", "us-east-1"));

        r.put(ResourceState.creating("network/vpc", "aws_vpc", List.of()));
        assertThat(b.read().orElseThrow().serial()).isEqualTo(1);
        r.put(ResourceState.created("network/vpc", "aws_vpc", "vpc-1", Map.of(), List.of()));
        r.remove("network/nothing");
        assertThat(b.read().orElseThrow().serial()).isEqualTo(2);
        r.remove("network/vpc");

        assertThat(b.read()).contains(r.current());
        assertThat(r.current().resources()).isEmpty();
        assertThat(r.current().serial()).isEqualTo(3);
    }

    @Test
    void journalOfAKilledApplyIsReplayedThenFolded() throws Exception {
        LocalBackend b = backend();
        State base = sample();
        b.write(base);
        Process p = new ProcessBuilder(javaBin(), "-cp", System.getProperty("java.class.path"),
                JournalWriter.class.getName(), dir.resolve(".infra").toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String line = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine();
        assertThat(line).as("the writer recorded its changes").isEqualTo("recorded");
        p.destroyForcibly().waitFor(); // SIGKILL: nothing folds the journal

        Path journal = dir.resolve(".infra/shop.us-east-1.journal");
        assertThat(journal).exists();
        assertThat(Json.MAPPER.readValue(b.file().toFile(), State.class)).as("the state file as before").isEqualTo(base);
        State replayed = b.read().orElseThrow();
        assertThat(replayed.lineage()).isEqualTo(base.lineage());
        assertThat(replayed.serial()).isEqualTo(base.serial() + 4);
        assertThat(replayed.resources().get("network/vpc").id()).isEqualTo("vpc-2");
        assertThat(replayed.resources()).doesNotContainKey("network/subnet.a");
        assertThat(replayed.resources().get("network/subnet.b").status()).isEqualTo(ResourceState.Status.CREATING);
        assertThat(replayed.resources()).containsKey("network/subnet.public-a");

        // The next apply starts from the replayed state; its first change folds the old journal into the file.
        try (StateRecorder next = new StateRecorder(b, b.read().orElseThrow())) {
            next.remove("network/subnet.b");
            assertThat(Json.MAPPER.readValue(b.file().toFile(), State.class)).isEqualTo(replayed);
        }
        assertThat(journal).doesNotExist();
        State folded = Json.MAPPER.readValue(b.file().toFile(), State.class);
        assertThat(folded.serial()).isEqualTo(replayed.serial() + 1);
        assertThat(folded.resources()).doesNotContainKey("network/subnet.b").containsKey("network/vpc");
        assertThat(b.read()).contains(folded);
    }

    @Test
    void journalAlreadyFoldedOrCutShortAddsNothing() throws IOException {
        LocalBackend b = backend();
        State base = sample();
        b.write(base);
        Path journal = dir.resolve(".infra/shop.us-east-1.journal");
        // A journal on top of an older serial: folded, then the command died before removing it.
        Files.writeString(journal, Json.COMPACT.writeValueAsString(new State(base.version(), base.lineage(),
                base.serial() - 1, base.stack(), base.region(), Map.of(), null, List.of())) + "\n"
                + "{\"address\":\"network/vpc\"}\n");
        assertThat(b.read()).contains(base);

        // On top of this state, its last line torn by the crash: never acknowledged, so dropped.
        Files.writeString(journal, Json.COMPACT.writeValueAsString(new State(base.version(), base.lineage(),
                base.serial(), "shop", "us-east-1", Map.of(), null, List.of())) + "\n"
                + "{\"address\":\"network/subnet.public-a\"}\n{\"address\":\"network/v");
        State replayed = b.read().orElseThrow();
        assertThat(replayed.resources()).containsOnlyKeys("network/vpc");
        assertThat(replayed.serial()).isEqualTo(base.serial() + 1);
    }
}
