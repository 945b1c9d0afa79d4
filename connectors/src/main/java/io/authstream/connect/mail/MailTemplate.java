package io.authstream.connect.mail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A mail's subject, text body and HTML body with {@code {{name}}} placeholders, read from a file:
 *
 * <pre>
 * # comment lines before the subject are ignored
 * Subject: Welcome, {{displayName|there}}!
 * --- text ---
 * Hi {{displayName|there}}, ...
 * --- html ---
 * &lt;p&gt;Hi {{displayName|there}}, ...&lt;/p&gt;
 * </pre>
 *
 * <p>{@code {{name|fallback}}} gives the fallback when the value is unknown (no fallback: empty).
 * At least one body is required. Values are HTML-escaped in the HTML body and stripped of line
 * breaks in the subject (a display name holding a CR LF must not add a header); the template's
 * own text is taken as written. The template is parsed whole when the task starts, so a broken
 * file fails the start rather than a mail.
 */
public final class MailTemplate {

    /** The template shipped in the plugin, used when no path is configured. */
    static final String BUILT_IN = "welcome.template";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*(?:\\|([^}]*))?}}");
    private static final String SUBJECT = "subject:";
    private static final String TEXT = "--- text ---";
    private static final String HTML = "--- html ---";

    private final String source;
    private final String subject;
    private final Optional<String> text;
    private final Optional<String> html;

    private MailTemplate(String source, String subject, Optional<String> text, Optional<String> html) {
        this.source = source;
        this.subject = subject;
        this.text = text;
        this.html = html;
    }

    /** The template at {@code path}, or the built-in one when {@code path} is empty. */
    public static MailTemplate load(String path) {
        if (path == null || path.isEmpty()) {
            try (InputStream in = MailTemplate.class.getResourceAsStream(BUILT_IN)) {
                if (in == null) {
                    throw new IllegalStateException("the built-in mail template " + BUILT_IN + " is missing");
                }
                return parse("built-in " + BUILT_IN, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the built-in mail template", e);
            }
        }
        try {
            return parse(path, Files.readString(Path.of(path), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the mail template " + path + ": " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException naming {@code source} and the line, when the text is no template */
    public static MailTemplate parse(String source, String content) {
        List<String> lines = List.of(content.replace("\r\n", "\n").split("\n", -1));
        int at = 0;
        while (at < lines.size() && (lines.get(at).isBlank() || lines.get(at).startsWith("#"))) {
            at++;
        }
        if (at == lines.size() || !lines.get(at).regionMatches(true, 0, SUBJECT, 0, SUBJECT.length())) {
            throw new IllegalArgumentException(
                    source + ": the first line (after # comments) must be 'Subject: ...', line " + (at + 1));
        }
        String subject = lines.get(at).substring(SUBJECT.length()).strip();
        if (subject.isEmpty()) {
            throw new IllegalArgumentException(source + ": the subject is empty, line " + (at + 1));
        }
        checkPlaceholders(source, at + 1, subject);
        String section = null;
        List<String> text = null;
        List<String> html = null;
        for (int i = at + 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().equals(TEXT) || line.strip().equals(HTML)) {
                section = line.strip();
                if ((section.equals(TEXT) ? text : html) != null) {
                    throw new IllegalArgumentException(
                            source + ": a second '" + section + "' section, line " + (i + 1));
                }
                if (section.equals(TEXT)) {
                    text = new ArrayList<>();
                } else {
                    html = new ArrayList<>();
                }
                continue;
            }
            if (section == null) {
                if (!line.isBlank()) {
                    throw new IllegalArgumentException(
                            source + ": text before the first '" + TEXT + "' or '" + HTML + "' line, line " + (i + 1));
                }
                continue;
            }
            checkPlaceholders(source, i + 1, line);
            (section.equals(TEXT) ? text : html).add(line);
        }
        if (text == null && html == null) {
            throw new IllegalArgumentException(source + ": no '" + TEXT + "' or '" + HTML + "' section");
        }
        return new MailTemplate(source, subject, body(text), body(html));
    }

    private static Optional<String> body(List<String> lines) {
        if (lines == null) {
            return Optional.empty();
        }
        return Optional.of(String.join("\n", lines).strip() + "\n");
    }

    /** Braces that are not a placeholder are a typo that would otherwise reach every recipient. */
    private static void checkPlaceholders(String source, int lineNumber, String line) {
        String rest = PLACEHOLDER.matcher(line).replaceAll("");
        if (rest.contains("{{") || rest.contains("}}")) {
            throw new IllegalArgumentException(source + ": a '{{' or '}}' that is not a placeholder {{name}} or "
                    + "{{name|fallback}}, line " + lineNumber);
        }
    }

    /** The mail for these values (a missing or null value renders its fallback, else nothing). */
    public RenderedMail render(Map<String, String> values) {
        return new RenderedMail(
                fill(subject, values, MailTemplate::oneLine),
                text.map(t -> fill(t, values, UnaryOperator.identity())),
                html.map(h -> fill(h, values, MailTemplate::escapeHtml)));
    }

    private static String fill(String template, Map<String, String> values, UnaryOperator<String> encode) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null || value.isEmpty()) {
                value = m.group(2) == null ? "" : m.group(2).strip();
            }
            m.appendReplacement(out, Matcher.quoteReplacement(encode.apply(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String oneLine(String value) {
        return value.replaceAll("[\\p{Cntrl}\\u2028\\u2029]+", " ").strip();
    }

    static String escapeHtml(String value) {
        StringBuilder out = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Where the template came from, for log lines. */
    public String source() {
        return source;
    }

    /** A rendered mail: the subject and the bodies the template has. */
    public record RenderedMail(String subject, Optional<String> text, Optional<String> html) {}
}
