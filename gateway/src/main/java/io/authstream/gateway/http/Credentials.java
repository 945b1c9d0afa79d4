package io.authstream.gateway.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A secret compared in constant time. Both sides are hashed first, so neither the content nor
 * the length of the expected value shows in how long a comparison takes.
 */
public final class Credentials {

    private final byte[] expectedDigest;

    private Credentials(String expected) {
        this.expectedDigest = sha256(expected);
    }

    public static Credentials of(String expected) {
        if (expected == null || expected.isEmpty()) {
            throw new IllegalArgumentException("a credential must not be empty");
        }
        return new Credentials(expected);
    }

    public boolean matches(String presented) {
        return MessageDigest.isEqual(expectedDigest, sha256(presented == null ? "" : presented));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    @Override
    public String toString() {
        return "Credentials[****]";
    }
}
