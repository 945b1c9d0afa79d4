package io.authstream.connect.mail;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * What a failed send means for the notification, judged from the SMTP server's reply (RFC 5321
 * 4.2.1: 4yz is a transient failure, 5yz a permanent one) and from which command it answered.
 *
 * @param kind what to do with the notification
 * @param replyCode the server's reply code, or 0 when there was no reply (no connection, a timeout)
 * @param reply the server's reply line(s) as it sent them, else what went wrong
 */
public record SmtpFailure(Kind kind, int replyCode, String reply) {

    public enum Kind {
        /** 4yz, a lost connection or a timeout: try the same mail again later. */
        TRANSIENT,
        /** 5yz to RCPT TO or to the message itself: this mail will never be taken; dead-letter it. */
        REFUSED,
        /**
         * 5yz to authentication or to MAIL FROM (a sender the server does not accept, TLS or
         * authentication required): every mail would fail alike, so the task stops instead of
         * dead-lettering them all.
         */
        CONFIGURATION
    }

    /** Classifies what Jakarta Mail threw for one send. */
    public static SmtpFailure of(MessagingException failure) {
        List<Exception> chain = chain(failure);
        Optional<SMTPAddressFailedException> recipient = first(chain, SMTPAddressFailedException.class);
        if (recipient.isPresent()) {
            return coded(recipient.get().getReturnCode(), recipient.get().getMessage(), Kind.REFUSED);
        }
        Optional<SMTPSenderFailedException> sender = first(chain, SMTPSenderFailedException.class);
        if (sender.isPresent()) {
            return coded(sender.get().getReturnCode(), sender.get().getMessage(), Kind.CONFIGURATION);
        }
        Optional<SMTPSendFailedException> message = first(chain, SMTPSendFailedException.class);
        if (message.isPresent()) {
            return coded(message.get().getReturnCode(), message.get().getMessage(), Kind.REFUSED);
        }
        Optional<AuthenticationFailedException> authentication = first(chain, AuthenticationFailedException.class);
        if (authentication.isPresent()) {
            // Jakarta Mail puts the server's reply (e.g. 535 5.7.8) in the message, never the password.
            String reply = clean(authentication.get().getMessage());
            int code = replyCode(reply);
            return new SmtpFailure(
                    code >= 400 && code < 500 ? Kind.TRANSIENT : Kind.CONFIGURATION,
                    code,
                    reply.isEmpty() ? "authentication failed" : reply);
        }
        // No reply code: no connection, a timeout, a bad greeting. Waiting may mend it; the retry
        // limit stops the task when it does not.
        return new SmtpFailure(Kind.TRANSIENT, 0, describe(chain));
    }

    private static SmtpFailure coded(int code, String reply, Kind permanent) {
        Kind kind = code >= 400 && code < 500 ? Kind.TRANSIENT : code >= 500 ? permanent : Kind.TRANSIENT;
        return new SmtpFailure(kind, code, clean(reply));
    }

    /** The exceptions Jakarta Mail chained (next exceptions and causes), outermost first. */
    private static List<Exception> chain(MessagingException failure) {
        List<Exception> chain = new ArrayList<>();
        Throwable at = failure;
        while (at instanceof Exception e && !chain.contains(e) && chain.size() < 20) {
            chain.add(e);
            Throwable next = e instanceof MessagingException m && m.getNextException() != null
                    ? m.getNextException()
                    : e.getCause();
            at = next;
        }
        return chain;
    }

    private static <T> Optional<T> first(List<Exception> chain, Class<T> type) {
        return chain.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    private static String describe(List<Exception> chain) {
        List<String> parts = new ArrayList<>();
        for (Exception e : chain) {
            String message = clean(e.getMessage());
            if (!message.isEmpty() && parts.stream().noneMatch(p -> p.contains(message))) {
                parts.add(message);
            }
        }
        return parts.isEmpty() ? chain.get(0).getClass().getSimpleName() : String.join(": ", parts);
    }

    private static int replyCode(String reply) {
        return reply.length() >= 3 && reply.substring(0, 3).chars().allMatch(Character::isDigit)
                ? Integer.parseInt(reply.substring(0, 3))
                : 0;
    }

    private static String clean(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** For log lines and dead-letter reasons: the reply as the server gave it. */
    public String describe() {
        return replyCode == 0 ? reply : reply.startsWith(Integer.toString(replyCode)) ? reply : replyCode + " " + reply;
    }
}
