package io.authstream.connect.mail;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.user.UserException;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.authstream.embedded.connect.EmbeddedConnectWorker;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.Notification;
import io.authstream.schemas.serde.AvroSerializer;
import io.authstream.testrecords.TestSecrets;
import io.authstream.teststack.LogCapture;
import io.authstream.teststack.StackExtension;
import io.authstream.teststack.TestStack;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The sink in a real Connect worker on a real broker, mailing through real SMTP servers: GreenMail
 * (plain, and SMTPS with authentication; made to answer 451 to a mail's data), and
 * {@link ScriptedSmtpServer} for the 550 refusal GreenMail cannot give.
 */
@ExtendWith(StackExtension.class)
class WelcomeMailSinkConnectorIT {

    private static final Instant T0 = Instant.parse("2026-03-01T08:30:15.123Z");

    static {
        GeneratedClasses.trust();
    }

    private final TestStack stack;
    private GreenMail greenMail;

    WelcomeMailSinkConnectorIT(TestStack stack) {
        this.stack = stack;
    }

    @AfterEach
    void stopMailServer() {
        if (greenMail != null) {
            greenMail.stop();
        }
    }

    private static Notification welcome(String user, String email, String displayName, String event) {
        return Notification.newBuilder()
                .setNotificationId("welcome:" + user)
                .setKind("welcome")
                .setUserId(user)
                .setEmail(email)
                .setDisplayName(displayName)
                .setTriggeringEventId(event)
                .setCreatedAt(T0)
                .setAttributes(Map.of("provider", "google-oauth2"))
                .build();
    }

    /** Topics of one test: notifications (one partition, so the order of records is the order of mails), sent, DLQ. */
    private record Run(String notifications, String sent, String deadLetters) {}

    private Run topics(String name) throws Exception {
        String run = TestStack.uniqueTopic(name);
        Run topics = new Run(run + "-notifications", run + "-sent", run + "-dlq");
        try (Admin admin = stack.admin()) {
            admin.createTopics(List.of(
                            new NewTopic(topics.notifications(), 1, (short) 1),
                            new NewTopic(topics.sent(), 2, (short) 1)
                                    .configs(Topics.AUTH_NOTIFICATIONS_SENT.topicConfigs())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        return topics;
    }

    private Map<String, String> connectorConfig(Run run, int smtpPort) {
        Map<String, String> config = new HashMap<>();
        config.put("connector.class", WelcomeMailSinkConnector.class.getName());
        config.put("tasks.max", "1");
        config.put("topics", run.notifications());
        config.put("key.converter", "org.apache.kafka.connect.storage.StringConverter");
        config.put("value.converter", "org.apache.kafka.connect.converters.ByteArrayConverter");
        config.put("schema.registry.url", stack.schemaRegistryUrl());
        config.put("smtp.host", "127.0.0.1");
        config.put("smtp.port", Integer.toString(smtpPort));
        config.put("smtp.security", "none");
        config.put("mail.from", "Example <welcome@example.com>");
        config.put("sent.topic", run.sent());
        config.put("sent.bootstrap.servers", stack.bootstrapServers());
        config.put("retry.backoff.initial.ms", "200");
        config.put("retry.backoff.max.ms", "1000");
        config.put("errors.tolerance", "all");
        config.put("errors.deadletterqueue.topic.name", run.deadLetters());
        config.put("errors.deadletterqueue.topic.replication.factor", "1");
        config.put("errors.deadletterqueue.context.headers.enable", "true");
        return config;
    }

    private void produce(String topic, Notification... notifications) throws Exception {
        AvroSerializer<Notification> avro = new AvroSerializer<>(stack.serdeConfig(), false);
        Map<String, Object> producerConfig = stack.clientConfig();
        producerConfig.put("acks", "all");
        try (KafkaProducer<String, byte[]> producer =
                new KafkaProducer<>(producerConfig, new StringSerializer(), new ByteArraySerializer())) {
            for (Notification n : notifications) {
                producer.send(new ProducerRecord<>(topic, n.getUserId(), avro.serialize(topic, n)))
                        .get();
            }
        }
    }

    private GreenMail startGreenMail(ServerSetup setup) {
        return startGreenMail(setup, GreenMailConfiguration.aConfig());
    }

    private GreenMail startGreenMail(ServerSetup setup, GreenMailConfiguration configuration) {
        greenMail = new GreenMail(setup.dynamicPort());
        greenMail.withConfiguration(configuration);
        greenMail.start();
        return greenMail;
    }

    private List<MimeMessage> mailsTo(String address) {
        return Arrays.stream(greenMail.getReceivedMessages())
                .filter(m -> recipients(m).contains(address))
                .toList();
    }

    private static List<String> recipients(MimeMessage message) {
        try {
            return Arrays.stream(message.getRecipients(Message.RecipientType.TO))
                    .map(a -> ((InternetAddress) a).getAddress())
                    .toList();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void mailsEachWelcomeOnceThroughARestartAndAReplay() throws Exception {
        startGreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        int port = greenMail.getSmtp().getPort();
        Run run = topics("mail-once");
        Notification jane = welcome("auth0|jane", "jane@example.com", "Jane <Doe> & Co", "ev-1");
        Notification bob = welcome("auth0|bob", "bob@example.com", null, "ev-2");
        Notification otherKind = Notification.newBuilder(welcome("auth0|eve", "eve@example.com", "Eve", "ev-3"))
                .setNotificationId("password-reset:auth0|eve")
                .setKind("password-reset")
                .build();
        // The Streams app writes a notification again when it reprocesses: same id, so one mail.
        Notification janeAgain =
                Notification.newBuilder(jane).setTriggeringEventId("ev-1b").build();
        produce(run.notifications(), jane, bob, otherKind, janeAgain);

        try (EmbeddedConnectWorker worker = new EmbeddedConnectWorker(stack.bootstrapServers())) {
            JsonNode invalid = worker.validate(
                    WelcomeMailSinkConnector.class.getName(),
                    Map.of(
                            "connector.class",
                            WelcomeMailSinkConnector.class.getName(),
                            "topics",
                            run.notifications(),
                            "smtp.security",
                            "tls-please",
                            "mail.template.path",
                            "/nonexistent/welcome.template",
                            "max.retries",
                            "-1"));
            assertThat(invalid.toString())
                    .contains(
                            "Missing required configuration \\\"smtp.host\\\"",
                            "Missing required configuration \\\"mail.from\\\"",
                            "Missing required configuration \\\"sent.bootstrap.servers\\\"",
                            "Value must be at least 0",
                            "smtp.security",
                            "cannot read the mail template /nonexistent/welcome.template");

            assertThat(worker.putConnector("mailer", connectorConfig(run, port)).statusCode())
                    .isEqualTo(201);
            worker.awaitRunning("mailer", 1);
            await(() -> greenMail.getReceivedMessages().length >= 2, "two welcome mails");

            MimeMessage toJane = mailsTo("jane@example.com").get(0);
            assertThat(toJane.getSubject()).isEqualTo("Welcome, Jane <Doe> & Co!");
            assertThat(toJane.getMessageID()).isEqualTo("<welcome%3Aauth0|jane@example.com>");
            assertThat(((InternetAddress) toJane.getRecipients(Message.RecipientType.TO)[0]).getPersonal())
                    .isEqualTo("Jane <Doe> & Co");
            assertThat(((InternetAddress) toJane.getFrom()[0]).getAddress()).isEqualTo("welcome@example.com");
            Multipart parts = (Multipart) toJane.getContent();
            assertThat(parts.getContentType()).startsWith("multipart/alternative");
            assertThat((String) parts.getBodyPart(0).getContent())
                    .contains("Hi Jane <Doe> & Co,", "jane@example.com", "google-oauth2");
            assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
            assertThat((String) parts.getBodyPart(1).getContent())
                    .contains("Hi Jane &lt;Doe&gt; &amp; Co,", "<strong>jane@example.com</strong>");
            MimeMessage toBob = mailsTo("bob@example.com").get(0);
            assertThat(toBob.getSubject()).isEqualTo("Welcome, there!");
            assertThat(toBob.getMessageID()).isEqualTo("<welcome%3Aauth0|bob@example.com>");

            // A restart of connector and task, then the same notification produced again, and a
            // new one after it: once the new one is mailed, everything before it was read.
            worker.restartConnector("mailer");
            worker.awaitRunning("mailer", 1);
            produce(run.notifications(), jane, welcome("auth0|carol", "carol@example.com", "Carol", "ev-4"));
            await(() -> !mailsTo("carol@example.com").isEmpty(), "the mail to carol after the restart");
        }

        // A replay: a connector of another name reads auth.notifications from the start, as after
        // an offset reset, in a worker started afresh.
        try (EmbeddedConnectWorker worker = new EmbeddedConnectWorker(stack.bootstrapServers())) {
            produce(run.notifications(), welcome("auth0|dave", "dave@example.com", "Dave", "ev-5"));
            assertThat(worker.putConnector("mailer-replay", connectorConfig(run, port))
                            .statusCode())
                    .isEqualTo(201);
            worker.awaitRunning("mailer-replay", 1);
            await(() -> !mailsTo("dave@example.com").isEmpty(), "the mail to dave after the replay");
        }
        for (String address : List.of("jane@example.com", "bob@example.com", "carol@example.com", "dave@example.com")) {
            assertThat(mailsTo(address)).as("mails to " + address).hasSize(1);
        }
        assertThat(mailsTo("eve@example.com"))
                .as("a notification of another kind")
                .isEmpty();
        assertThat(greenMail.getReceivedMessages()).hasSize(4);
        assertThat(stack.consumeAll(run.sent(), new StringDeserializer()))
                .extracting(ConsumerRecord::key)
                .containsExactlyInAnyOrder(
                        "welcome:auth0|jane", "welcome:auth0|bob", "welcome:auth0|carol", "welcome:auth0|dave");
    }

    @Test
    void aTransientRefusalIsRetriedWithBackoffAndMailedOnce() throws Exception {
        startGreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        // GreenMail answers "451 Requested action aborted: local error in processing" to the data
        // when its delivery fails: the first two deliveries to flaky@ fail.
        AtomicInteger attempts = new AtomicInteger();
        MessageDeliveryHandler deliver = greenMail.getUserManager().getMessageDeliveryHandler();
        greenMail.getUserManager().setMessageDeliveryHandler((message, address) -> {
            if (address.getEmail().equals("flaky@example.com") && attempts.incrementAndGet() <= 2) {
                throw new UserException("mailbox busy");
            }
            return deliver.handle(message, address);
        });
        Run run = topics("mail-451");
        produce(run.notifications(), welcome("auth0|flaky", "flaky@example.com", "Flaky", "ev-1"));
        try (LogCapture logs = LogCapture.start();
                EmbeddedConnectWorker worker = new EmbeddedConnectWorker(stack.bootstrapServers())) {
            assertThat(worker.putConnector(
                                    "mailer-451",
                                    connectorConfig(run, greenMail.getSmtp().getPort()))
                            .statusCode())
                    .isEqualTo(201);
            worker.awaitRunning("mailer-451", 1);
            await(() -> !mailsTo("flaky@example.com").isEmpty(), "the mail after two 451s");
            Thread.sleep(2_000);
            assertThat(mailsTo("flaky@example.com")).hasSize(1);
            assertThat(attempts).hasValue(3);
            assertThat(logs.messages())
                    .anyMatch(line -> line.contains("failed transiently (451 Requested action aborted")
                            && line.contains("retried in 200 ms (retry 1/12)"))
                    .anyMatch(line -> line.contains("retried in 400 ms (retry 2/12)"));
            assertThat(worker.status("mailer-451")
                            .path("tasks")
                            .get(0)
                            .path("state")
                            .asText())
                    .isEqualTo("RUNNING");
        }
        assertThat(stack.consumeAll(run.deadLetters(), new ByteArrayDeserializer()))
                .isEmpty();
    }

    @Test
    void aPermanentRefusalGoesToTheDeadLetterQueueWithTheServersAnswer() throws Exception {
        Run run = topics("mail-550");
        try (ScriptedSmtpServer smtp = new ScriptedSmtpServer()) {
            smtp.refuse("gone@example.com", "550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown");
            Notification noAddress = welcome("auth0|noaddress", null, "No Address", "ev-2");
            produce(
                    run.notifications(),
                    welcome("auth0|gone", "gone@example.com", "Gone", "ev-1"),
                    noAddress,
                    welcome("auth0|after", "after@example.com", "After", "ev-3"));
            try (EmbeddedConnectWorker worker = new EmbeddedConnectWorker(stack.bootstrapServers())) {
                assertThat(worker.putConnector("mailer-550", connectorConfig(run, smtp.port()))
                                .statusCode())
                        .isEqualTo(201);
                worker.awaitRunning("mailer-550", 1);
                await(() -> !smtp.accepted().isEmpty(), "the mail after the refused one");
                List<ConsumerRecord<String, byte[]>> dead =
                        stack.consume(run.deadLetters(), new ByteArrayDeserializer(), 2);
                assertThat(dead).extracting(ConsumerRecord::key).containsExactly("auth0|gone", "auth0|noaddress");
                assertThat(header(dead.get(0), "__connect.errors.exception.message"))
                        .isEqualTo("the SMTP server refused the mail of notification welcome:auth0|gone: "
                                + "550 5.1.1 <gone@example.com>: Recipient address rejected: User unknown");
                assertThat(header(dead.get(1), "__connect.errors.exception.message"))
                        .isEqualTo("notification welcome:auth0|noaddress has no e-mail address");
                assertThat(worker.status("mailer-550")
                                .path("tasks")
                                .get(0)
                                .path("state")
                                .asText())
                        .isEqualTo("RUNNING");
            }
            assertThat(smtp.accepted()).singleElement().satisfies(data -> {
                MimeMessage mail = new MimeMessage(
                        Session.getInstance(new Properties()),
                        new ByteArrayInputStream(data.getBytes(StandardCharsets.ISO_8859_1)));
                assertThat(recipients(mail)).containsExactly("after@example.com");
                assertThat(mail.getMessageID()).isEqualTo("<welcome%3Aauth0|after@example.com>");
            });
            assertThat(smtp.commands()).contains("RCPT TO:<gone@example.com>");
        }
        // Refused mails are not recorded as sent: a replay tries them again.
        assertThat(stack.consumeAll(run.sent(), new StringDeserializer()))
                .extracting(ConsumerRecord::key)
                .containsExactly("welcome:auth0|after");
    }

    @Test
    void mailsOverTlsWithSmtpAuthenticationAndKeepsThePasswordOutOfTheLogs() throws Exception {
        String password = "smtp-password-" + Long.toHexString(System.nanoTime());
        TestSecrets.register(password);
        startGreenMail(
                new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS),
                GreenMailConfiguration.aConfig().withUser("mailer", password));
        Run run = topics("mail-tls");
        produce(run.notifications(), welcome("auth0|tls", "tls@example.com", "Tls", "ev-1"));
        Map<String, String> config = connectorConfig(run, greenMail.getSmtps().getPort());
        config.put("smtp.security", "ssl");
        config.put("smtp.ssl.trust", "127.0.0.1");
        config.put("smtp.username", "mailer");
        config.put("smtp.password", password);
        LogCapture logs = LogCapture.start();
        try (EmbeddedConnectWorker worker = new EmbeddedConnectWorker(stack.bootstrapServers())) {
            assertThat(worker.putConnector("mailer-tls", config).statusCode()).isEqualTo(201);
            worker.awaitRunning("mailer-tls", 1);
            await(() -> !mailsTo("tls@example.com").isEmpty(), "the mail over SMTPS");
            assertThat(mailsTo("tls@example.com").get(0).getSubject()).isEqualTo("Welcome, Tls!");
        }

        // The wrong password: the server refuses the credentials, which would refuse every
        // mail, so the task fails and the notification stays unread.
        Run wrong = topics("mail-badauth");
        produce(wrong.notifications(), welcome("auth0|nope", "nope@example.com", "Nope", "ev-1"));
        Map<String, String> badConfig =
                connectorConfig(wrong, greenMail.getSmtps().getPort());
        badConfig.putAll(Map.of(
                "smtp.security",
                "ssl",
                "smtp.ssl.trust",
                "127.0.0.1",
                "smtp.username",
                "mailer",
                "smtp.password",
                password + "-wrong"));
        TestSecrets.register(password + "-wrong");
        try (logs;
                EmbeddedConnectWorker worker = new EmbeddedConnectWorker(stack.bootstrapServers())) {
            assertThat(worker.putConnector("mailer-badauth", badConfig).statusCode())
                    .isEqualTo(201);
            await(
                    () -> {
                        try {
                            JsonNode status = worker.status("mailer-badauth");
                            return status != null
                                    && status.path("tasks").size() == 1
                                    && "FAILED"
                                            .equals(status.path("tasks")
                                                    .get(0)
                                                    .path("state")
                                                    .asText());
                        } catch (Exception e) {
                            return false;
                        }
                    },
                    "the task failing on refused credentials");
            String trace = worker.status("mailer-badauth")
                    .path("tasks")
                    .get(0)
                    .path("trace")
                    .asText();
            assertThat(trace).contains("refuses the sender or the credentials").doesNotContain(password);
        }
        // Both connectors' lines, the worker's config logging included: the password in none.
        assertThat(logs.lines())
                .anyMatch(line -> line.contains("refuses the sender or the credentials"))
                .noneMatch(line -> line.contains(password));
        assertThat(mailsTo("nope@example.com")).isEmpty();
        assertThat(stack.consumeAll(wrong.deadLetters(), new ByteArrayDeserializer()))
                .isEmpty();
    }

    @Test
    void starttlsIsUsedWhenOfferedAndRequiredByDefault() throws Exception {
        // Offered: the session is upgraded before MAIL FROM, and the mail goes over TLS.
        Run run = topics("mail-starttls");
        try (ScriptedSmtpServer smtp = new ScriptedSmtpServer()) {
            smtp.offerStartTls();
            produce(run.notifications(), welcome("auth0|tls", "starttls@example.com", "Tls", "ev-1"));
            Map<String, String> config = connectorConfig(run, smtp.port());
            config.remove("smtp.security"); // the default: starttls, required
            config.put("smtp.ssl.trust", "127.0.0.1");
            try (EmbeddedConnectWorker worker = new EmbeddedConnectWorker(stack.bootstrapServers())) {
                assertThat(worker.putConnector("mailer-starttls", config).statusCode())
                        .isEqualTo(201);
                worker.awaitRunning("mailer-starttls", 1);
                await(() -> !smtp.accepted().isEmpty(), "the mail after STARTTLS");
            }
            assertThat(smtp.acceptedOverTls()).containsExactly(true);
            List<String> commands = smtp.commands();
            assertThat(commands.indexOf("STARTTLS"))
                    .isGreaterThanOrEqualTo(0)
                    .isLessThan(commands.indexOf(commands.stream()
                            .filter(c -> c.startsWith("MAIL FROM"))
                            .findFirst()
                            .orElseThrow()));
        }

        // Not offered: nothing is sent in the clear; the retries run out and the task fails with
        // the notification unread.
        Run clear = topics("mail-nostarttls");
        try (ScriptedSmtpServer smtp = new ScriptedSmtpServer()) {
            produce(clear.notifications(), welcome("auth0|clear", "clear@example.com", "Clear", "ev-1"));
            Map<String, String> config = connectorConfig(clear, smtp.port());
            config.remove("smtp.security");
            config.put("max.retries", "1");
            config.put("retry.backoff.initial.ms", "100");
            try (EmbeddedConnectWorker worker = new EmbeddedConnectWorker(stack.bootstrapServers())) {
                assertThat(worker.putConnector("mailer-nostarttls", config).statusCode())
                        .isEqualTo(201);
                await(() -> "FAILED".equals(taskState(worker, "mailer-nostarttls")), "the task failing");
                assertThat(worker.status("mailer-nostarttls")
                                .path("tasks")
                                .get(0)
                                .path("trace")
                                .asText())
                        .contains("STARTTLS is required but host does not support STARTTLS");
            }
            assertThat(smtp.accepted()).isEmpty();
            assertThat(smtp.commands()).noneMatch(c -> c.startsWith("MAIL FROM"));
        }
        assertThat(stack.consumeAll(clear.sent(), new StringDeserializer())).isEmpty();
    }

    private static String taskState(EmbeddedConnectWorker worker, String connector) {
        try {
            JsonNode status = worker.status(connector);
            return status == null || status.path("tasks").isEmpty()
                    ? ""
                    : status.path("tasks").get(0).path("state").asText();
        } catch (Exception e) {
            return "";
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + " did not happen within 60 s");
            }
            Thread.sleep(200);
        }
    }
}
