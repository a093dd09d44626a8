package dev.infra.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "completion", mixinStandardHelpOptions = true, footer = ExitCodes.HELP,
        description = {"Print a shell completion script.", "bash: source <(infra completion bash); zsh: source <(infra completion zsh)"})
final class CompletionCommand implements java.util.concurrent.Callable<Integer> {

    enum Shell { bash, zsh }

    @Parameters(paramLabel = "SHELL", description = "bash or zsh")
    Shell shell;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.root().commandLine();
        String script = AutoComplete.bash("infra", root);
        // picocli's script is bash; zsh runs it through bashcompinit.
        String prefix = shell == Shell.zsh ? "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" : "";
        spec.commandLine().getOut().print(prefix + script);
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
