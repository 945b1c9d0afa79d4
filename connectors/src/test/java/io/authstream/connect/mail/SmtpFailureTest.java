package io.authstream.connect.mail;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.connect.mail.SmtpFailure.Kind;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import jakarta.mail.internet.InternetAddress;
import java.net.SocketTimeoutException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.junit.jupiter.api.Test;

/** The exceptions as Angus Mail's SMTPTransport builds them for each reply (see SmtpSender). */
class SmtpFailureTest {

    private static final InternetAddress TO = address("jane@example.com");

    @Test
    void aPermanentRefusalOfTheRecipientIsRefusedWithTheServersReply() {
        // SMTPTransport: "Invalid Addresses", the RCPT reply chained as next exception.
        SendFailedException thrown = new SendFailedException(
                "Invalid Addresses",
                new SMTPAddressFailedException(
                        TO, "RCPT TO:<jane@example.com>", 550, "550 5.1.1 <jane@example.com>: mailbox unavailable\n"));
        SmtpFailure failure = SmtpFailure.of(thrown);
        assertThat(failure.kind()).isEqualTo(Kind.REFUSED);
        assertThat(failure.replyCode()).isEqualTo(550);
        assertThat(failure.describe()).isEqualTo("550 5.1.1 <jane@example.com>: mailbox unavailable");
    }

    @Test
    void aTransientRefusalOfTheRecipientIsTransient() {
        SendFailedException thrown = new SendFailedException(
                "Invalid Addresses",
                new SMTPAddressFailedException(TO, "RCPT TO:<jane@example.com>", 451, "451 4.3.0 try again later"));
        assertThat(SmtpFailure.of(thrown).kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(SmtpFailure.of(thrown).replyCode()).isEqualTo(451);
    }

    @Test
    void theReplyToTheDataDecidesLikeTheReplyToTheRecipient() {
        assertThat(SmtpFailure.of(dataReply(554, "554 5.7.1 Message rejected: content"))
                        .kind())
                .isEqualTo(Kind.REFUSED);
        assertThat(SmtpFailure.of(dataReply(451, "451 Requested action aborted: local error in processing"))
                        .kind())
                .isEqualTo(Kind.TRANSIENT);
        assertThat(SmtpFailure.of(dataReply(452, "452 4.3.1 Insufficient system storage"))
                        .describe())
                .isEqualTo("452 4.3.1 Insufficient system storage");
    }

    @Test
    void aRefusedSenderOrCredentialsStopTheTaskRatherThanDeadLetterEveryMail() {
        SMTPSenderFailedException sender = new SMTPSenderFailedException(
                address("welcome@example.com"),
                "MAIL FROM:<welcome@example.com>",
                554,
                "554 Message rejected: Email address is not verified.");
        assertThat(SmtpFailure.of(sender).kind()).isEqualTo(Kind.CONFIGURATION);
        assertThat(SmtpFailure.of(new AuthenticationFailedException("535 Authentication Credentials Invalid\n"))
                        .kind())
                .isEqualTo(Kind.CONFIGURATION);
        assertThat(SmtpFailure.of(new AuthenticationFailedException("454 4.7.0 Temporary authentication failure"))
                        .kind())
                .isEqualTo(Kind.TRANSIENT);
        // A temporary refusal of the sender (greylisting, rate limit) is only transient.
        assertThat(SmtpFailure.of(new SMTPSenderFailedException(
                                address("welcome@example.com"), "MAIL FROM", 421, "421 4.4.5 Too many connections"))
                        .kind())
                .isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void noReplyAtAllIsTransient() {
        MessagingException timeout =
                new MessagingException("Exception reading response", new SocketTimeoutException("Read timed out"));
        SmtpFailure failure = SmtpFailure.of(timeout);
        assertThat(failure.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(failure.replyCode()).isZero();
        assertThat(failure.describe()).isEqualTo("Exception reading response: Read timed out");
    }

    private static SMTPSendFailedException dataReply(int code, String reply) {
        return new SMTPSendFailedException(".", code, reply, null, null, new InternetAddress[] {TO}, null);
    }

    private static InternetAddress address(String text) {
        try {
            return new InternetAddress(text);
        } catch (jakarta.mail.internet.AddressException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
