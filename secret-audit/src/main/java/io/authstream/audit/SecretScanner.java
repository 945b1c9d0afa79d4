package io.authstream.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/** Finds the lines of files that hold any of a set of secrets, and says where, secrets masked. */
final class SecretScanner {

    static final String MASK = "****";
    private static final int SHOWN_CHARACTERS = 400;

    /** Longest first, so a secret that contains another ("Bearer t0k3n", "t0k3n") is masked whole. */
    private final List<String> secrets;

    SecretScanner(Collection<String> secrets) {
        this.secrets = secrets.stream()
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList();
    }

    ScanResult scan(List<Path> files) throws IOException {
        long lines = 0;
        long bytes = 0;
        List<Leak> leaks = new ArrayList<>();
        for (Path file : files) {
            byte[] content = Files.readAllBytes(file);
            bytes += content.length;
            // Lenient decoding: a child process's stray bytes must not stop the audit.
            String text = new String(content, StandardCharsets.UTF_8);
            int[] lineStarts = lineStarts(text);
            lines += text.isEmpty() ? 0 : lineStarts.length - (text.endsWith("\n") ? 1 : 0);
            for (int line : linesWithASecret(text, lineStarts)) {
                int end = line + 1 < lineStarts.length ? lineStarts[line + 1] - 1 : text.length();
                leaks.add(new Leak(file, line + 1, shown(mask(text.substring(lineStarts[line], end)))));
            }
        }
        return new ScanResult(files.size(), lines, bytes, leaks);
    }

    String mask(String line) {
        String masked = line;
        for (String secret : secrets) {
            masked = masked.replace(secret, MASK);
        }
        return masked;
    }

    /** Each distinct index of a line holding a secret, in order. */
    private TreeSet<Integer> linesWithASecret(String text, int[] lineStarts) {
        TreeSet<Integer> found = new TreeSet<>();
        for (String secret : secrets) {
            for (int at = text.indexOf(secret); at >= 0; at = text.indexOf(secret, at + 1)) {
                int line = Arrays.binarySearch(lineStarts, at);
                found.add(line >= 0 ? line : -line - 2);
            }
        }
        return found;
    }

    private static int[] lineStarts(String text) {
        int count = 1;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
            count++;
        }
        int[] starts = new int[count];
        int line = 1;
        for (int i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
            starts[line++] = i + 1;
        }
        return starts;
    }

    /** A long line cut to a window around its first masked secret. */
    private static String shown(String masked) {
        String line = masked.replace("\r", "");
        int from = Math.max(0, line.indexOf(MASK) - SHOWN_CHARACTERS / 2);
        int to = Math.min(line.length(), from + SHOWN_CHARACTERS);
        return (from > 0 ? "[...]" : "") + line.substring(from, to) + (to < line.length() ? "[...]" : "");
    }

    /** A line holding a secret: where it is, and the line with every secret masked. */
    record Leak(Path file, long line, String maskedLine) {

        @Override
        public String toString() {
            return file + ":" + line + ": " + maskedLine;
        }
    }

    /** What a scan read and what it found. */
    record ScanResult(int files, long lines, long bytes, List<Leak> leaks) {}
}
