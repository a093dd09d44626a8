package dev.infra.providers.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finding Helm, running it (output, exit, a timeout that holds for a silent helm) and the private files it gets. */
class HelmTest {

    @TempDir
    Path dir;

    private Path script(String dirName, String body, String mode) throws IOException {
        Path d = Files.createDirectories(dir.resolve(dirName));
        Path helm = d.resolve("helm");
        Files.writeString(helm, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(helm, PosixFilePermissions.fromString(mode));
        return helm;
    }

    @Test
    void theFirstExecutableHelmOnPathIsTaken() throws IOException {
        script("a", "exit 0", "rw-r--r--");
        Path b = script("b", "exit 0", "rwxr-xr-x");
        script("c", "exit 0", "rwxr-xr-x");
        String path = String.join(File.pathSeparator, dir.resolve("none").toString(), dir.resolve("a").toString(),
                dir.resolve("b").toString(), dir.resolve("c").toString());
        assertThat(Helm.locate(null, path)).isEqualTo(new Helm.Found(b));
        assertThat(Helm.locate(null, dir.resolve("a").toString())).isInstanceOf(Helm.Missing.class);
        assertThat(Helm.locate(dir.resolve("a/helm"), path)).isInstanceOfSatisfying(Helm.Missing.class,
                m -> assertThat(m.reason()).startsWith("--helm " + dir.resolve("a/helm") + " is not an executable file"));
    }

    @Test
    void runGivesOutputErrorAndExitAndStopsAHelmThatHangs() throws IOException {
        Helm.Found helm = new Helm.Found(script("x", "echo \"$@\"; echo 'Error: release: not found' >&2; exit 1",
                "rwxr-xr-x"));
        Helm.Result r = helm.run(List.of("status", "cilium"), Duration.ofSeconds(10));
        assertThat(r).isEqualTo(new Helm.Result(1, "status cilium\n", "Error: release: not found"));
        assertThat(r.notFound()).isTrue();

        Helm.Found silent = new Helm.Found(script("y", "sleep 30", "rwxr-xr-x"));
        long start = System.nanoTime();
        Helm.Result hung = silent.run(List.of("upgrade"), Duration.ofMillis(500));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(hung.ok()).isFalse();
        assertThat(hung.err()).isEqualTo("helm upgrade did not end within PT0.5S");
    }

    @Test
    void privateFilesAreTheOwnersOnlyAndGoWhenClosed() throws IOException {
        Path file;
        try (Helm.PrivateFile f = Helm.privateFile("infra-test-", Map.of("kind", "Config"))) {
            file = f.path();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            assertThat(Files.readString(file).replaceAll("\\s", "")).isEqualTo("{\"kind\":\"Config\"}");
        }
        assertThat(file).doesNotExist();
    }
}
