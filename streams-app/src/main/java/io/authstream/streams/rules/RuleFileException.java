package io.authstream.streams.rules;

import java.util.List;

/** A rule file that was refused, with every problem found in it ("file: rule 'id': what is wrong"). */
public final class RuleFileException extends RuntimeException {

    private final String file;
    private final List<String> problems;

    public RuleFileException(String file, List<String> problems) {
        super(message(file, problems));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    public String file() {
        return file;
    }

    public List<String> problems() {
        return problems;
    }

    private static String message(String file, List<String> problems) {
        return "rule file " + file + " refused, " + problems.size()
                + (problems.size() == 1 ? " problem:" : " problems:") + "\n  " + String.join("\n  ", problems);
    }
}
