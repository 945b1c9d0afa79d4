package io.authstream.streams.http.dashboard;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.deadletter.DeadLetterHeaders;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * What the dashboard's routes read: the latest security alerts, the dead letters by reason and
 * the redrive's marks (each from its topic, by a consumer of this instance), the consumer groups' lag (Kafka's admin
 * API), the gateway's answers (its metrics endpoint) and this instance's Kafka Streams client.
 */
public final class Dashboard implements AutoCloseable {

    private static final ObjectMapper MARKS = new ObjectMapper();

    private final DashboardSettings settings;
    private final RecentAlerts alerts;
    private final DeadLetterCounts deadLetters = new DeadLetterCounts();
    private final GatewayAnswers gateway;
    private final DimensionMix mix = new DimensionMix();
    private final List<TopicTail> tails = new ArrayList<>();
    private volatile Admin admin;
    private volatile KafkaStreams streams;
    private volatile HostInfo self;
    private volatile TopicTail alertTail;
    private volatile TopicTail deadLetterTail;
    private volatile TopicTail redriveMarkTail;

    public Dashboard(DashboardSettings settings) {
        this.settings = settings;
        this.alerts = new RecentAlerts(settings.alertsKept());
        this.gateway = new GatewayAnswers(settings.gatewayMetricsUrl());
    }

    /**
     * Starts reading the alert and dead-letter topics, with the connection settings of
     * {@code streamsProperties} (the Kafka Streams client's, security included).
     */
    public void start(Properties streamsProperties, Map<String, ?> serdeConfig) {
        Map<String, Object> common = commonClientConfig(streamsProperties);
        admin = Admin.create(common);
        Deserializer<SecurityAlert> alertValues =
                Topics.AUTH_SECURITY_ALERTS.valueSerde(serdeConfig).deserializer();
        // The alerts on the topic at start come partition by partition: sorted once all are read,
        // then every later one is announced live (both on the tail's thread).
        List<AlertView> backlog = new ArrayList<>();
        boolean[] live = {false};
        alertTail = new TopicTail(
                common,
                Topics.AUTH_SECURITY_ALERTS.name(),
                new TopicTail.Start.LastRecords(settings.alertsKept()),
                record -> {
                    AlertView view = AlertView.of(
                            alertValues.deserialize(record.topic(), record.value()),
                            record.partition(),
                            record.offset());
                    if (live[0]) {
                        alerts.add(view);
                    } else {
                        backlog.add(view);
                    }
                },
                () -> {
                    alerts.preload(backlog);
                    backlog.clear();
                    live[0] = true;
                });
        tails.add(alertTail);
        deadLetterTail = new TopicTail(
                common,
                Topics.AUTH_EVENTS_DEADLETTER.name(),
                new TopicTail.Start.Beginning(),
                record -> deadLetters.count(
                        header(record.headers().lastHeader(DeadLetterHeaders.CODE)),
                        header(record.headers().lastHeader(DeadLetterHeaders.SOURCE))),
                () -> {});
        tails.add(deadLetterTail);
        redriveMarkTail = new TopicTail(
                common,
                Topics.AUTH_DEADLETTER_REDRIVEN.name(),
                new TopicTail.Start.Beginning(),
                record -> {
                    String position = record.key() == null ? "" : new String(record.key(), UTF_8);
                    if (record.value() == null) {
                        deadLetters.unmarked(position);
                    } else {
                        deadLetters.redriven(position, markedReason(record.value()));
                    }
                },
                () -> {});
        tails.add(redriveMarkTail);
        tails.forEach(TopicTail::start);
    }

    /** Connects the Kafka Streams client: {@code /pipeline} shows its state, the mix reads its stores. */
    public void attach(KafkaStreams client, HostInfo advertised) {
        self = advertised;
        streams = client;
    }

    /** The reason a redrive's mark names (null, counted as unknown, when the mark is not its JSON). */
    private static String markedReason(byte[] mark) {
        try {
            return MARKS.readTree(mark).path("reason").textValue();
        } catch (IOException e) {
            return null;
        }
    }

    private static String header(Header header) {
        return header == null ? null : new String(header.value(), UTF_8);
    }

    /**
     * The settings every Kafka client of the app shares (bootstrap servers, security), without
     * those of Kafka Streams or of one kind of client.
     */
    static Map<String, Object> commonClientConfig(Properties streamsProperties) {
        Map<String, Object> admin = new StreamsConfig(streamsProperties).getAdminConfigs("dashboard");
        Set<String> consumerNames = ConsumerConfig.configNames();
        Set<String> adminNames = AdminClientConfig.configNames();
        Map<String, Object> common = new HashMap<>();
        admin.forEach((name, value) -> {
            if (consumerNames.contains(name) && adminNames.contains(name)) {
                common.put(name, value);
            }
        });
        common.put(
                AdminClientConfig.CLIENT_ID_CONFIG,
                "dashboard-" + streamsProperties.get(StreamsConfig.APPLICATION_ID_CONFIG));
        return common;
    }

    RecentAlerts alerts() {
        return alerts;
    }

    DeadLetterCounts deadLetters() {
        return deadLetters;
    }

    /** Whether the alert and dead-letter topics have been read up to where they were at start. */
    boolean caughtUp() {
        try {
            return alertTail != null
                    && alertTail.awaitCaughtUp(Duration.ZERO)
                    && deadLetterTail.awaitCaughtUp(Duration.ZERO)
                    && redriveMarkTail.awaitCaughtUp(Duration.ZERO);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    GatewayAnswers gateway() {
        return gateway;
    }

    DimensionMix mix() {
        return mix;
    }

    Admin admin() {
        return admin;
    }

    KafkaStreams streams() {
        return streams;
    }

    HostInfo self() {
        return self;
    }

    @Override
    public void close() {
        tails.forEach(TopicTail::close);
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }
}
