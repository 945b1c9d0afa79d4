package io.authstream.connect;

import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.slf4j.Logger;

/** Hands a record a sink can never process to Connect's errant-record reporter (the connector's DLQ). */
public final class ErrantRecords {

    private ErrantRecords() {}

    /**
     * Reports and waits for the report to be written, so the record's offset is not committed before.
     *
     * @param reporter null when the worker has no reporter: then the task fails, naming the record
     */
    public static void report(ErrantRecordReporter reporter, SinkRecord record, Exception reason, Logger log) {
        String where = record.topic() + "-" + record.kafkaPartition() + "@" + record.kafkaOffset();
        if (reporter == null) {
            throw new ConnectException(
                    "cannot process " + where + " and no dead-letter queue is configured: " + reason.getMessage(),
                    reason);
        }
        log.warn("{} sent to the dead-letter queue: {}", where, reason.getMessage());
        try {
            reporter.report(record, reason).get();
        } catch (Exception e) {
            throw new ConnectException("could not report the errant record " + where, e);
        }
    }
}
