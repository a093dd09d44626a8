package dev.infra.providers.helm;

import dev.infra.core.state.Json;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The Helm 3 binary infra runs as a subprocess, or why there is none. Found as {@code --helm PATH} says, else as the
 * first {@code helm} on {@code PATH}; a missing one is reported at plan time ({@link HelmReleaseProvider#prerequisite}),
 * before anything changes.
 */
public sealed interface Helm {

    String INSTALL = "install Helm 3 (https://helm.sh/docs/intro/install/) or pass --helm PATH";

    /** {@code explicit} (from --helm) when given, else {@code helm} in the directories of {@code path} (PATH). */
    static Helm locate(Path explicit, String path) {
        if (explicit != null) {
            return Files.isRegularFile(explicit) && Files.isExecutable(explicit) ? new Found(explicit)
                    : new Missing("--helm " + explicit + " is not an executable file: " + INSTALL);
        }
        for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, "helm");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return new Found(candidate);
            }
        }
        return new Missing("Helm is not on PATH (infra runs it to install the cluster's Cilium and NGINX ingress): "
                + INSTALL);
    }

    /** As {@link #locate(Path, String)} with this process's PATH. */
    static Helm locate(Path explicit) {
        return locate(explicit, System.getenv("PATH"));
    }

    record Missing(String reason) implements Helm {}

    /** What a helm command printed and how it ended. */
    record Result(int exit, String out, String err) {
        boolean ok() {
            return exit == 0;
        }

        /** Helm's answer for a release it does not know ("Error: release: not found"). */
        boolean notFound() {
            return exit != 0 && err.contains("not found");
        }
    }

    record Found(Path binary) implements Helm {

        /** Runs {@code helm args…} and waits up to {@code timeout} for it. */
        Result run(List<String> args, Duration timeout) {
            List<String> command = new ArrayList<>();
            command.add(binary.toString());
            command.addAll(args);
            // Both streams to files, so that a helm that hangs without a word still ends at the timeout.
            try {
                Path out = Files.createTempFile("infra-helm-", ".out");
                Path err = Files.createTempFile("infra-helm-", ".err");
                try {
                    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
                    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                        p.destroyForcibly();
                        return new Result(-1, "", "helm " + args.get(0) + " did not end within " + timeout);
                    }
                    return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                            Files.readString(err, StandardCharsets.UTF_8).strip());
                } finally {
                    Files.deleteIfExists(out);
                    Files.deleteIfExists(err);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("could not run " + binary + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while helm " + args.get(0) + " ran", e);
            }
        }
    }

    /**
     * A file only this user can read (0600 from its creation, not chmod-ed after), holding {@code content} as JSON
     * (YAML's superset, so kubeconfigs and values files take it), deleted by {@link PrivateFile#close}.
     */
    static PrivateFile privateFile(String prefix, Map<String, Object> content) {
        try {
            Path file = Files.createTempFile(prefix, ".json",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, Json.MAPPER.writeValueAsString(content));
            return new PrivateFile(file);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a private temporary file: " + e.getMessage(), e);
        }
    }

    /** A temporary file removed when closed. */
    record PrivateFile(Path path) implements AutoCloseable {
        @Override
        public void close() {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete " + path + ": " + e.getMessage(), e);
            }
        }
    }
}
