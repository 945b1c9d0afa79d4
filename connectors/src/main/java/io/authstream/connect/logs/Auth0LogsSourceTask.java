package io.authstream.connect.logs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.connect.Versions;
import io.authstream.connect.auth0.Auth0Config;
import io.authstream.connect.auth0.Auth0Exception;
import io.authstream.connect.auth0.Auth0ManagementClient;
import io.authstream.normalize.Auth0LogNormalizer;
import io.authstream.normalize.EventKeys;
import io.authstream.normalize.EventLimits;
import io.authstream.normalize.EventTimeBounds;
import io.authstream.normalize.NormalizationException;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import io.authstream.schemas.deadletter.DeadLetterReason;
import io.authstream.schemas.serde.AvroSerializer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the tenant's logs in order after a checkpoint and emits one {@code AuthEvent} per log,
 * keyed like the gateway keys it. The checkpoint (the last log id) travels in each record's source
 * offset, so Connect stores it only once the record is written: a restart resumes there, and at
 * worst repeats records that dedup then drops.
 *
 * <p>A log that cannot be normalised, whose time is out of {@link EventTimeBounds} (one dated
 * years ahead would push the topology's stream time past every real event), or whose size is out
 * of {@link EventLimits} (the topics or the Users table could not take it), goes to the
 * dead-letter topic as it came, with its reason in {@link DeadLetterHeaders}, and is counted by
 * {@link DeadLetterCount}. What it met at the Management API (errors by status, token refresh
 * failures) is counted by {@link ManagementApiCounts}, when it last read a log by {@link LastLogTime}.
 */
public final class Auth0LogsSourceTask extends SourceTask {

    static final String SOURCE = "auth0.logs-api";
    static final String LOG_ID = "log_id";
    /** The date of that log, beside its id in the offset: how far a backfill has come (GET /connectors/{name}/offsets). */
    static final String LOG_DATE = "log_date";

    private static final Logger LOG = LoggerFactory.getLogger(Auth0LogsSourceTask.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Clock clock;
    private Auth0LogsSourceConfig config;
    private Auth0ManagementClient auth0;
    private AvroSerializer<AuthEvent> serializer;
    private EventTimeBounds bounds;
    private EventLimits limits;
    private DeadLetterCount deadLetters;
    private BackfillProgress progress;
    private LastLogTime lastLog;
    private Map<String, String> partition;
    private String checkpoint;
    /** The date of the newest dated log up to the checkpoint (an undated log keeps the one before). */
    private String checkpointDate;

    private Instant nextPollAt = Instant.MIN;

    public Auth0LogsSourceTask() {
        this(Clock.systemUTC());
    }

    Auth0LogsSourceTask(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void start(Map<String, String> props) {
        GeneratedClasses.trust();
        config = new Auth0LogsSourceConfig(props);
        PluginMetrics metrics = DeadLetterCount.of(context);
        auth0 = new Auth0ManagementClient(Auth0Config.clientSettings(config), new ManagementApiCounts(metrics));
        serializer = new AvroSerializer<>(config.serdeConfig(), false);
        bounds = config.eventTimeBounds();
        limits = config.eventLimits();
        deadLetters = new DeadLetterCount(metrics);
        progress = new BackfillProgress(config.domain(), config.progressInterval(), metrics, clock.instant());
        lastLog = new LastLogTime(metrics, clock.instant());
        partition = Map.of("tenant", config.domain());
        Map<String, Object> stored = context.offsetStorageReader().offset(partition);
        checkpoint = stored != null && stored.get(LOG_ID) != null
                ? stored.get(LOG_ID).toString()
                : config.startLogId().isEmpty() ? null : config.startLogId();
        checkpointDate = stored != null && stored.get(LOG_DATE) != null
                ? stored.get(LOG_DATE).toString()
                : null;
        LOG.info(
                "reading Auth0 logs of {} {}",
                config.domain(),
                checkpoint == null ? "from the oldest one kept" : "after log " + checkpoint);
    }

    @Override
    public List<SourceRecord> poll() throws InterruptedException {
        Instant now = clock.instant();
        if (now.isBefore(nextPollAt)) {
            // Short naps, so a stop request is not held up by a long poll interval.
            Thread.sleep(
                    Math.min(1_000, java.time.Duration.between(now, nextPollAt).toMillis()));
            return null;
        }
        boolean bootstrapping = checkpoint == null;
        JsonNode logs;
        try {
            logs = bootstrapping
                    ? auth0.get("logs?sort=date%3A1&per_page=1&page=0").body()
                    : auth0.get("logs?from=" + URLEncoder.encode(checkpoint, StandardCharsets.UTF_8) + "&take="
                                    + config.batchSize())
                            .body();
        } catch (Auth0Exception e) {
            if (!e.retriable()) {
                throw new ConnectException(e.getMessage(), e);
            }
            LOG.warn(
                    "{}; trying again in {} s",
                    e.getMessage(),
                    config.pollInterval().toSeconds());
            nextPollAt = now.plus(config.pollInterval());
            return null;
        }
        if (logs == null || !logs.isArray()) {
            throw new ConnectException("Auth0 GET /api/v2/logs did not answer a JSON array: "
                    + (logs == null ? "empty body" : logs.getNodeType()));
        }
        List<SourceRecord> records = new ArrayList<>();
        Optional<Instant> lastDate = Optional.empty();
        for (JsonNode log : logs) {
            String id = log.path("log_id").asText(log.path("_id").asText(""));
            if (id.isEmpty() || id.equals(checkpoint)) {
                continue;
            }
            Optional<Instant> date = date(log);
            if (date.isPresent()) {
                lastDate = date;
                checkpointDate = date.get().toString();
            }
            records.add(record(log, id, now));
            checkpoint = id;
        }
        if (!records.isEmpty()) {
            lastLog.read(now);
        }
        boolean caughtUp = bootstrapping ? logs.isEmpty() : logs.size() < config.batchSize();
        if (caughtUp) {
            nextPollAt = now.plus(config.pollInterval());
        }
        progress.batch(records.size(), lastDate, !caughtUp, now).ifPresent(LOG::info);
        return records.isEmpty() ? null : records;
    }

    /** The log's own date, when it has a readable one (the normaliser judges the rest). */
    private static Optional<Instant> date(JsonNode log) {
        try {
            return Optional.of(Instant.parse(log.path("date").asText()));
        } catch (java.time.format.DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private SourceRecord record(JsonNode log, String id, Instant receivedAt) {
        Map<String, String> offset =
                checkpointDate == null ? Map.of(LOG_ID, id) : Map.of(LOG_ID, id, LOG_DATE, checkpointDate);
        String raw = log.toString();
        try {
            AuthEvent event =
                    limits.checkFields(bounds.check(Auth0LogNormalizer.normalize(log, raw, SOURCE, receivedAt)));
            byte[] value = serializer.serialize(config.topic(), event);
            limits.sizeProblem(value.length).ifPresent(problem -> {
                throw new NormalizationException(DeadLetterReason.EVENT_TOO_LARGE, problem);
            });
            return new SourceRecord(
                    partition,
                    offset,
                    config.topic(),
                    null,
                    Schema.STRING_SCHEMA,
                    EventKeys.of(event),
                    Schema.BYTES_SCHEMA,
                    value,
                    receivedAt.toEpochMilli());
        } catch (NormalizationException e) {
            DeadLetterReason reason = e.reason();
            deadLetters.add(reason);
            // The code and the id only: the detail quotes the record, which an attacker may have shaped.
            LOG.warn("Auth0 log {} sent to {}: {}", shorten(id), config.deadLetterTopic(), reason.code());
            ConnectHeaders headers = new ConnectHeaders();
            headers.addString(DeadLetterHeaders.REASON, reason.describe(e.getMessage()));
            headers.addString(DeadLetterHeaders.CODE, reason.code());
            headers.addString(DeadLetterHeaders.SOURCE, SOURCE);
            headers.addString(DeadLetterHeaders.RECEIVED_AT, receivedAt.toString());
            return new SourceRecord(
                    partition,
                    offset,
                    config.deadLetterTopic(),
                    null,
                    Schema.STRING_SCHEMA,
                    SOURCE,
                    Schema.BYTES_SCHEMA,
                    raw.getBytes(StandardCharsets.UTF_8),
                    receivedAt.toEpochMilli(),
                    headers);
        }
    }

    private static String shorten(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "...";
    }

    @Override
    public void stop() {
        if (serializer != null) {
            serializer.close();
        }
    }

    @Override
    public String version() {
        return Versions.current();
    }
}
