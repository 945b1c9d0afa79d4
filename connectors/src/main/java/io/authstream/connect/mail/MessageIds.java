package io.authstream.connect.mail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Message-ID of a notification's mail, derived from its notification id alone: every send of
 * the same notification (a retry, a replay, a send repeated after a crash) carries the same id, so
 * the receiving systems can recognise a repeat (RFC 5322 3.6.4).
 *
 * <p>The id's left part must be dot-atom text, and a notification id such as
 * {@code welcome:auth0|abc} is not (the colon), so every character outside the safe set is
 * percent-encoded ({@code welcome%3Aauth0|abc}): readable, and two ids never share an encoding.
 * An id whose encoding would make a header line too long (user ids run to 2048 bytes) is replaced by
 * {@code sha256.} and the hex SHA-256 of the id.
 */
public final class MessageIds {

    /** Well under the 998-character line limit once {@code Message-ID: <...@domain>} is around it. */
    static final int MAX_LOCAL_PART = 200;

    private static final String SAFE =
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$&'*+-/=?^_`{|}~";

    private MessageIds() {}

    /** {@code <local@domain>} for the notification id. */
    public static String of(String notificationId, String domain) {
        return "<" + localPart(notificationId) + "@" + domain + ">";
    }

    static String localPart(String notificationId) {
        StringBuilder out = new StringBuilder();
        for (byte b : notificationId.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if (b >= 0 && SAFE.indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits(b));
            }
        }
        if (out.length() == 0 || out.length() > MAX_LOCAL_PART) {
            return "sha256." + sha256(notificationId);
        }
        return out.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /** Whether {@code domain} may stand right of the @ of a Message-ID (a dot-atom: labels joined by dots). */
    static boolean validDomain(String domain) {
        return domain != null
                && domain.matches(
                        "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*");
    }
}
