package io.authstream.streams.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.authstream.streams.security.RuleHit;
import io.authstream.streams.security.RuleWindow;
import io.authstream.streams.security.SignInHistory;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.apache.datasketches.hll.HllSketch;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;

/**
 * What the internal topics and stores carry, read from bytes nobody here wrote (random, or a
 * valid record cut short, lengthened or with a byte changed): each serde either reads a value it
 * could have written, or refuses with an exception Kafka Streams hands to the deserialization
 * handler (which dead-letters the record); never an index error from a hostile length, never
 * a negative or impossible count added into a window.
 */
class PartialSerdesHostileBytesProperties {

    @Property(tries = 3000)
    void tallies(@ForAll long seed) {
        Random random = new Random(seed);
        Tally valid = random.nextBoolean()
                ? new Tally(random.nextInt(1000), 0)
                : new Tally(random.nextInt(100), 100 + random.nextInt(1000));
        byte[] bytes = hostile(random, Tally.SERDE.serializer().serialize("t", valid));
        Throwable refused = catchThrowable(() -> {
            Tally read = Tally.SERDE.deserializer().deserialize("t", bytes);
            assertThat(read.count()).isNotNegative();
            assertThat(read.total()).isNotNegative();
            if (read.isRate()) {
                assertThat(read.count()).isLessThanOrEqualTo(read.total());
            }
        });
        assertThat(refused)
                .satisfiesAnyOf(
                        r -> assertThat(r).isNull(), r -> assertThat(r).isInstanceOf(SerializationException.class));
    }

    @Property(tries = 1000)
    void partialSketches(@ForAll long seed) {
        Random random = new Random(seed);
        HllSketch valid = ActiveUsers.empty();
        for (int i = random.nextInt(50); i > 0; i--) {
            valid = ActiveUsers.add(valid, "auth0|" + random.nextInt());
        }
        byte[] bytes = hostile(random, ActiveUsers.PARTIAL_SERDE.serializer().serialize("t", valid));
        for (Serde<HllSketch> serde : List.of(ActiveUsers.PARTIAL_SERDE, ActiveUsers.SERDE)) {
            Throwable refused = catchThrowable(() -> {
                HllSketch read = serde.deserializer().deserialize("t", bytes);
                assertThat(read.getLgConfigK()).isEqualTo(ActiveUsers.LG_K);
                ActiveUsers.merge(ActiveUsers.empty(), read).getEstimate(); // usable as a partial
            });
            // (DataSketches checks some of its input with assert, on here: SerializationException is also what
            // production sees)
            assertThat(refused)
                    .satisfiesAnyOf(
                            r -> assertThat(r).isNull(), r -> assertThat(r).isInstanceOf(SerializationException.class));
        }
    }

    @Property(tries = 2000)
    void stampedPartials(@ForAll long seed) {
        Random random = new Random(seed);
        Serde<TaskPartials.Stamped<Tally>> serde = TaskPartials.stampedSerde(Tally.SERDE);
        byte[] valid = serde.serializer()
                .serialize("t", new TaskPartials.Stamped<>(new Tally(random.nextInt(9), 0), random.nextLong()));
        byte[] bytes = hostile(random, valid);
        Throwable refused = catchThrowable(() -> serde.deserializer().deserialize("t", bytes));
        assertThat(refused)
                .satisfiesAnyOf(
                        r -> assertThat(r).isNull(), r -> assertThat(r).isInstanceOf(SerializationException.class));
    }

    @Property(tries = 3000)
    void ruleStateAndHits(@ForAll long seed) {
        Random random = new Random(seed);
        byte[] bytes = new byte[random.nextInt(64)];
        random.nextBytes(bytes);
        if (bytes.length >= 5 && random.nextBoolean()) {
            bytes[0] = (byte) (1 + random.nextInt(2)); // a format the readers know (a rule hit's, a window's)
            // then a length or count just below 2^31, which position + length would overflow
            int at = random.nextBoolean() ? 1 : 1 + random.nextInt(bytes.length - 4);
            ByteBuffer.wrap(bytes, at, 4).putInt(Integer.MAX_VALUE - random.nextInt(16));
        }
        for (Serde<?> serde : List.of(RuleWindow.SERDE, RuleHit.SERDE, SignInHistory.SERDE)) {
            Throwable refused = catchThrowable(() -> serde.deserializer().deserialize("t", bytes));
            // an IOException of the reader (a length beyond the bytes, an unknown format), wrapped
            assertThat(refused)
                    .satisfiesAnyOf(
                            r -> assertThat(r).isNull(), r -> assertThat(r).isInstanceOf(UncheckedIOException.class));
        }
    }

    /** The valid bytes, or random ones, cut short, lengthened or with one byte changed. */
    private static byte[] hostile(Random random, byte[] valid) {
        switch (random.nextInt(5)) {
            case 0 -> {
                byte[] any = new byte[random.nextInt(40)];
                random.nextBytes(any);
                return any;
            }
            case 1 -> {
                return Arrays.copyOf(valid, random.nextInt(valid.length + 1));
            }
            case 2 -> {
                byte[] longer = Arrays.copyOf(valid, valid.length + 1 + random.nextInt(8));
                longer[longer.length - 1] = (byte) random.nextInt();
                return longer;
            }
            default -> {
                byte[] changed = valid.clone();
                if (changed.length > 0) {
                    changed[random.nextInt(changed.length)] = (byte) random.nextInt();
                }
                return changed;
            }
        }
    }
}
