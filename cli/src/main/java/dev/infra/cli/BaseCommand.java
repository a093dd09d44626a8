package dev.infra.cli;

import dev.infra.core.stack.Engine;
import dev.infra.core.stack.StackEngine;
import dev.infra.core.diag.Diagnostic;
import dev.infra.core.state.LocalBackend;
import dev.infra.core.state.StateBackend;
import dev.infra.core.state.StateBackendException;
import dev.infra.core.topology.AwsNames;
import dev.infra.core.topology.Backend;
import dev.infra.core.topology.StackBuckets;
import dev.infra.core.topology.Topology;
import dev.infra.core.topology.TopologyLoader;
import dev.infra.providers.AwsClients;
import dev.infra.providers.AwsProviders;
import dev.infra.providers.AwsSettings;
import dev.infra.providers.RequestLog;
import dev.infra.providers.helm.Helm;
import java.util.List;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import dev.infra.providers.ec2.Ec2RegionCatalog;
import dev.infra.providers.state.S3Backend;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: the global options, the console, loading the topology, and building
 * the engine and the state backend (AWS clients are made only when a command needs them).
 */
abstract class BaseCommand implements Callable<Integer> {

    @Mixin
    GlobalOptions global;

    @Spec
    CommandSpec spec;

    private Console console;
    /** One set of clients per region: the stack's, and the state bucket's when that is elsewhere. */
    private final Map<String, AwsClients> clients = new LinkedHashMap<>();
    /** The topology file's own region, before --region: the default region of the state bucket. */
    private String fileRegion;

    @Override
    public final Integer call() throws Exception {
        try {
            // Option values are checked before anything else runs, AWS calls included.
            checkRegion("--region", global.region);
            if (global.backendBucket != null) {
                AwsNames.bucket(global.backendBucket).ifPresent(f -> {
                    throw new UsageException("--backend-bucket: " + f.message());
                });
            }
            return execute();
        } finally {
            if (!clients.isEmpty()) {
                if (global.stats) {
                    printStats();
                }
                clients.values().forEach(AwsClients::close);
            }
        }
    }

    abstract int execute() throws Exception;

    /**
     * Runs an apply of this command (from here on, Ctrl-C stops it gracefully) and reports how it ended; the exit
     * code says whether every region succeeded.
     */
    int applyAndReport(ApplyingOptions applying, Function<Engine.ApplyOptions, StackEngine.Outcome> apply) {
        StackEngine.Outcome outcome;
        try {
            outcome = apply.apply(applying.toEngine(console(), interrupts().applying()));
        } finally {
            applying.progressDone();
        }
        return ApplyCommand.report(console(), applying, outcome, interrupted());
    }

    boolean interrupted() {
        return interrupts().interrupted();
    }

    private Interrupts interrupts() {
        return ((InfraCommand) spec.root().userObject()).interrupts;
    }

    Console console() {
        if (console == null) {
            boolean color = !global.noColor && System.getenv("NO_COLOR") == null && System.console() != null;
            console = new Console(spec.commandLine().getOut(), spec.commandLine().getErr(), color);
        }
        return console;
    }

    /** The topology, with --region applied; warnings go to stderr. */
    Topology topology() {
        Topology t = fileTopology();
        return global.region == null ? t : t.inRegion(global.region);
    }

    /**
     * The topology as the file has it, in its own region: the stack engine places it in each region itself. A state
     * bucket given on the command line is checked against it as {@code backend.s3.bucket} is.
     */
    Topology fileTopology() {
        TopologyLoader.Loaded loaded = TopologyLoader.load(global.file);
        loaded.warnings().forEach(w -> console().progress(w.render()));
        Topology t = loaded.topology();
        if (global.backendBucket != null) {
            StackBuckets.owner(t, global.backendBucket).ifPresent(owner -> {
                throw new UsageException("--backend-bucket: '" + global.backendBucket + "' is the stack's own bucket "
                        + owner + ": keep the state in a bucket made apart from the stack, or a destroy would delete"
                        + " the state with it");
            });
        }
        fileRegion = t.region();
        return t;
    }

    /**
     * A region option's value: not a region name is a usage error; a well-formed name infra does not know is only
     * a warning, since AWS opens regions after this version of infra was built.
     */
    void checkRegion(String option, String value) {
        if (value == null) {
            return;
        }
        AwsNames.region(value).ifPresent(f -> {
            if (f.error()) {
                throw new UsageException(option + ": " + f.message());
            }
            console().progress("warning: " + option + ": " + f.message());
        });
    }

    /** The engine over every region of the stack, each with its own clients, state and lock. */
    StackEngine stack(Topology file) {
        return StackEngine.create(region -> engine(file.inRegion(region)));
    }

    /**
     * Where the state lives: in S3 when the topology's {@code backend:} or {@code --backend-bucket} says so, else in
     * {@code --state-dir}. A local state left behind once the state moved to S3 is refused: applying from either
     * would fork the stack's history, so it must be migrated (or removed) first. Likewise a run without the backend
     * after {@code state migrate}: it would adopt everything into a new local state beside the real one.
     */
    StateBackend backend(Topology t) {
        Optional<Backend.S3> remote = remote(t);
        if (remote.isEmpty()) {
            LocalBackend local = local(t);
            local.movedTo().ifPresent(where -> {
                throw new StateBackendException("the state of stack " + t.stack() + " in " + t.region() + " was moved to "
                        + where + " by 'infra state migrate': use that backend ('backend: {s3: …}' in the topology, or"
                        + " --backend-bucket); to go back to a local state deliberately, delete "
                        + local.file().getFileName().toString().replaceFirst("\\.json$", "") + ".moved in "
                        + global.stateDir);
            });
            return local;
        }
        S3Backend s3 = s3(t, remote.get());
        LocalBackend local = local(t);
        if (Files.exists(local.file())) {
            throw new StateBackendException("the state of stack " + t.stack() + " in " + t.region() + " is kept in "
                    + s3.describe() + ", but a local state " + local.file() + " exists: run 'infra state migrate' to move"
                    + " it there, or delete it if it is obsolete");
        }
        return s3;
    }

    LocalBackend local(Topology t) {
        return LocalBackend.of(global.stateDir, t.stack(), t.region());
    }

    S3Backend s3(Topology t, Backend.S3 config) {
        return S3Backend.of(clients(config.region()), config, t.stack(), t.region());
    }

    /** The S3 backend's settings: the topology's {@code backend.s3} with the command line's overrides; empty: local. */
    Optional<Backend.S3> remote(Topology t) {
        Backend.S3 configured = t.backend() == null ? null : t.backend().s3();
        if (configured == null && global.backendBucket == null) {
            if (global.backendLockTable != null) {
                throw new UsageException("--backend-lock-table locks a state in S3: pass --backend-bucket too, or add"
                        + " 'backend: {s3: {bucket: …}}' to the topology");
            }
            return Optional.empty();
        }
        return Optional.of(new Backend.S3(
                global.backendBucket != null ? global.backendBucket : configured.bucket(),
                configured == null ? "" : configured.prefix(),
                global.backendLockTable != null ? global.backendLockTable : configured == null ? null : configured.lockTable(),
                configured == null ? fileRegion : configured.region(),
                configured == null ? null : configured.at()));
    }

    Engine engine(Topology t) {
        return Engine.create(AwsProviders.registry(clients(t.region()), Helm.locate(global.helm)), backend(t),
                new Ec2RegionCatalog(clients(t.region())));
    }

    AwsClients clients(String region) {
        if (global.maxAttempts < 1) {
            throw new UsageException("--max-attempts must be at least 1 (1: no retries), got " + global.maxAttempts);
        }
        List<ExecutionInterceptor> logging = global.verbose ? List.of(new RequestLog(console()::progress)) : List.of();
        return clients.computeIfAbsent(region, r ->
                AwsClients.create(new AwsSettings(r, global.profile, global.endpointUrl, global.maxAttempts), logging));
    }

    void warn(Diagnostic d) {
        console().progress(d.render());
    }

    private void printStats() {
        Map<String, Map<String, Long>> calls = new TreeMap<>();
        clients.values().forEach(c -> c.counter().snapshot().forEach((service, ops) -> ops.forEach((op, n) ->
                calls.computeIfAbsent(service, s -> new TreeMap<>()).merge(op, n, Long::sum))));
        long total = clients.values().stream().mapToLong(c -> c.counter().total()).sum();
        StringBuilder sb = new StringBuilder("AWS API calls: " + total);
        calls.forEach((service, ops) -> {
            long n = ops.values().stream().mapToLong(Long::longValue).sum();
            sb.append("\n  ").append(service).append(": ").append(n);
            ops.forEach((op, c) -> sb.append("\n    ").append(op).append(": ").append(c));
        });
        console().progress(sb.toString());
    }
}
