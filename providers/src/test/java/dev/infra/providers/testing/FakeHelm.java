package dev.infra.providers.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.infra.core.state.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code fake_helm.py} installed as an executable {@code helm} in a directory of its own (pass {@link #binary} as
 * {@code --helm}, or put {@link #dir} first on a subprocess's PATH): it keeps releases in that directory, answers the
 * subcommands infra runs and records each call, which {@link #calls} reads back.
 */
public record FakeHelm(Path dir) {

    /** One recorded call. */
    public record Call(String command, String release, String namespace, String server, String version, JsonNode values,
                       Instant start, Instant end, int exit, String kubeconfig, String kubeconfigMode, JsonNode token,
                       JsonNode args) {}

    public static FakeHelm in(Path dir) {
        try (InputStream in = FakeHelm.class.getResourceAsStream("fake_helm.py")) {
            Files.createDirectories(dir);
            Path helm = dir.resolve("helm");
            Files.copy(in, helm, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(helm, PosixFilePermissions.fromString("rwxr-xr-x"));
            return new FakeHelm(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path binary() {
        return dir.resolve("helm");
    }

    /** Every call so far, in the order they ended. */
    public List<Call> calls() {
        Path log = dir.resolve("calls.jsonl");
        List<Call> out = new ArrayList<>();
        try {
            if (!Files.exists(log)) {
                return out;
            }
            for (String line : Files.readAllLines(log)) {
                JsonNode n = Json.MAPPER.readTree(line);
                out.add(new Call(n.path("command").asText(), n.path("release").asText(null),
                        n.path("namespace").asText(null), n.path("server").asText(null), n.path("version").asText(null),
                        n.get("values"), seconds(n.path("start").asDouble()), seconds(n.path("end").asDouble()),
                        n.path("exit").asInt(), n.path("kubeconfig").asText(null), n.path("kubeconfigMode").asText(null),
                        n.get("token"), n.get("args")));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The calls of one subcommand ({@code upgrade}, {@code status}, {@code get values}, {@code uninstall}). */
    public List<Call> calls(String command) {
        return calls().stream().filter(c -> c.command().equals(command)).toList();
    }

    /** The releases it holds, as {@code <cluster endpoint host>/<namespace>/<name>}. */
    public List<String> releases() {
        Path root = dir.resolve("releases");
        if (!Files.exists(root)) {
            return List.of();
        }
        try (var files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(f -> root.relativize(f).toString().replaceFirst("\\.json$", "")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Forgets the calls so far (the releases stay). */
    public void clearCalls() {
        try {
            Files.deleteIfExists(dir.resolve("calls.jsonl"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant seconds(double epoch) {
        long micros = Math.round(epoch * 1_000_000);
        return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
    }
}
