package io.authstream.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent Schema Registry framing: magic byte 0, the schema id as a 4-byte big-endian int,
 * then the Avro binary encoding of the value.
 */
public final class WireFormat {

    public static final byte MAGIC_BYTE = 0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {}

    /** Reads the header; the returned buffer is positioned at the first Avro byte. */
    public static int readSchemaId(String topic, ByteBuffer buffer) {
        if (buffer.remaining() < HEADER_SIZE) {
            throw new SerializationException(
                    "record on topic " + topic + " has " + buffer.remaining()
                            + " bytes, fewer than the 5-byte Confluent wire-format header: not written by an Avro Schema Registry serializer");
        }
        byte magic = buffer.get();
        if (magic != MAGIC_BYTE) {
            throw new SerializationException("Unknown magic byte " + magic + " (0x"
                    + String.format("%02x", magic & 0xff) + ") in record on topic " + topic
                    + ": expected 0, the Confluent Schema Registry wire format");
        }
        return buffer.getInt();
    }

    public static void writeHeader(ByteBuffer buffer, int schemaId) {
        buffer.put(MAGIC_BYTE).putInt(schemaId);
    }
}
