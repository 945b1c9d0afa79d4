package io.authstream.streams.enrich;

import io.authstream.enrich.Enricher;
import io.authstream.enrich.Enrichment;
import io.authstream.enrich.geo.GeoOutcome;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.streams.order.OrderedLatency;
import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorSupplier;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Enriches each ordered event once (geo from the payload or the IP lookup, device from the user
 * agent) before it is written and before any processor reads it, and counts what became of its
 * geo per outcome ({@code enrich-geo-total{outcome=located|not_found|not_public|...}}) and the
 * devices parsed; the last step before auth.events.ordered, it records each event's end-to-end
 * latency. Stateless: the enricher is shared by every task of the instance.
 */
public final class EnrichProcessor implements FixedKeyProcessor<String, AuthEvent, AuthEvent> {

    private final Enricher enricher;
    private final OrderedLatency latency;
    private FixedKeyProcessorContext<String, AuthEvent> context;
    private final Map<GeoOutcome, Sensor> geo = new EnumMap<>(GeoOutcome.class);
    private Sensor devices;

    private EnrichProcessor(Enricher enricher, OrderedLatency latency) {
        this.enricher = enricher;
        this.latency = latency;
    }

    public static FixedKeyProcessorSupplier<String, AuthEvent, AuthEvent> supplier(
            Enricher enricher, OrderedLatency latency) {
        return () -> new EnrichProcessor(enricher, latency);
    }

    @Override
    public void init(FixedKeyProcessorContext<String, AuthEvent> context) {
        this.context = context;
        String task = context.taskId().toString();
        for (GeoOutcome outcome : GeoOutcome.values()) {
            Sensor sensor = context.metrics()
                    .addSensor("enrich-geo-" + outcome.label() + "-" + task, Sensor.RecordingLevel.INFO);
            sensor.add(
                    new MetricName(
                            "enrich-geo-total",
                            "authstream-streams",
                            "Events by what became of their geo (payload, located by the IP lookup, not found, not public, ...)",
                            Map.of("task", task, "outcome", outcome.label())),
                    new CumulativeSum());
            geo.put(outcome, sensor);
        }
        devices = context.metrics().addSensor("enrich-devices-" + task, Sensor.RecordingLevel.INFO);
        devices.add(
                new MetricName(
                        "enrich-devices-total",
                        "authstream-streams",
                        "Events given a device parsed from their user agent",
                        Map.of("task", task)),
                new CumulativeSum());
    }

    @Override
    public void process(FixedKeyRecord<String, AuthEvent> record) {
        Enrichment enrichment = enricher.enrich(record.value());
        geo.get(enrichment.geo()).record(1);
        if (enrichment.device()) {
            devices.record(1);
        }
        latency.ordered(record.value());
        context.forward(record.withValue(enrichment.event()));
    }
}
