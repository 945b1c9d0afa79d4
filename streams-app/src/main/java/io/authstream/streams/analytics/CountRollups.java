package io.authstream.streams.analytics;

import io.authstream.schemas.avro.AnalyticsRollup;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/** Turns a counted window's new tally into its rollup on {@code auth.analytics}. */
public final class CountRollups {

    private CountRollups() {}

    public static ProcessorSupplier<Windowed<String>, Tally, String, AnalyticsRollup> supplier(
            Granularity granularity) {
        return () -> new Processor<>() {
            private org.apache.kafka.streams.processor.api.ProcessorContext<String, AnalyticsRollup> context;

            @Override
            public void init(org.apache.kafka.streams.processor.api.ProcessorContext<String, AnalyticsRollup> context) {
                this.context = context;
            }

            @Override
            public void process(Record<Windowed<String>, Tally> record) {
                AnalyticsRollup rollup = Rollups.counted(
                        record.key().key(),
                        granularity.label(),
                        record.key().window().start(),
                        record.key().window().end(),
                        record.value(),
                        record.timestamp());
                context.forward(new Record<>(Rollups.key(rollup), rollup, record.timestamp()));
            }
        };
    }
}
