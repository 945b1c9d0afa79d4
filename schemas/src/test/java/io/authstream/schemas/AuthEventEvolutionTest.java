package io.authstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.GeoLocation;
import io.authstream.schemas.testing.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.Test;

/**
 * AuthEvent as released before the enrichment fields (geo.asn, geo.asOrganization, device),
 * kept in test resources: records written with it must stay readable (BACKWARD), as the
 * registry's default level demands of every new version.
 */
class AuthEventEvolutionTest {

    private static Schema released() throws IOException {
        try (InputStream in =
                AuthEventEvolutionTest.class.getResourceAsStream("/history/AuthEvent-before-enrichment.avsc")) {
            return new Schema.Parser().parse(in);
        }
    }

    @Test
    void theCurrentSchemaReadsEventsWrittenBeforeEnrichment() throws IOException {
        GeneratedClasses.trust();
        Schema old = released();
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(AuthEvent.getClassSchema(), old)
                        .getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);

        AuthEvent full = SampleEvents.full();
        GenericRecord written = new GenericData.Record(old);
        for (Schema.Field field : old.getFields()) {
            written.put(field.name(), full.get(field.name()));
        }
        Schema oldGeo = old.getField("geo").schema().getTypes().get(1);
        GenericRecord geo = new GenericData.Record(oldGeo);
        oldGeo.getFields().forEach(f -> geo.put(f.name(), full.getGeo().get(f.name())));
        written.put("geo", geo);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(old, new GenericData() {
                    {
                        addLogicalTypeConversion(new org.apache.avro.data.TimeConversions.TimestampMillisConversion());
                    }
                })
                .write(written, encoder);
        encoder.flush();
        AuthEvent read = new SpecificDatumReader<AuthEvent>(old, AuthEvent.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertThat(read.getDevice()).isNull();
        assertThat(read.getGeo().getAsn()).isNull();
        assertThat(read.getGeo().getAsOrganization()).isNull();
        assertThat(read)
                .isEqualTo(AuthEvent.newBuilder(full)
                        .setDevice(null)
                        .setGeo(GeoLocation.newBuilder(full.getGeo())
                                .setAsn(null)
                                .setAsOrganization(null)
                                .build())
                        .build());
    }
}
