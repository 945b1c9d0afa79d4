package io.authstream.testrecords;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The secrets tests configure (route credentials, client secrets, the tokens a stand-in Auth0
 * hands out, AWS secret keys, passwords), for two checks that none reaches an output line: the
 * embedded stack's JUnit extension, over the log lines of each test class, and the suite audit,
 * over every output file of every test JVM of the build. For the audit each secret is also
 * appended to this JVM's file in the directory the build names ({@code authstream.test.secrets},
 * set in the root pom); test secrets are throwaway values, so writing them down is harmless.
 */
public final class TestSecrets {

    /** Shorter values (a test's "p") would match ordinary words; a real secret is longer. */
    public static final int MIN_LENGTH = 8;

    static final String DIRECTORY_PROPERTY = "authstream.test.secrets";

    private static final Set<String> SECRETS = ConcurrentHashMap.newKeySet();

    private static Path file;

    private TestSecrets() {}

    /**
     * Registers {@code secret}.
     *
     * @throws IllegalArgumentException if it is shorter than {@link #MIN_LENGTH} (lengthen the test's
     *         secret: a check for it would find it in ordinary text) or spans lines (the audit reads lines)
     */
    public static void register(String secret) {
        if (secret.length() < MIN_LENGTH) {
            throw new IllegalArgumentException("a test secret of " + secret.length()
                    + " characters cannot be told from " + "ordinary text in a log; use one of at least " + MIN_LENGTH);
        }
        if (secret.contains("\n") || secret.contains("\r")) {
            throw new IllegalArgumentException("a test secret must be on one line");
        }
        if (SECRETS.add(secret)) {
            record(secret);
        }
    }

    /**
     * Registers a credential as configured and each part that is a secret on its own: the token
     * after a scheme ({@code Bearer <token>}); after {@code user:}, the password, and the Base64
     * of {@code user:password}, which is what a Basic Authorization header carries. A list
     * ({@code AKID:secret,AKID2:secret2}) is split at commas first.
     */
    public static void registerCredential(String value) {
        for (String item : value.split(",")) {
            String credential = item.trim();
            register(credential);
            int space = credential.indexOf(' ');
            int colon = credential.indexOf(':');
            if (space > 0) {
                register(credential.substring(space + 1));
            } else if (colon > 0) {
                register(credential.substring(colon + 1));
                register(Base64.getEncoder().encodeToString(credential.getBytes(StandardCharsets.UTF_8)));
            }
        }
    }

    /** Every secret this JVM's tests have registered so far. */
    public static Set<String> all() {
        return Set.copyOf(SECRETS);
    }

    private static synchronized void record(String secret) {
        String directory = System.getProperty(DIRECTORY_PROPERTY);
        if (directory == null) {
            return; // not in a Maven build: no audit will read it
        }
        try {
            if (file == null) {
                Files.createDirectories(Path.of(directory));
                file = Files.createTempFile(
                        Path.of(directory), ProcessHandle.current().pid() + "-", ".secrets");
            }
            Files.writeString(file, secret + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record a test secret for the suite audit", e);
        }
    }
}
