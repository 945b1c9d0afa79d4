package io.authstream.streams.order;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Order-preserving byte encoding of (event time, record key, event id) for the reorder buffer.
 * Byte-wise (RocksDB) order is event-time order, so "everything up to time T" is one range scan;
 * the event id in the key keeps two events of the same millisecond apart (both are kept, in id
 * order), which a buffer keyed by time alone would not.
 */
public final class BufferKey {

    private BufferKey() {}

    public record Decoded(long time, String key, String eventId) {}

    public static Bytes encode(long time, String key, String eventId) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + 4 + k.length + id.length)
                .putLong(time ^ Long.MIN_VALUE)
                .putInt(k.length)
                .put(k)
                .put(id)
                .array());
    }

    /** The smallest key after every key with a time at or before {@code time}: an exclusive range end. */
    public static Bytes after(long time) {
        return Bytes.wrap(
                ByteBuffer.allocate(8).putLong((time + 1) ^ Long.MIN_VALUE).array());
    }

    public static Decoded decode(Bytes bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes.get());
        long time = buffer.getLong() ^ Long.MIN_VALUE;
        byte[] k = new byte[buffer.getInt()];
        buffer.get(k);
        byte[] id = new byte[buffer.remaining()];
        buffer.get(id);
        return new Decoded(time, new String(k, StandardCharsets.UTF_8), new String(id, StandardCharsets.UTF_8));
    }

    /** (time, event id) of an event, comparable byte-wise: the per-key release order. */
    public static Bytes position(long time, String eventId) {
        byte[] id = eventId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + id.length)
                .putLong(time ^ Long.MIN_VALUE)
                .put(id)
                .array());
    }

    /** The event time of a {@link #position}. */
    public static long positionTime(Bytes position) {
        return ByteBuffer.wrap(position.get()).getLong() ^ Long.MIN_VALUE;
    }
}
