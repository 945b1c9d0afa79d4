package io.authstream.streams;

import io.authstream.enrich.Enricher;
import io.authstream.streams.deadletter.StreamsDeadLetters;
import io.authstream.streams.http.StreamsHttpServer;
import io.authstream.streams.http.dashboard.Dashboard;
import io.authstream.streams.http.dashboard.DashboardRoutes;
import io.authstream.streams.order.OrderedLatency;
import io.authstream.streams.rules.RuleBook;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running instance: the Kafka Streams client with its topology, and its HTTP server. */
public final class StreamsApp implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

    private final KafkaStreams streams;
    private final StreamsHttpServer http;
    private final Enricher enricher;
    private final StreamThreadFailureHandler threadFailures;
    private final Dashboard dashboard;

    private StreamsApp(
            KafkaStreams streams,
            StreamsHttpServer http,
            Enricher enricher,
            StreamThreadFailureHandler threadFailures,
            Dashboard dashboard) {
        this.streams = streams;
        this.http = http;
        this.enricher = enricher;
        this.threadFailures = threadFailures;
        this.dashboard = dashboard;
    }

    /**
     * Opens the enrichment's database and parser, starts the HTTP server (its port goes into
     * {@code application.server}, so other instances can forward queries here), then the topology
     * from {@code config}; the caller closes it.
     */
    public static StreamsApp start(StreamsAppConfig config) {
        long opening = System.nanoTime();
        Enricher enricher = Enricher.open(config.enrichment());
        LOG.info("enrichment ready in {} ms: {}", (System.nanoTime() - opening) / 1_000_000, enricher.describe());
        try {
            return start(config, enricher);
        } catch (RuntimeException e) {
            enricher.close();
            throw e;
        }
    }

    private static StreamsApp start(StreamsAppConfig config, Enricher enricher) {
        AuthTopology.Serdes serdes = AuthTopology.Serdes.fromCatalogue(config.serdeConfig());
        Dashboard dashboard = new Dashboard(config.dashboard());
        StreamsHttpServer http = new StreamsHttpServer(Clock.systemUTC())
                .start(config.httpHost(), config.httpPort(), new DashboardRoutes(dashboard, Clock.systemUTC())::addTo);
        try {
            StreamsDeadLetters deadLetters = new StreamsDeadLetters(Clock.systemUTC());
            http.bind(deadLetters);
            RuleBook rules = config.topology().security().ruleBook();
            http.bind(rules);
            LOG.info(
                    "{} detection rules in force ({} from RULES_DIR)",
                    rules.current().rules().size(),
                    config.topology().security().userRules().size());
            Properties props = config.streamsProperties(deadLetters);
            OutputTopicLimits.check(props, config.topology().eventLimits());
            HostInfo advertised = new HostInfo(config.advertisedHost(), http.port());
            props.put(StreamsConfig.APPLICATION_SERVER_CONFIG, advertised.host() + ":" + advertised.port());
            OrderedLatency latency = new OrderedLatency(Clock.systemUTC());
            http.bind(latency);
            KafkaStreams streams = new KafkaStreams(
                    AuthTopology.build(
                            config.topology(), serdes, enricher, deadLetters, Clock.systemUTC(), rules, latency),
                    props);
            streams.setStateListener((now, before) -> LOG.info("Kafka Streams {} -> {}", before, now));
            StreamThreadFailureHandler threadFailures = new StreamThreadFailureHandler(Clock.systemUTC(), deadLetters);
            streams.setUncaughtExceptionHandler(threadFailures);
            http.attach(streams, advertised);
            dashboard.attach(streams, advertised);
            dashboard.start(props, config.serdeConfig());
            streams.start();
            return new StreamsApp(streams, http, enricher, threadFailures, dashboard);
        } catch (RuntimeException e) {
            dashboard.close();
            http.close();
            throw e;
        }
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** What the enrichment uses: its database files with their build dates, and the user agent parser. */
    public String enrichment() {
        return enricher.describe();
    }

    /** Stream threads replaced after dying of a Kafka outage, in the last ten minutes. */
    public int replacedThreads() {
        return threadFailures.recentReplacements();
    }

    /** The dashboard's page (docs/dashboard.md). */
    public String dashboardUrl() {
        return http.url() + "/dashboard/";
    }

    /** Base URL of the health and metrics endpoints. */
    public String httpUrl() {
        return http.url();
    }

    /**
     * Closes cleanly: commits, flushes state and leaves the group. Kafka Streams stays in the
     * group by default, which leaves this instance's partitions unprocessed until
     * {@code session.timeout.ms} (45 s) runs out; leaving hands them over at once.
     */
    @Override
    public void close() {
        streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                .withTimeout(Duration.ofSeconds(30)));
        dashboard.close();
        http.close();
        enricher.close();
    }
}
