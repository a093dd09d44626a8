package dev.infra.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class LockInfoTest {

    @Test
    void aHolderOnThisHostIsCheckedByItsPid() throws Exception {
        assertThat(LockInfo.forThisProcess("apply").liveness()).isEqualTo(LockInfo.Liveness.RUNNING);

        Process gone = new ProcessBuilder(java(), "-version").start();
        gone.waitFor();
        assertThat(holder(LockInfo.whoAmI(), gone.pid(), Instant.now()).liveness()).isEqualTo(LockInfo.Liveness.GONE);
    }

    @Test
    void aPidReusedByAProcessStartedAfterTheLockIsNotTheHolder() {
        LockInfo old = holder(LockInfo.whoAmI(), ProcessHandle.current().pid(), Instant.parse("2001-01-01T00:00:00Z"));

        assertThat(old.liveness()).isEqualTo(LockInfo.Liveness.GONE);
    }

    @Test
    void aHolderElsewhereOrUnreadableCannotBeChecked() {
        LockInfo remote = holder("ci@build-7.example.com", ProcessHandle.current().pid(), Instant.now());

        assertThat(remote.host()).isEqualTo("build-7.example.com");
        assertThat(remote.liveness()).isEqualTo(LockInfo.Liveness.ELSEWHERE);
        assertThat(LockInfo.unknown().liveness()).isEqualTo(LockInfo.Liveness.ELSEWHERE);
    }

    private static LockInfo holder(String who, long pid, Instant created) {
        return new LockInfo("id", who, "apply", created.toString(), pid);
    }

    private static String java() {
        return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
