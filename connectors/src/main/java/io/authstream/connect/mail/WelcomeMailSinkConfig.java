package io.authstream.connect.mail;

import io.authstream.connect.RegistrySettings;
import io.authstream.schemas.Topics;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/** Settings of the welcome-mail sink, validated by the worker before the connector starts. */
public final class WelcomeMailSinkConfig extends AbstractConfig {

    public static final String SMTP_HOST = "smtp.host";
    public static final String SMTP_PORT = "smtp.port";
    public static final String SMTP_SECURITY = "smtp.security";
    public static final String SMTP_USERNAME = "smtp.username";
    public static final String SMTP_PASSWORD = "smtp.password";
    public static final String SMTP_SSL_TRUST = "smtp.ssl.trust";
    public static final String SMTP_CONNECT_TIMEOUT_MS = "smtp.connect.timeout.ms";
    public static final String SMTP_TIMEOUT_MS = "smtp.timeout.ms";
    public static final String MAIL_FROM = "mail.from";
    public static final String MAIL_TEMPLATE_PATH = "mail.template.path";
    public static final String MAIL_KIND = "mail.notification.kind";
    public static final String MESSAGE_ID_DOMAIN = "mail.message.id.domain";
    public static final String SENT_TOPIC = "sent.topic";
    public static final String SENT_BOOTSTRAP_SERVERS = "sent.bootstrap.servers";
    public static final String RETRY_BACKOFF_INITIAL_MS = "retry.backoff.initial.ms";
    public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
    public static final String MAX_RETRIES = "max.retries";

    /** How the connection to the SMTP server is protected. */
    public enum Security {
        /** STARTTLS on a plain port (587), and no mail is sent when the server does not offer it. */
        STARTTLS,
        /** STARTTLS when the server offers it, else in the clear: for test servers only. */
        STARTTLS_OPTIONAL,
        /** TLS from the first byte (SMTPS, port 465). */
        SSL,
        /** In the clear: only for a server on loopback, such as the local stack's. */
        NONE;

        String configValue() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        static Security of(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    private static final String SMTP = "SMTP";
    private static final String MAIL = "Mail";
    private static final String SENT = "Sent record";
    private static final String RETRIES = "Retries";

    public static final ConfigDef CONFIG_DEF = RegistrySettings.define(new ConfigDef())
            .define(
                    SMTP_HOST,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "SMTP server, e.g. Amazon SES's email-smtp.eu-west-1.amazonaws.com.",
                    SMTP,
                    1,
                    ConfigDef.Width.LONG,
                    "SMTP host")
            .define(
                    SMTP_PORT,
                    Type.INT,
                    587,
                    ConfigDef.Range.between(1, 65535),
                    Importance.HIGH,
                    "SMTP port: 587 for submission with STARTTLS, 465 for smtp.security=ssl.",
                    SMTP,
                    2,
                    ConfigDef.Width.SHORT,
                    "SMTP port")
            .define(
                    SMTP_SECURITY,
                    Type.STRING,
                    Security.STARTTLS.configValue(),
                    ConfigDef.ValidString.in(
                            Security.STARTTLS.configValue(),
                            Security.STARTTLS_OPTIONAL.configValue(),
                            Security.SSL.configValue(),
                            Security.NONE.configValue()),
                    Importance.HIGH,
                    "starttls: upgrade with STARTTLS and send nothing when the server does not offer it; "
                            + "starttls-optional: upgrade when offered (test servers only); ssl: TLS from the "
                            + "start (port 465); none: in the clear (a server on loopback only).",
                    SMTP,
                    3,
                    ConfigDef.Width.SHORT,
                    "Connection security")
            .define(
                    SMTP_USERNAME,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "SMTP user name (for SES: the SMTP credentials' user name, not an access key id); empty: "
                            + "no authentication.",
                    SMTP,
                    4,
                    ConfigDef.Width.MEDIUM,
                    "SMTP user name")
            .define(
                    SMTP_PASSWORD,
                    Type.PASSWORD,
                    "",
                    Importance.MEDIUM,
                    "SMTP password, with smtp.username; give it as a config-provider reference; never logged.",
                    SMTP,
                    5,
                    ConfigDef.Width.MEDIUM,
                    "SMTP password")
            .define(
                    SMTP_SSL_TRUST,
                    Type.LIST,
                    "",
                    Importance.LOW,
                    "Hosts whose TLS certificate is trusted whatever it is (a test server's self-signed one); "
                            + "empty: the JVM's trust store and a host name check.",
                    SMTP,
                    6,
                    ConfigDef.Width.MEDIUM,
                    "Trusted hosts")
            .define(
                    SMTP_CONNECT_TIMEOUT_MS,
                    Type.INT,
                    10_000,
                    ConfigDef.Range.between(1, 600_000),
                    Importance.LOW,
                    "Longest wait for the connection to the SMTP server.",
                    SMTP,
                    7,
                    ConfigDef.Width.SHORT,
                    "Connect timeout (ms)")
            .define(
                    SMTP_TIMEOUT_MS,
                    Type.INT,
                    30_000,
                    ConfigDef.Range.between(1, 600_000),
                    Importance.LOW,
                    "Longest wait for a reply of the SMTP server, and for a write to it.",
                    SMTP,
                    8,
                    ConfigDef.Width.SHORT,
                    "Reply timeout (ms)")
            .define(
                    MAIL_FROM,
                    Type.STRING,
                    ConfigDef.NO_DEFAULT_VALUE,
                    WelcomeMailSinkConfig::validAddress,
                    Importance.HIGH,
                    "From address, e.g. 'Example <welcome@example.com>'; also the envelope sender (SES: a "
                            + "verified identity).",
                    MAIL,
                    1,
                    ConfigDef.Width.LONG,
                    "From")
            .define(
                    MAIL_TEMPLATE_PATH,
                    Type.STRING,
                    "",
                    WelcomeMailSinkConfig::validTemplate,
                    Importance.MEDIUM,
                    "File with the subject, text and HTML bodies (docs/connectors.md); empty: the built-in "
                            + "welcome template.",
                    MAIL,
                    2,
                    ConfigDef.Width.LONG,
                    "Template file")
            .define(
                    MAIL_KIND,
                    Type.STRING,
                    "welcome",
                    new ConfigDef.NonEmptyString(),
                    Importance.LOW,
                    "The notification kind this connector mails; notifications of other kinds are passed over.",
                    MAIL,
                    3,
                    ConfigDef.Width.SHORT,
                    "Notification kind")
            .define(
                    MESSAGE_ID_DOMAIN,
                    Type.STRING,
                    "",
                    Importance.LOW,
                    "Right part of the Message-ID <notification-id@domain>; empty: the domain of mail.from.",
                    MAIL,
                    4,
                    ConfigDef.Width.MEDIUM,
                    "Message-ID domain")
            .define(
                    SENT_TOPIC,
                    Type.STRING,
                    Topics.AUTH_NOTIFICATIONS_SENT.name(),
                    new ConfigDef.NonEmptyString(),
                    Importance.MEDIUM,
                    "Compacted topic of the notifications already mailed (key: notification id), read whole at "
                            + "start so that a replay or a restart mails nobody twice.",
                    SENT,
                    1,
                    ConfigDef.Width.LONG,
                    "Sent topic")
            .define(
                    SENT_BOOTSTRAP_SERVERS,
                    Type.LIST,
                    ConfigDef.NO_DEFAULT_VALUE,
                    Importance.HIGH,
                    "Kafka bootstrap servers of the sent topic (a sink task has no client of its own).",
                    SENT,
                    2,
                    ConfigDef.Width.LONG,
                    "Sent bootstrap servers")
            .define(
                    RETRY_BACKOFF_INITIAL_MS,
                    Type.LONG,
                    1_000L,
                    ConfigDef.Range.between(1, 600_000),
                    Importance.LOW,
                    "First wait before a batch that met a transient SMTP failure (4yz, no connection) is "
                            + "retried; doubles.",
                    RETRIES,
                    1,
                    ConfigDef.Width.SHORT,
                    "Initial backoff (ms)")
            .define(
                    RETRY_BACKOFF_MAX_MS,
                    Type.LONG,
                    300_000L,
                    ConfigDef.Range.between(1, 3_600_000),
                    Importance.LOW,
                    "Longest wait between retries.",
                    RETRIES,
                    2,
                    ConfigDef.Width.SHORT,
                    "Max backoff (ms)")
            .define(
                    MAX_RETRIES,
                    Type.INT,
                    12,
                    ConfigDef.Range.atLeast(0),
                    Importance.MEDIUM,
                    "Retries after transient failures before the task fails (its notifications stay unread, "
                            + "so a restart sends them).",
                    RETRIES,
                    3,
                    ConfigDef.Width.SHORT,
                    "Max retries");

    private final InternetAddress from;
    private final String messageIdDomain;

    public WelcomeMailSinkConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        if (getString(SMTP_USERNAME).isEmpty()
                != getPassword(SMTP_PASSWORD).value().isEmpty()) {
            throw new ConfigException(SMTP_USERNAME + " and " + SMTP_PASSWORD + " go together: set both or neither");
        }
        if (!getString(SMTP_USERNAME).isEmpty() && security() == Security.NONE) {
            throw new ConfigException(
                    SMTP_SECURITY,
                    getString(SMTP_SECURITY),
                    "must not be none with " + SMTP_USERNAME + " set: the password would cross the network in the "
                            + "clear");
        }
        if (getLong(RETRY_BACKOFF_INITIAL_MS) > getLong(RETRY_BACKOFF_MAX_MS)) {
            throw new ConfigException(
                    RETRY_BACKOFF_INITIAL_MS,
                    getLong(RETRY_BACKOFF_INITIAL_MS),
                    "must not exceed " + RETRY_BACKOFF_MAX_MS + " (" + getLong(RETRY_BACKOFF_MAX_MS) + ")");
        }
        from = address(MAIL_FROM, getString(MAIL_FROM));
        String domain = getString(MESSAGE_ID_DOMAIN).isEmpty()
                ? from.getAddress().substring(from.getAddress().lastIndexOf('@') + 1)
                : getString(MESSAGE_ID_DOMAIN);
        if (!MessageIds.validDomain(domain)) {
            throw new ConfigException(MESSAGE_ID_DOMAIN, domain, "must be a domain such as example.com");
        }
        messageIdDomain = domain;
    }

    /** Parsed whole, so that the worker's validation names a broken template, not the first mail. */
    private static void validTemplate(String name, Object value) {
        try {
            MailTemplate.load((String) value);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ConfigException(name, value, e.getMessage());
        }
    }

    private static void validAddress(String name, Object value) {
        if (value != null) {
            address(name, (String) value);
        }
    }

    private static InternetAddress address(String name, String value) {
        try {
            InternetAddress address = new InternetAddress(value, true);
            if (address.getAddress().indexOf('@') < 1) {
                throw new ConfigException(name, value, "must be an address like 'Example <welcome@example.com>'");
            }
            return address;
        } catch (AddressException e) {
            throw new ConfigException(
                    name, value, "must be an address like 'Example <welcome@example.com>': " + e.getMessage());
        }
    }

    public String host() {
        return getString(SMTP_HOST);
    }

    public int port() {
        return getInt(SMTP_PORT);
    }

    public Security security() {
        return Security.of(getString(SMTP_SECURITY));
    }

    public String username() {
        return getString(SMTP_USERNAME);
    }

    /** Only for the SMTP AUTH exchange. */
    Password password() {
        return getPassword(SMTP_PASSWORD);
    }

    public List<String> trustedHosts() {
        return getList(SMTP_SSL_TRUST);
    }

    public Duration connectTimeout() {
        return Duration.ofMillis(getInt(SMTP_CONNECT_TIMEOUT_MS));
    }

    public Duration timeout() {
        return Duration.ofMillis(getInt(SMTP_TIMEOUT_MS));
    }

    public InternetAddress from() {
        return from;
    }

    public String templatePath() {
        return getString(MAIL_TEMPLATE_PATH);
    }

    public String kind() {
        return getString(MAIL_KIND);
    }

    public String messageIdDomain() {
        return messageIdDomain;
    }

    public String sentTopic() {
        return getString(SENT_TOPIC);
    }

    public Duration initialBackoff() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_INITIAL_MS));
    }

    public Duration maxBackoff() {
        return Duration.ofMillis(getLong(RETRY_BACKOFF_MAX_MS));
    }

    public int maxRetries() {
        return getInt(MAX_RETRIES);
    }

    public Map<String, Object> serdeConfig() {
        return RegistrySettings.serdeConfig(this);
    }

    /** The sent topic's clients: the records must be on every replica before a mail counts as sent. */
    public Map<String, Object> sentClientConfig() {
        Map<String, Object> client = new HashMap<>();
        client.put("bootstrap.servers", String.join(",", getList(SENT_BOOTSTRAP_SERVERS)));
        return client;
    }
}
