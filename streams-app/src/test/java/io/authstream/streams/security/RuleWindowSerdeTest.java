package io.authstream.streams.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.streams.security.RuleWindow.Evidence;
import io.authstream.streams.security.RuleWindow.Firing;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class RuleWindowSerdeTest {

    private static final Serde<RuleWindow> SERDE = RuleWindow.SERDE;

    private static RuleWindow roundTrip(RuleWindow window) {
        return SERDE.deserializer().deserialize("t", SERDE.serializer().serialize("t", window));
    }

    @Test
    void distinctValuesAndNonAsciiTextSurviveTheStore() {
        RuleWindow window = RuleWindow.empty();
        assertThat(window.add(new Evidence(1_000, "e1", "203.0.113.1"), 3, 60_000))
                .isEmpty();
        window = roundTrip(window);
        assertThat(window.add(new Evidence(2_000, "é2", "2001:db8::ü"), 3, 60_000))
                .isEmpty();
        window = roundTrip(window);
        assertThat(window.add(new Evidence(2_500, "e2b", "203.0.113.1"), 3, 60_000))
                .isEmpty();
        window = roundTrip(window);

        Optional<Firing> firing = window.add(new Evidence(3_000, "e3", "198.51.100.7"), 3, 60_000);

        assertThat(firing).isPresent();
        assertThat(firing.get().count()).isEqualTo(3);
        assertThat(firing.get().evidence()).extracting(Evidence::eventId).containsExactly("e1", "é2", "e2b", "e3");
        assertThat(firing.get().evidence())
                .extracting(Evidence::value)
                .containsExactly("203.0.113.1", "2001:db8::ü", "203.0.113.1", "198.51.100.7");
    }

    @Test
    void windowsStoredInTheFirstFormatAreStillRead() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(1); // incidents
            out.writeLong(0);
            out.writeLong(1_000);
            out.writeInt(2); // events
            out.writeLong(5_000);
            out.writeUTF("e1");
            out.writeUTF("a");
            out.writeLong(6_000);
            out.writeUTF("e2");
            out.writeUTF("b");
        }
        RuleWindow window = SERDE.deserializer().deserialize("t", bytes.toByteArray());

        assertThat(window.add(new Evidence(500, "late", "c"), 3, 2_000))
                .as("joins the stored incident")
                .isEmpty();
        Optional<Firing> firing = window.add(new Evidence(6_500, "e3", "c"), 3, 2_000);
        assertThat(firing).isPresent();
        assertThat(firing.get().evidence()).extracting(Evidence::eventId).containsExactly("e1", "e2", "e3");
    }
}
