package io.authstream.connect.logs;

import io.authstream.connect.RegistrySettings;
import io.authstream.connect.auth0.Auth0Config;
import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.schemas.Topics;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/** Settings of the Auth0 logs source. */
public final class Auth0LogsSourceConfig extends AbstractConfig {

    public static final String TOPIC = "topic";
    public static final String DEAD_LETTER_TOPIC = "dead.letter.topic";
    public static final String BATCH_SIZE = "batch.size";
    public static final String POLL_INTERVAL_MS = "poll.interval.ms";
    public static final String START_LOG_ID = "start.log.id";
    public static final String EVENT_TIME_MAX_AHEAD_MS = "event.time.max.ahead.ms";
    public static final String EVENT_TIME_MAX_AGE_DAYS = "event.time.max.age.days";
    public static final String EVENT_MAX_BYTES = "event.max.bytes";
    public static final String PROGRESS_INTERVAL_MS = "progress.interval.ms";

    /** The age bound's upper limit, as the apps' EVENT_TIME_MAX_AGE_DAYS takes it. */
    private static final long LONGEST_MAX_AGE_DAYS = 100L * 365;

    private static final String LOGS = "Logs";

    public static final ConfigDef CONFIG_DEF = RegistrySettings.define(Auth0Config.define(new ConfigDef()))
            .define(
                    TOPIC,
                    Type.STRING,
                    Topics.AUTH_EVENTS_RAW.name(),
                    new ConfigDef.NonEmptyString(),
                    Importance.HIGH,
                    "Topic of the AuthEvents (the webhook's topic, so dedup covers the overlap).",
                    LOGS,
                    1,
                    ConfigDef.Width.MEDIUM,
                    "Topic")
            .define(
                    DEAD_LETTER_TOPIC,
                    Type.STRING,
                    Topics.AUTH_EVENTS_DEADLETTER.name(),
                    Importance.MEDIUM,
                    "Topic of log records that cannot be normalised or are dated out of range (original JSON, reason in headers).",
                    LOGS,
                    2,
                    ConfigDef.Width.MEDIUM,
                    "Dead-letter topic")
            .define(
                    BATCH_SIZE,
                    Type.INT,
                    100,
                    ConfigDef.Range.between(1, 100),
                    Importance.LOW,
                    "Logs per request (the API's 'take', at most 100).",
                    LOGS,
                    3,
                    ConfigDef.Width.SHORT,
                    "Batch size")
            .define(
                    POLL_INTERVAL_MS,
                    Type.LONG,
                    10_000L,
                    ConfigDef.Range.between(100, 3_600_000),
                    Importance.MEDIUM,
                    "Wait once caught up (a batch shorter than batch.size), or after a call failed for good.",
                    LOGS,
                    4,
                    ConfigDef.Width.SHORT,
                    "Poll interval (ms)")
            .define(
                    START_LOG_ID,
                    Type.STRING,
                    "",
                    Importance.MEDIUM,
                    "Log id to start after on the first run; empty for the oldest log Auth0 still keeps. Later runs resume"
                            + " from the checkpoint in Connect's offsets.",
                    LOGS,
                    5,
                    ConfigDef.Width.LONG,
                    "Start log id")
            .define(
                    EVENT_TIME_MAX_AHEAD_MS,
                    Type.LONG,
                    EventTimeBounds.DEFAULT_MAX_AHEAD.toMillis(),
                    ConfigDef.Range.between(0, EventTimeBounds.LIMIT_MAX_AHEAD.toMillis()),
                    Importance.MEDIUM,
                    "A log dated more than this after it was read is sent to the dead-letter topic (event_time_out_of_range);"
                            + " at most 3540000 (59 min: the broker refuses record times an hour ahead).",
                    LOGS,
                    6,
                    ConfigDef.Width.SHORT,
                    "Max event time ahead (ms)")
            .define(
                    EVENT_TIME_MAX_AGE_DAYS,
                    Type.LONG,
                    EventTimeBounds.DEFAULT_MAX_AGE.toDays(),
                    ConfigDef.Range.between(1, LONGEST_MAX_AGE_DAYS),
                    Importance.LOW,
                    "A log dated more than this many days before it was read is sent to the dead-letter topic"
                            + " (event_time_out_of_range); so is one dated before 1970.",
                    LOGS,
                    7,
                    ConfigDef.Width.SHORT,
                    "Max event age (days)")
            .define(
                    EVENT_MAX_BYTES,
                    Type.INT,
                    EventLimits.DEFAULT_MAX_EVENT_BYTES,
                    ConfigDef.Range.between(16 * 1024, EventLimits.LIMIT_MAX_EVENT_BYTES),
                    Importance.LOW,
                    "A log whose event (Avro, raw JSON included) is larger than this is sent to the dead-letter topic"
                            + " (event_too_large), as is one with a user id over 2048 bytes or a field over 8 KiB"
                            + " (field_too_large): the topics and the Users table could not take it.",
                    LOGS,
                    8,
                    ConfigDef.Width.SHORT,
                    "Max event size (bytes)")
            .define(
                    PROGRESS_INTERVAL_MS,
                    Type.LONG,
                    30_000L,
                    ConfigDef.Range.between(100, 3_600_000),
                    Importance.LOW,
                    "While the task pages through history (full batches), a progress line is logged at most this often:"
                            + " logs read, the date reached against now, the rate; and one when it catches up.",
                    LOGS,
                    9,
                    ConfigDef.Width.SHORT,
                    "Backfill progress interval (ms)");

    public Auth0LogsSourceConfig(Map<String, String> props) {
        super(CONFIG_DEF, props);
        Auth0Config.check(this);
    }

    public String topic() {
        return getString(TOPIC);
    }

    public String deadLetterTopic() {
        return getString(DEAD_LETTER_TOPIC);
    }

    public int batchSize() {
        return getInt(BATCH_SIZE);
    }

    public Duration pollInterval() {
        return Duration.ofMillis(getLong(POLL_INTERVAL_MS));
    }

    public Duration progressInterval() {
        return Duration.ofMillis(getLong(PROGRESS_INTERVAL_MS));
    }

    public String startLogId() {
        return getString(START_LOG_ID);
    }

    /** The field and event sizes taken; the rest are dead-lettered. */
    public EventLimits eventLimits() {
        return new EventLimits(getInt(EVENT_MAX_BYTES));
    }

    /** The event times taken; the rest are dead-lettered. */
    public EventTimeBounds eventTimeBounds() {
        return new EventTimeBounds(
                Duration.ofMillis(getLong(EVENT_TIME_MAX_AHEAD_MS)), Duration.ofDays(getLong(EVENT_TIME_MAX_AGE_DAYS)));
    }

    public String domain() {
        return getString(Auth0Config.DOMAIN);
    }

    public Map<String, Object> serdeConfig() {
        return RegistrySettings.serdeConfig(this);
    }
}
