package io.authstream.schemas;

import io.authstream.schemas.avro.AnalyticsRollup;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Notification;
import io.authstream.schemas.avro.ProvisioningRequest;
import io.authstream.schemas.avro.ProvisioningResult;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.schemas.serde.AvroSerde;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The topic catalogue: every topic the pipeline reads or writes, in one place. Names are a
 * contract with consumers outside this project; see docs/architecture.md and the README.
 */
public final class Topics {

    static {
        GeneratedClasses.trust();
    }

    private Topics() {}

    private static final Optional<Duration> SEVEN_DAYS = Optional.of(Duration.ofDays(7));
    private static final Optional<Duration> THIRTY_DAYS = Optional.of(Duration.ofDays(30));

    /**
     * The dead-letter topic's record limit: a dead letter holds its input's original bytes, which
     * may be a whole request body, so it must never be refused for its size where an event would be.
     */
    public static final int DEAD_LETTER_MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

    // Every time-retained topic is stamped with append time (see Topic): event times are in the values.
    public static final Topic<String, AuthEvent> AUTH_EVENTS_RAW = avro(
            "auth.events.raw",
            AuthEvent.class,
            false,
            SEVEN_DAYS,
            "Normalised events from the gateway and the Auth0 logs source, keyed by user id, else ip:<ip>, else eventId.");

    public static final Topic<String, byte[]> AUTH_EVENTS_DEADLETTER = new Topic<>(
            "auth.events.deadletter",
            Serdes.String(),
            config -> Serdes.ByteArray(),
            false,
            THIRTY_DAYS,
            OptionalInt.of(DEAD_LETTER_MAX_MESSAGE_BYTES),
            "Inputs that could not be normalised or processed: the original bytes, the reason in headers.");

    public static final Topic<String, AuthEvent> AUTH_EVENTS_ORDERED = avro(
            "auth.events.ordered",
            AuthEvent.class,
            false,
            SEVEN_DAYS,
            "Deduplicated events in event-time order per user key.");

    public static final Topic<String, UserProfile> AUTH_PROFILES = avro(
            "auth.profiles",
            UserProfile.class,
            true,
            Optional.empty(),
            "Latest profile per user id; a tombstone when the user is deleted.");

    public static final Topic<String, AnalyticsRollup> AUTH_ANALYTICS = avro(
            "auth.analytics",
            AnalyticsRollup.class,
            true,
            Optional.empty(),
            "Latest value per metric, window and dimension.");

    public static final Topic<String, SecurityAlert> AUTH_SECURITY_ALERTS = avro(
            "auth.security.alerts",
            SecurityAlert.class,
            false,
            THIRTY_DAYS,
            "One alert per security incident, keyed by user id or ip.");

    public static final Topic<String, Notification> AUTH_NOTIFICATIONS = avro(
            "auth.notifications",
            Notification.class,
            false,
            SEVEN_DAYS,
            "Messages for users, e.g. a welcome on the first sign-in.");

    /**
     * The notifications the welcome-mail sink has mailed: key = notification id, value = the
     * mail's Message-ID. Compacted and never time-retained: it is how a replay of
     * auth.notifications, or a restart, knows whom not to mail again (a tombstone lets a
     * notification be mailed once more).
     */
    public static final Topic<String, String> AUTH_NOTIFICATIONS_SENT = new Topic<>(
            "auth.notifications.sent",
            Serdes.String(),
            config -> Serdes.String(),
            true,
            Optional.empty(),
            OptionalInt.empty(),
            "Notifications already mailed, keyed by notification id (the mail's Message-ID).");

    public static final Topic<String, ProvisioningRequest> PROVISIONING_REQUESTS = avro(
            "employee.provisioning.requests",
            ProvisioningRequest.class,
            false,
            SEVEN_DAYS,
            "Employee accounts to create in Auth0, keyed by employee id.");

    public static final Topic<String, ProvisioningResult> PROVISIONING_RESULTS = avro(
            "employee.provisioning.results",
            ProvisioningResult.class,
            false,
            THIRTY_DAYS,
            "Outcome of each provisioning request (audit trail), keyed by employee id.");

    /**
     * Detection rules published while the pipeline runs (docs/rules-format.md): key = rule id,
     * value = the rule as YAML text (a tombstone withdraws it). Compacted, so the latest version
     * of every rule is what a starting instance reads; every Streams instance reads all of it.
     */
    public static final Topic<String, String> AUTH_RULES = new Topic<>(
            "auth.rules",
            Serdes.String(),
            config -> Serdes.String(),
            true,
            Optional.empty(),
            OptionalInt.empty(),
            "Published detection rules, keyed by rule id (YAML text); a tombstone withdraws one.");

    /**
     * The dead letters {@code bin/authstream dlq redrive} has re-sent: key = the dead letter's
     * {@code <partition>-<offset>} on auth.events.deadletter, value = a JSON note (when, which
     * event id, the dead letter's timestamp). Written in the same transaction as the re-sent
     * event, so a redrive that was stopped, or run again, never sends a dead letter twice.
     * Compacted, never time-retained.
     */
    public static final Topic<String, String> AUTH_DEADLETTER_REDRIVEN = new Topic<>(
            "auth.deadletter.redriven",
            Serdes.String(),
            config -> Serdes.String(),
            true,
            Optional.empty(),
            OptionalInt.empty(),
            "Dead letters bin/authstream dlq redrive re-sent, keyed by <partition>-<offset> on auth.events.deadletter.");

    /** Every topic of the pipeline, in data-flow order. */
    public static final List<Topic<?, ?>> ALL = List.of(
            AUTH_EVENTS_RAW,
            AUTH_EVENTS_DEADLETTER,
            AUTH_DEADLETTER_REDRIVEN,
            AUTH_EVENTS_ORDERED,
            AUTH_PROFILES,
            AUTH_ANALYTICS,
            AUTH_SECURITY_ALERTS,
            AUTH_NOTIFICATIONS,
            AUTH_NOTIFICATIONS_SENT,
            PROVISIONING_REQUESTS,
            PROVISIONING_RESULTS,
            AUTH_RULES);

    private static <V extends SpecificRecord> Topic<String, V> avro(
            String name, Class<V> type, boolean compacted, Optional<Duration> retention, String description) {
        Serde<String> keys = Serdes.String();
        return new Topic<>(
                name,
                keys,
                config -> AvroSerde.forValues(type, config),
                compacted,
                retention,
                OptionalInt.empty(),
                description);
    }
}
