package io.authstream.connect.mail;

import io.authstream.connect.ErrantRecords;
import io.authstream.connect.Versions;
import io.authstream.connect.mail.MailTemplate.RenderedMail;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.Notification;
import io.authstream.schemas.serde.AvroDeserializer;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Mails the notifications of its partitions in offset order, each at most once: a notification
 * on the sent topic is passed over, and a mail the server took is recorded there before
 * {@link #put} returns (so before Connect can commit its offset; see {@link SentNotifications}).
 *
 * <p>The server's answer decides the rest ({@link SmtpFailure}). A transient failure (4yz, no
 * connection, a timeout) makes Connect redeliver the batch after a doubling backoff (the mails
 * already taken are on the sent topic and passed over), up to {@code max.retries}; then the task
 * fails with its notifications unread, and a restart sends them. A permanent refusal of the mail
 * (5yz to RCPT TO or to the data), a notification without an e-mail address and a record that is
 * no notification go to Connect's errant-record reporter (the connector's dead-letter queue) with
 * the server's reply in the reason; the task goes on. A refusal of the sender or of the
 * credentials would refuse every mail, so it fails the task instead.
 */
public final class WelcomeMailSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(WelcomeMailSinkTask.class);

    private WelcomeMailSinkConfig config;
    private MailTemplate template;
    private AvroDeserializer<Notification> notifications;
    private SentNotifications sent;
    private SmtpSender smtp;
    private ErrantRecordReporter errants;
    private MailCounts counts;
    private int consecutiveFailures;

    @Override
    public void start(Map<String, String> props) {
        GeneratedClasses.trust();
        config = new WelcomeMailSinkConfig(props);
        template = MailTemplate.load(config.templatePath());
        notifications = new AvroDeserializer<>(Notification.class, config.serdeConfig());
        sent = SentNotifications.open(config.sentTopic(), config.sentClientConfig());
        smtp = new SmtpSender(config);
        errants = context.errantRecordReporter();
        counts = new MailCounts(MailCounts.of(context));
        LOG.info(
                "mailing '{}' notifications through {}:{} ({}) with the {} template; {} already sent on {}",
                config.kind(),
                config.host(),
                config.port(),
                config.security(),
                template.source(),
                sent.size(),
                config.sentTopic());
    }

    /** Partitions may come from a task that mailed some of their notifications since this one read the topic. */
    @Override
    public void open(Collection<TopicPartition> partitions) {
        sent.catchUp();
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        try {
            for (SinkRecord record : records) {
                handle(record);
            }
            consecutiveFailures = 0;
        } catch (TransientFailure e) {
            counts.retried.increment();
            consecutiveFailures++;
            if (consecutiveFailures > config.maxRetries()) {
                throw new ConnectException(
                        "SMTP sends still failing after " + config.maxRetries() + " retries (" + e.failure.describe()
                                + "); the notifications stay unread and a restart sends them",
                        e);
            }
            Duration wait = backoff(consecutiveFailures);
            LOG.warn(
                    "SMTP send of notification {} failed transiently ({}); batch of {} retried in {} ms (retry {}/{})",
                    e.notificationId,
                    e.failure.describe(),
                    records.size(),
                    wait.toMillis(),
                    consecutiveFailures,
                    config.maxRetries());
            context.timeout(wait.toMillis());
            throw new RetriableException(e.getMessage(), e);
        } finally {
            smtp.close();
        }
        LOG.info("batch of {} notifications done: {}", records.size(), counts);
    }

    private void handle(SinkRecord record) {
        if (!(record.value() instanceof byte[] bytes)) {
            reject(
                    record,
                    new IllegalArgumentException("expected the raw bytes of a notification (value.converter="
                            + "org.apache.kafka.connect.converters.ByteArrayConverter), got "
                            + (record.value() == null
                                    ? "a tombstone"
                                    : record.value().getClass().getName())));
            return;
        }
        Notification notification;
        try {
            notification = notifications.deserialize(record.topic(), bytes);
        } catch (RuntimeException e) {
            reject(record, e);
            return;
        }
        String id = notification.getNotificationId();
        if (!config.kind().equals(notification.getKind())) {
            counts.otherKind.increment();
            return;
        }
        if (sent.contains(id)) {
            counts.alreadySent.increment();
            LOG.info("notification {} was mailed before; not again", id);
            return;
        }
        String email = notification.getEmail();
        if (email == null || email.isBlank()) {
            reject(record, new IllegalArgumentException("notification " + id + " has no e-mail address"));
            return;
        }
        InternetAddress to;
        try {
            to = new InternetAddress(email, true);
            if (notification.getDisplayName() != null
                    && !notification.getDisplayName().isBlank()) {
                to.setPersonal(MailTemplate.oneLine(notification.getDisplayName()), StandardCharsets.UTF_8.name());
            }
        } catch (AddressException | UnsupportedEncodingException e) {
            reject(
                    record,
                    new IllegalArgumentException(
                            "notification " + id + " has no valid e-mail address: " + e.getMessage(), e));
            return;
        }
        RenderedMail mail = template.render(TemplateValues.of(notification));
        String messageId = MessageIds.of(id, config.messageIdDomain());
        try {
            smtp.send(to, messageId, mail);
        } catch (MessagingException e) {
            SmtpFailure failure = SmtpFailure.of(e);
            switch (failure.kind()) {
                case TRANSIENT -> throw new TransientFailure(id, failure, e);
                case REFUSED -> {
                    reject(
                            record,
                            new MailRefusedException(
                                    "the SMTP server refused the mail of notification " + id + ": "
                                            + failure.describe(),
                                    e));
                    return;
                }
                case CONFIGURATION ->
                    throw new ConnectException(
                            "the SMTP server " + config.host() + ":" + config.port() + " refuses the sender or the "
                                    + "credentials (" + failure.describe()
                                    + "); every mail would fail, so the task stops",
                            e);
                default -> throw new IllegalStateException(failure.kind().name());
            }
        }
        sent.record(id, messageId);
        counts.sent.increment();
        LOG.info("mailed notification {} as {}", id, messageId);
    }

    private void reject(SinkRecord record, Exception reason) {
        ErrantRecords.report(errants, record, reason, LOG);
        counts.deadLettered.increment();
    }

    private Duration backoff(int failures) {
        long millis = config.initialBackoff().toMillis() << Math.min(failures - 1, 20);
        return Duration.ofMillis(Math.min(millis, config.maxBackoff().toMillis()));
    }

    @Override
    public void stop() {
        if (smtp != null) {
            smtp.close();
        }
        if (sent != null) {
            sent.close();
        }
        if (notifications != null) {
            notifications.close();
        }
        if (counts != null) {
            LOG.info("stopped: {}", counts);
        }
    }

    @Override
    public String version() {
        return Versions.current();
    }

    /** The reason of a dead letter: the server's reply to this mail. */
    static final class MailRefusedException extends Exception {
        MailRefusedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A send that may succeed later: ends the batch, which Connect redelivers after the backoff. */
    private static final class TransientFailure extends RuntimeException {
        final String notificationId;
        final transient SmtpFailure failure;

        TransientFailure(String notificationId, SmtpFailure failure, Throwable cause) {
            super("transient SMTP failure for notification " + notificationId + ": " + failure.describe(), cause);
            this.notificationId = notificationId;
            this.failure = failure;
        }
    }
}
