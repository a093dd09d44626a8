package dev.infra.cli;

import dev.infra.core.output.Outputs;
import dev.infra.core.state.Json;
import dev.infra.core.state.State;
import dev.infra.core.state.StateBackend;
import dev.infra.core.state.StateBackendException;
import dev.infra.core.topology.Topology;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "output", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Print what to connect to, from the state: VPC, load balancer DNS names, cluster endpoints,",
                "and the Helm commands of the in-cluster step (Cilium, NGINX ingress). No AWS call but reading a state kept in S3."})
final class OutputCommand extends BaseCommand {

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "Print only this output's value.")
    String name;

    @Option(names = "--json", description = "All outputs as one JSON object; with NAME, that output's JSON value.")
    boolean json;

    @Override
    int execute() throws Exception {
        Topology t = topology();
        StateBackend backend = backend(t);
        State state = backend.read().filter(s -> !s.resources().isEmpty()).orElseThrow(() -> new StateBackendException(
                "stack " + t.stack() + " has nothing applied in " + t.region() + " (no resources in " + backend.describe()
                        + "): run 'infra apply' first, or point at the state with --state-dir or the backend options"));
        Map<String, Object> outputs = Outputs.of(t, state);
        if (name != null) {
            Object v = outputs.get(name);
            if (v == null) {
                throw new UsageException("no output " + name + dev.infra.core.topology.Names.didYouMean(name, outputs.keySet()));
            }
            if (json) {
                console().result(Json.MAPPER.writeValueAsString(v));
            } else {
                print(v);
            }
        } else if (json) {
            console().result(Json.MAPPER.writeValueAsString(outputs));
        } else {
            outputs.forEach((k, v) -> {
                if (v instanceof List<?> lines) {
                    console().result(k + " =");
                    lines.forEach(l -> console().result("  " + l));
                } else {
                    console().result(k + " = " + v);
                }
            });
        }
        return ExitCodes.OK;
    }

    private void print(Object v) {
        if (v instanceof List<?> lines) {
            lines.forEach(l -> console().result(String.valueOf(l)));
        } else {
            console().result(String.valueOf(v));
        }
    }
}
