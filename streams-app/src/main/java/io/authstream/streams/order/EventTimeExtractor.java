package io.authstream.streams.order;

import io.authstream.schemas.avro.AuthEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time is when the event happened at the source ({@code occurredAt}), not when Kafka got
 * it: windows, dedup retention and reordering all run on it.
 */
public final class EventTimeExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof AuthEvent event && event.getOccurredAt() != null) {
            return event.getOccurredAt().toEpochMilli();
        }
        // Not an AuthEvent (e.g. it failed to deserialize and goes to the dead-letter topic): the broker's time.
        return record.timestamp() >= 0 ? record.timestamp() : partitionTime;
    }
}
