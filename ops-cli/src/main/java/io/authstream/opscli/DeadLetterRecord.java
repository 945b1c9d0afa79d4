package io.authstream.opscli;

import io.authstream.schemas.deadletter.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A record of {@code auth.events.deadletter} as its writers (gateway, logs source, Streams app)
 * make it: the original bytes, the reason code, the reason's detail, the source and when it was
 * received, in {@link DeadLetterHeaders}.
 *
 * @param code the reason code, {@code unknown} when the record has none
 * @param detail what was wrong (the reason header without its leading code)
 * @param receivedAt when authstream received the input, or null when the header is missing or unreadable
 * @param headers every header, as text
 */
record DeadLetterRecord(
        int partition,
        long offset,
        Instant timestamp,
        String key,
        byte[] body,
        String code,
        String detail,
        String source,
        Instant receivedAt,
        Map<String, String> headers) {

    /** Its key on {@code auth.deadletter.redriven}: where it is on the dead-letter topic. */
    String position() {
        return partition + "-" + offset;
    }

    int size() {
        return body == null ? 0 : body.length;
    }

    static DeadLetterRecord of(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(
                    header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        String code = headers.getOrDefault(DeadLetterHeaders.CODE, "unknown");
        String reason = headers.getOrDefault(DeadLetterHeaders.REASON, "");
        String detail = reason.startsWith(code + ": ") ? reason.substring(code.length() + 2) : reason;
        Instant receivedAt = null;
        String received = headers.get(DeadLetterHeaders.RECEIVED_AT);
        if (received != null) {
            try {
                receivedAt = Instant.parse(received);
            } catch (RuntimeException e) {
                receivedAt = null;
            }
        }
        return new DeadLetterRecord(
                record.partition(),
                record.offset(),
                Instant.ofEpochMilli(record.timestamp()),
                record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8),
                record.value(),
                code,
                detail,
                headers.getOrDefault(DeadLetterHeaders.SOURCE, "unknown"),
                receivedAt,
                headers);
    }
}
