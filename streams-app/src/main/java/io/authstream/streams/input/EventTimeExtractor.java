package io.authstream.streams.input;

import io.authstream.schemas.avro.AuthEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time is when the event happened at the source ({@code occurredAt}), not when Kafka got
 * it: windows, dedup retention and reordering all run on it.
 *
 * <p>Only times {@link InputChecks} takes become record times. Any other record (an event time
 * out of range, no value) gets the partition's time so far: it leaves stream time where it was,
 * and the input guard, first in the topology, dead-letters it. Never a negative time: Kafka
 * Streams would drop the record with only a log line.
 */
public final class EventTimeExtractor implements TimestampExtractor {

    private final InputChecks checks;

    public EventTimeExtractor(InputChecks checks) {
        this.checks = checks;
    }

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof AuthEvent event && checks.timesTaken(event)) {
            return event.getOccurredAt().toEpochMilli();
        }
        return Math.max(partitionTime, 0);
    }
}
