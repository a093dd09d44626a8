package dev.infra.providers.testing;

import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The AWS emulator (moto server) the integration tests talk to, one per test JVM.
 *
 * <p>{@code INFRA_TEST_ENDPOINT} names a running one; otherwise the first use starts {@code moto_server} on a free
 * loopback port (through {@code moto_launcher.py}, which fills documented moto gaps; plain {@code moto_server} if
 * that cannot start), waits until it answers and stops it when the JVM exits. Use as {@code @ExtendWith(Emulator.class)}
 * or call the static methods.
 */
public final class Emulator implements BeforeAllCallback {

    public static final String ENDPOINT_ENV = "INFRA_TEST_ENDPOINT";
    public static final String INSTALL_HINT = "python3 -m pip install 'moto[server]==5.2.5'";
    /** Test clients give up fast, so an API moto lacks (HTTP 500) fails the test instead of retrying. */
    public static final int MAX_ATTEMPTS = 2;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static URI endpoint;

    @Override
    public void beforeAll(ExtensionContext context) {
        endpoint();
    }

    /** The emulator's base URI, starting it on first use. */
    public static synchronized URI endpoint() {
        if (endpoint == null) {
            String given = System.getenv(ENDPOINT_ENV);
            endpoint = given != null && !given.isBlank() ? URI.create(given.trim()) : start();
            waitUntilUp(endpoint, null, Duration.ofSeconds(30));
        }
        return endpoint;
    }

    /** Clients for {@code region} against the emulator: dummy credentials, {@value #MAX_ATTEMPTS} attempts. */
    public static AwsClients clients(String region) {
        return clients(region, new ExecutionInterceptor[0]);
    }

    /** As {@link #clients(String)}, with interceptors that inject faults (a lost answer, a slow resource…). */
    public static AwsClients clients(String region, ExecutionInterceptor... interceptors) {
        useDummyCredentials();
        return AwsClients.create(new AwsSettings(region, null, endpoint(), MAX_ATTEMPTS), List.of(interceptors));
    }

    /**
     * Dummy credentials through the SDK's own default chain (system properties come first in it), so code under
     * test needs no emulator-specific credentials, and the CLI run in-process finds them too.
     */
    public static void useDummyCredentials() {
        if (System.getProperty("aws.accessKeyId") == null) {
            System.setProperty("aws.accessKeyId", "testing");
            System.setProperty("aws.secretAccessKey", "testing");
        }
    }

    /** Forgets every resource in every region ({@code POST /moto-api/reset}). */
    public static void reset() {
        HttpResponse<String> r = send(HttpRequest.newBuilder(endpoint().resolve("/moto-api/reset"))
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("emulator reset answered HTTP " + r.statusCode() + ": " + r.body());
        }
    }

    /** Everything the emulator holds, as JSON ({@code GET /moto-api/data.json}). */
    public static String data() {
        return send(HttpRequest.newBuilder(endpoint().resolve("/moto-api/data.json")).GET().build()).body();
    }

    /**
     * A second emulator of this JVM's own, through the launcher, with {@code INFRA_EMULATOR_TIME_SCALE=scale}: slow
     * resources take AWS's typical durations divided by {@code scale} (docs/emulator.md, "Realistic timing"). Stopped
     * when the JVM exits.
     */
    public static synchronized URI startScaled(int scale) {
        Path motoServer = onPath("moto_server").orElseThrow(() -> new IllegalStateException(
                "moto_server is not installed: " + INSTALL_HINT));
        List<String> launcher = new ArrayList<>(interpreter(motoServer));
        launcher.add(extractLauncher().toString());
        return launch(launcher, java.util.Map.of("INFRA_EMULATOR_TIME_SCALE", Integer.toString(scale)));
    }

    /** Clients for {@code region} against the emulator at {@code endpoint} (one {@link #startScaled started}). */
    public static AwsClients clients(String region, URI endpoint) {
        useDummyCredentials();
        return AwsClients.create(new AwsSettings(region, null, endpoint, MAX_ATTEMPTS), List.of());
    }

    private static URI start() {
        Path motoServer = onPath("moto_server").orElseThrow(() -> new IllegalStateException(
                "moto_server is not installed (the AWS emulator the integration tests need). Install it with: "
                        + INSTALL_HINT + "  — or set " + ENDPOINT_ENV + " to a running emulator's URL."));
        List<String> launcher = new ArrayList<>(interpreter(motoServer));
        launcher.add(extractLauncher().toString());
        try {
            return launch(launcher, java.util.Map.of());
        } catch (IllegalStateException patched) {
            // e.g. the interpreter found is not the one moto is installed for: run moto unpatched.
            System.err.println("[emulator] " + patched.getMessage() + "; starting plain moto_server");
            try {
                return launch(List.of(motoServer.toString()), java.util.Map.of());
            } catch (IllegalStateException plain) {
                plain.addSuppressed(patched);
                throw plain;
            }
        }
    }

    private static URI launch(List<String> command, java.util.Map<String, String> env) {
        int port = freePort();
        List<String> cmd = new ArrayList<>(command);
        cmd.addAll(List.of("-H", "127.0.0.1", "-p", Integer.toString(port)));
        Path log;
        Process process;
        try {
            log = Files.createTempFile("moto-server-", ".log");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
            pb.environment().put("MOTO_IAM_LOAD_MANAGED_POLICIES", "true");
            pb.environment().putAll(env);
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("could not start " + String.join(" ", cmd) + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(process), "moto-server-stop"));
        URI uri = URI.create("http://127.0.0.1:" + port);
        try {
            waitUntilUp(uri, process, START_TIMEOUT);
        } catch (IllegalStateException e) {
            stop(process);
            throw new IllegalStateException(e.getMessage() + " (" + String.join(" ", cmd) + "); its output:\n" + tail(log), e);
        }
        return uri;
    }

    private static void waitUntilUp(URI uri, Process process, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        // The dashboard page: cheap however much the emulator holds (data.json grows with every resource).
        HttpRequest ping = HttpRequest.newBuilder(uri.resolve("/moto-api/"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        while (true) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("the emulator exited with status " + process.exitValue());
            }
            try {
                if (HTTP.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the emulator", e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the emulator at " + uri + " did not answer GET /moto-api/ within "
                        + timeout.toSeconds() + " s");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the emulator", e);
            }
        }
    }

    private static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The interpreter named by moto_server's {@code #!} line when it is a Python one, else {@code python3}. */
    private static List<String> interpreter(Path motoServer) {
        try {
            List<String> lines = Files.readAllLines(motoServer, StandardCharsets.ISO_8859_1);
            String first = lines.isEmpty() ? "" : lines.get(0);
            if (first.startsWith("#!") && first.contains("python")) {
                return List.of(first.substring(2).trim().split("\\s+"));
            }
        } catch (IOException | RuntimeException e) {
            // a binary wrapper or unreadable: fall through
        }
        return List.of("python3");
    }

    private static Path extractLauncher() {
        try (InputStream in = Emulator.class.getResourceAsStream("moto_launcher.py")) {
            if (in == null) {
                throw new IllegalStateException("moto_launcher.py is missing from the test classpath");
            }
            Path file = Files.createTempFile("moto_launcher-", ".py");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("could not write moto_launcher.py: " + e.getMessage(), e);
        }
    }

    private static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, program);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port: " + e.getMessage(), e);
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
