package dev.infra.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.infra.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every sample topology users start from validates cleanly, with no warnings. */
class SamplesTest {

    static List<Path> samples() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("."))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void validates(Path sample) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new String[] {"validate", "-f", sample.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertThat(exit).as(err.toString()).isZero();
        assertThat(err.toString()).isEmpty();
        assertThat(out.toString()).contains("is valid");
    }
}
