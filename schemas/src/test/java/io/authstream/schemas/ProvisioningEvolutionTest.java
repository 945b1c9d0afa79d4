package io.authstream.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.avro.ProvisioningAction;
import io.authstream.schemas.avro.ProvisioningRequest;
import io.authstream.schemas.avro.ProvisioningResult;
import io.authstream.schemas.avro.ProvisioningStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.Test;

/**
 * The provisioning schemas as released before the e-mail change (kept in test resources): the
 * sink and the gateway read requests and results written with them (BACKWARD), and a reader
 * still on them reads what the new ones write (FORWARD), an e-mail change as the enum default.
 */
class ProvisioningEvolutionTest {

    static {
        GeneratedClasses.trust();
    }

    private static Schema released(String name) throws IOException {
        try (InputStream in = ProvisioningEvolutionTest.class.getResourceAsStream("/history/" + name)) {
            return new Schema.Parser().parse(in);
        }
    }

    private static final GenericData WITH_TIMESTAMPS = new GenericData() {
        {
            addLogicalTypeConversion(new org.apache.avro.data.TimeConversions.TimestampMillisConversion());
        }
    };

    @Test
    void aRequestWrittenBeforeActionsReadsAsCreate() throws IOException {
        Schema old = released("ProvisioningRequest-before-actions.avsc");
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(ProvisioningRequest.getClassSchema(), old)
                        .getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        GenericRecord written = new GenericData.Record(old);
        written.put("requestId", "req-1");
        written.put("employeeId", "E1");
        written.put("email", "e1@example.com");
        written.put("fullName", "Employee One");
        written.put("requestedAt", Instant.parse("2026-11-23T09:00:00Z"));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(old, WITH_TIMESTAMPS).write(written, encoder);
        encoder.flush();

        ProvisioningRequest read = new SpecificDatumReader<ProvisioningRequest>(
                        old, ProvisioningRequest.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        assertThat(read.getAction()).isEqualTo(ProvisioningAction.CREATE);
        assertThat(read.getEmployeeId()).isEqualTo("E1");
        assertThat(read.getRequestedAt()).isEqualTo(Instant.parse("2026-11-23T09:00:00Z"));
    }

    @Test
    void anEmailChangeIsReadableByAReaderOnTheOldRequestSchema() throws IOException {
        Schema old = released("ProvisioningRequest-before-actions.avsc");
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(old, ProvisioningRequest.getClassSchema())
                        .getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
    }

    @Test
    void resultsReadBothWaysAndAnEmailUpdateIsFailedToAnOldReader() throws IOException {
        Schema old = released("ProvisioningResult-before-email-update.avsc");
        Schema current = ProvisioningResult.getClassSchema();
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old)
                        .getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(old, current)
                        .getType())
                .isEqualTo(SchemaCompatibilityType.COMPATIBLE);

        ProvisioningResult updated = ProvisioningResult.newBuilder()
                .setRequestId("req-2")
                .setEmployeeId("E1")
                .setEmail("new@example.com")
                .setStatus(ProvisioningStatus.EMAIL_UPDATED)
                .setAuth0UserId("auth0|e1")
                .setAttempts(2)
                .setDurationMs(12)
                .setCompletedAt(Instant.parse("2026-11-23T09:00:01Z"))
                .build();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new SpecificDatumWriter<ProvisioningResult>(current).write(updated, encoder);
        encoder.flush();

        GenericRecord oldReader = new GenericDatumReader<GenericRecord>(current, old, WITH_TIMESTAMPS)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertThat(oldReader.get("status").toString()).isEqualTo("FAILED");
        assertThat(oldReader.get("auth0UserId").toString()).isEqualTo("auth0|e1");

        GenericRecord written = new GenericData.Record(old);
        written.put("requestId", "req-3");
        written.put("employeeId", "E3");
        written.put("status", new GenericData.EnumSymbol(old.getField("status").schema(), "CREATED"));
        written.put("attempts", 3);
        written.put("durationMs", 5L);
        written.put("completedAt", Instant.parse("2026-11-23T09:00:02Z"));
        bytes.reset();
        new GenericDatumWriter<GenericRecord>(old, WITH_TIMESTAMPS).write(written, encoder);
        encoder.flush();
        ProvisioningResult read = new SpecificDatumReader<ProvisioningResult>(old, current)
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
        assertThat(read.getStatus()).isEqualTo(ProvisioningStatus.CREATED);
        assertThat(read.getAttempts()).isEqualTo(3);
        assertThat(read.getEmail()).isNull();
    }
}
