package io.authstream.localstack;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local stack's mail server: GreenMail on loopback, a real SMTP server that the welcome-mail
 * sink sends to, with IMAP and POP3 to read what it took (any password: the mailbox of each
 * recipient is made on delivery, its user name the address). Each mail is also written to
 * {@code <data-dir>/mail/} as an {@code .eml} file, which any mail program opens and which stays
 * after a restart (GreenMail keeps its mailboxes in memory).
 */
final class LocalMail implements AutoCloseable {

    static final String HOST = "127.0.0.1";

    private static final Logger LOG = LoggerFactory.getLogger(LocalMail.class);
    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS");

    private final GreenMail greenMail;
    private final Path directory;

    private LocalMail(GreenMail greenMail, Path directory) {
        this.greenMail = greenMail;
        this.directory = directory;
    }

    /** Port 0 takes a free port (the tests). */
    static LocalMail start(int smtpPort, int imapPort, int pop3Port, Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the mail directory " + directory, e);
        }
        GreenMail greenMail = new GreenMail(new ServerSetup[] {
            setup(smtpPort, ServerSetup.PROTOCOL_SMTP),
            setup(imapPort, ServerSetup.PROTOCOL_IMAP),
            setup(pop3Port, ServerSetup.PROTOCOL_POP3)
        });
        greenMail.withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        LocalMail mail = new LocalMail(greenMail, directory);
        MessageDeliveryHandler deliver = greenMail.getUserManager().getMessageDeliveryHandler();
        AtomicLong sequence = new AtomicLong();
        greenMail.getUserManager().setMessageDeliveryHandler((message, address) -> {
            GreenMailUser user = deliver.handle(message, address);
            mail.save(message.getMessage(), address.getEmail(), sequence.incrementAndGet());
            return user;
        });
        return mail;
    }

    private static ServerSetup setup(int port, String protocol) {
        ServerSetup setup = new ServerSetup(port, HOST, protocol);
        return port == 0 ? setup.dynamicPort() : setup;
    }

    /** A copy of the mail as a file; a failure to write it loses only the copy, never the mail. */
    private void save(MimeMessage message, String recipient, long sequence) {
        String name = FILE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)) + "-" + sequence + "-"
                + recipient.replaceAll("[^A-Za-z0-9@._-]", "_") + ".eml";
        Path file = directory.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            message.writeTo(out);
            LOG.info("welcome mail to {} saved as {}", recipient, file);
        } catch (IOException | MessagingException e) {
            LOG.warn("mail to {} taken but not saved to {}: {}", recipient, file, e.getMessage());
        }
    }

    int smtpPort() {
        return greenMail.getSmtp().getPort();
    }

    int imapPort() {
        return greenMail.getImap().getPort();
    }

    int pop3Port() {
        return greenMail.getPop3().getPort();
    }

    Path directory() {
        return directory;
    }

    /** Every mail taken since the start. */
    List<MimeMessage> received() {
        return List.of(greenMail.getReceivedMessages());
    }

    /** Where a person reads the mails. */
    List<String> describe() {
        return List.of(
                "SMTP " + HOST + ":" + smtpPort() + " (the welcome-mail sink sends here)",
                "each mail saved as " + directory + "/*.eml",
                "IMAP " + HOST + ":" + imapPort() + ", POP3 " + HOST + ":" + pop3Port()
                        + " (user: the recipient address, any password, no TLS)");
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}
