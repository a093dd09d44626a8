package dev.infra.cli;

import dev.infra.core.Engine;
import dev.infra.core.diag.Diagnostic;
import dev.infra.core.state.LocalBackend;
import dev.infra.core.state.StateBackend;
import dev.infra.core.topology.Topology;
import dev.infra.core.topology.TopologyLoader;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsProviders;
import dev.infra.providers.AwsSettings;
import dev.infra.providers.ec2.Ec2RegionCatalog;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: the global options, the console, loading the topology, and building
 * the engine (AWS clients are made only when a command needs them).
 */
abstract class BaseCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    private Console console;
    private AwsClients clients;

    @Override
    public final Integer call() throws Exception {
        try {
            return execute();
        } finally {
            if (clients != null) {
                if (global.stats) {
                    printStats();
                }
                clients.close();
            }
        }
    }

    abstract int execute() throws Exception;

    Console console() {
        if (console == null) {
            boolean color = !global.noColor && System.getenv("NO_COLOR") == null && System.console() != null;
            console = new Console(spec.commandLine().getOut(), spec.commandLine().getErr(), color);
        }
        return console;
    }

    /** The topology, with --region applied; warnings go to stderr. */
    Topology topology() {
        TopologyLoader.Loaded loaded = TopologyLoader.load(global.file);
        loaded.warnings().forEach(w -> console().progress(w.render()));
        Topology t = loaded.topology();
        return global.region == null ? t : t.inRegion(global.region);
    }

    StateBackend backend(Topology t) {
        return LocalBackend.of(global.stateDir, t.stack(), t.region());
    }

    Engine engine(Topology t) {
        clients = AwsClients.create(new AwsSettings(t.region(), global.profile, global.endpointUrl, global.maxAttempts));
        return Engine.create(AwsProviders.registry(clients), backend(t), new Ec2RegionCatalog(clients));
    }

    void warn(Diagnostic d) {
        console().progress(d.render());
    }

    private void printStats() {
        Map<String, Map<String, Long>> calls = clients.counter().snapshot();
        StringBuilder sb = new StringBuilder("AWS API calls: " + clients.counter().total());
        calls.forEach((service, ops) -> {
            long n = ops.values().stream().mapToLong(Long::longValue).sum();
            sb.append("\n  ").append(service).append(": ").append(n);
            ops.forEach((op, c) -> sb.append("\n    ").append(op).append(": ").append(c));
        });
        console().progress(sb.toString());
    }
}
