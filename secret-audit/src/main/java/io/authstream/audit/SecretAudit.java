package io.authstream.audit;

import io.authstream.audit.SecretScanner.Leak;
import io.authstream.audit.SecretScanner.ScanResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The audit of one build run: every line that any test JVM of every module with tests wrote
 * (console copies, child process logs, dump streams) is checked for every secret any of them
 * recorded. An audit that read nothing proves nothing, so finding no secret, no output file, or a
 * module that ran tests but left no output is a problem too.
 */
record SecretAudit(
        BuildRun run,
        List<String> audited,
        List<String> notRun,
        List<String> withoutOutput,
        int secrets,
        ScanResult scan) {

    private static final int LEAKS_SHOWN = 20;

    /** Audits every module of the root pom that has tests, except {@code self} (the audit's own). */
    static SecretAudit of(BuildRun run, Path self) throws IOException {
        List<String> audited = new ArrayList<>();
        List<String> notRun = new ArrayList<>();
        List<String> withoutOutput = new ArrayList<>();
        List<Path> outputs = new ArrayList<>();
        Set<String> secrets = new HashSet<>();
        for (String module : RootPom.modules(run.root())) {
            Path directory = run.root().resolve(module).normalize();
            if (!ModuleRecords.hasTests(run.root(), module) || directory.equals(self.normalize())) {
                continue;
            }
            ModuleRecords records = ModuleRecords.read(run.root(), module, run);
            audited.add(module);
            if (!records.testsRan()) {
                notRun.add(module);
            } else if (records.outputs().isEmpty()) {
                withoutOutput.add(module);
            }
            outputs.addAll(records.outputs());
            for (Path file : records.secretFiles()) {
                Files.readAllLines(file).stream()
                        .filter(line -> !line.isEmpty())
                        .forEach(secrets::add);
            }
        }
        return new SecretAudit(
                run, audited, notRun, withoutOutput, secrets.size(), new SecretScanner(secrets).scan(outputs));
    }

    /** Why the audit fails; empty when it passes. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (secrets == 0) {
            problems.add("no test recorded a secret in " + run.secrets() + " of any module: nothing was checked");
        }
        if (scan.files() == 0) {
            problems.add("no test JVM left output in " + run.output() + " of any module: nothing was checked");
        }
        for (String module : withoutOutput) {
            problems.add(module + " ran tests in this build but left no output in " + module + "/" + run.output()
                    + ": are test-records (a test dependency) and its console copy missing?");
        }
        List<Leak> leaks = scan.leaks();
        if (!leaks.isEmpty()) {
            problems.add(leaks.size() + " output line(s) hold a secret the tests configured (masked "
                    + SecretScanner.MASK + "):");
            leaks.stream()
                    .limit(LEAKS_SHOWN)
                    .forEach(leak -> problems.add(
                            "  " + run.root().relativize(leak.file()) + ":" + leak.line() + ": " + leak.maskedLine()));
            if (leaks.size() > LEAKS_SHOWN) {
                problems.add("  ... and " + (leaks.size() - LEAKS_SHOWN) + " more");
            }
        }
        return problems;
    }

    /** What was checked, for the build log and the README. */
    String figures() {
        return String.format(
                Locale.ROOT,
                "secret audit of run %s: %d files (%.1f MiB, %,d lines) of %d modules checked for %d secrets; "
                        + "modules with tests that did not run in this build: %s",
                run.id(),
                scan.files(),
                scan.bytes() / 1048576.0,
                scan.lines(),
                audited.size() - notRun.size(),
                secrets,
                notRun.isEmpty() ? "none" : String.join(", ", notRun));
    }
}
