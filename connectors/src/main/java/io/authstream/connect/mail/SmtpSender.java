package io.authstream.connect.mail;

import io.authstream.connect.mail.MailTemplate.RenderedMail;
import io.authstream.connect.mail.WelcomeMailSinkConfig.Security;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Properties;

/**
 * Sends mails over one SMTP connection, opened at the first mail and kept for the next ones; any
 * failure closes it, so the next mail starts on a fresh connection (a server that refused a
 * recipient may have dropped it, and a half-finished transaction must not carry over).
 */
final class SmtpSender implements AutoCloseable {

    private final WelcomeMailSinkConfig config;
    private final Session session;
    private Transport transport;

    SmtpSender(WelcomeMailSinkConfig config) {
        this.config = config;
        this.session = Session.getInstance(properties(config));
    }

    static Properties properties(WelcomeMailSinkConfig config) {
        Properties props = new Properties();
        props.put("mail.transport.protocol", "smtp");
        props.put("mail.smtp.host", config.host());
        props.put("mail.smtp.port", Integer.toString(config.port()));
        props.put(
                "mail.smtp.connectiontimeout",
                Long.toString(config.connectTimeout().toMillis()));
        props.put("mail.smtp.timeout", Long.toString(config.timeout().toMillis()));
        props.put("mail.smtp.writetimeout", Long.toString(config.timeout().toMillis()));
        props.put("mail.smtp.from", config.from().getAddress());
        props.put("mail.smtp.auth", Boolean.toString(!config.username().isEmpty()));
        Security security = config.security();
        props.put("mail.smtp.ssl.enable", Boolean.toString(security == Security.SSL));
        props.put(
                "mail.smtp.starttls.enable",
                Boolean.toString(security == Security.STARTTLS || security == Security.STARTTLS_OPTIONAL));
        props.put("mail.smtp.starttls.required", Boolean.toString(security == Security.STARTTLS));
        if (config.trustedHosts().isEmpty()) {
            props.put("mail.smtp.ssl.checkserveridentity", "true");
        } else {
            // A trusted host's certificate is taken whatever it is, its name included (a test
            // server's self-signed certificate names no host).
            props.put("mail.smtp.ssl.trust", String.join(" ", config.trustedHosts()));
            props.put("mail.smtp.ssl.checkserveridentity", "false");
        }
        return props;
    }

    /** Sends {@code mail} to {@code to}; returns once the server took it (250 after the data). */
    void send(InternetAddress to, String messageId, RenderedMail mail) throws MessagingException {
        MimeMessage message = message(to, messageId, mail);
        try {
            if (transport == null || !transport.isConnected()) {
                close();
                transport = session.getTransport("smtp");
                if (config.username().isEmpty()) {
                    transport.connect();
                } else {
                    transport.connect(
                            config.host(),
                            config.port(),
                            config.username(),
                            config.password().value());
                }
            }
            transport.sendMessage(message, message.getAllRecipients());
        } catch (MessagingException | RuntimeException e) {
            close();
            throw e;
        }
    }

    MimeMessage message(InternetAddress to, String messageId, RenderedMail mail) throws MessagingException {
        MimeMessage message = new FixedIdMessage(session, messageId);
        message.setFrom(config.from());
        message.setRecipient(Message.RecipientType.TO, to);
        message.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        // RFC 3834: automatic replies (out-of-office) should not answer it.
        message.setHeader("Auto-Submitted", "auto-generated");
        String charset = StandardCharsets.UTF_8.name();
        if (mail.text().isPresent() && mail.html().isPresent()) {
            MimeBodyPart text = new MimeBodyPart();
            text.setText(mail.text().get(), charset, "plain");
            MimeBodyPart html = new MimeBodyPart();
            html.setText(mail.html().get(), charset, "html");
            message.setContent(new MimeMultipart("alternative", text, html));
        } else if (mail.text().isPresent()) {
            message.setText(mail.text().get(), charset, "plain");
        } else {
            message.setText(mail.html().orElseThrow(), charset, "html");
        }
        message.saveChanges();
        return message;
    }

    @Override
    public void close() {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException ignored) {
                // the connection is gone either way
            }
            transport = null;
        }
    }

    /** A message whose Message-ID is the one derived from its notification, not a random one. */
    private static final class FixedIdMessage extends MimeMessage {

        private final String messageId;

        FixedIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
