package io.authstream.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {

    // Nothing listens on port 1: any registry call would fail as "unreachable", so an error about
    // the bytes proves the deserializer rejected them before asking the registry.
    private final AvroDeserializer<Object> deserializer = new AvroDeserializer<>();

    {
        deserializer.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "http://127.0.0.1:1"), false);
    }

    @Test
    void headerIsMagicZeroThenBigEndianId() {
        ByteBuffer buffer = ByteBuffer.allocate(5);
        WireFormat.writeHeader(buffer, 0x01020304);
        assertThat(buffer.array()).containsExactly(0, 1, 2, 3, 4);
        buffer.flip();
        assertThat(WireFormat.readSchemaId("t", buffer)).isEqualTo(0x01020304);
    }

    @Test
    void unknownMagicByteIsNamed() {
        assertThatThrownBy(() -> deserializer.deserialize("auth.events.raw", new byte[] {1, 0, 0, 0, 1, 2}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown magic byte 1")
                .hasMessageContaining("auth.events.raw");
    }

    @Test
    void plainJsonIsRejectedAsNotWireFormat() {
        assertThatThrownBy(() -> deserializer.deserialize("t", "{\"a\":1}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Unknown magic byte 123");
    }

    @Test
    void recordShorterThanHeaderIsRejected() {
        assertThatThrownBy(() -> deserializer.deserialize("t", new byte[] {0, 0, 1}))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("fewer than the 5-byte");
    }

    @Test
    void nullStaysNull() {
        assertThat(deserializer.deserialize("t", null)).isNull();
    }
}
