package dev.infra.core.topology;

import dev.infra.core.testing.Fixtures;
import org.junit.jupiter.api.Test;

class ProbeTest {
    @Test
    void probe() throws Exception {
        java.nio.file.Path dir = Fixtures.topologyFile("network").getParent().getParent();
        try (var s = java.nio.file.Files.list(dir)) {
            for (var d : s.sorted().toList()) {
                String n = d.getFileName().toString();
                try {
                    TopologyLoader.load(d.resolve("infra.yaml"));
                    System.out.println("OK " + n);
                } catch (Throwable t) {
                    System.out.println("FAIL " + n + " " + t.getClass().getSimpleName());
                    if (t instanceof dev.infra.core.diag.InvalidInputException e) {
                        e.diagnostics().forEach(x -> System.out.println("   " + x.render().replace(dir.toString(), "")));
                    } else t.printStackTrace(System.out);
                }
            }
        }
    }
}
