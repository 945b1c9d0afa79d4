package io.authstream.schemas.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/** Serde of one generated Avro class in the Confluent wire format. */
public class AvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {

    public AvroSerde(Class<T> type) {
        super(new AvroSerializer<>(), new AvroDeserializer<>(type));
    }

    /** A value serde, configured. */
    public static <T extends SpecificRecord> Serde<T> forValues(Class<T> type, Map<String, ?> configs) {
        AvroSerde<T> serde = new AvroSerde<>(type);
        serde.configure(configs, false);
        return serde;
    }
}
