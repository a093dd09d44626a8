package dev.infra.core.state;

import java.nio.file.Path;

/**
 * Run as its own JVM by {@link LocalBackendTest}: takes the lock of state {@code <dir> shop us-east-1}, prints
 * "locked", and holds it until its stdin closes. The OS lock of another process is what {@code state unlock} meets
 * when a real apply runs.
 */
public final class LockHolder {

    private LockHolder() {}

    public static void main(String[] args) throws Exception {
        try (StateBackend.Lock held = LocalBackend.of(Path.of(args[0]), "shop", "us-east-1").lock("apply")) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // hold until the parent closes our stdin
            }
        }
    }
}
