package io.authstream.opscli;

import io.authstream.rulescli.RulesCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code rules ...}: bin/rules' commands, run by rules-cli's own command class with everything
 * after {@code rules} (its --help included), so both entry points stay the same commands.
 */
@Command(
        name = "rules",
        description = "Detection rules as data (docs/rules-format.md): rules test|publish|withdraw, as bin/rules. "
                + "authstream rules --help lists them.")
final class Rules implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Unmatched
    List<String> arguments = new ArrayList<>();

    @Override
    public Integer call() {
        return RulesCommand.execute(
                spec.commandLine().getOut(), spec.commandLine().getErr(), arguments.toArray(String[]::new));
    }
}
