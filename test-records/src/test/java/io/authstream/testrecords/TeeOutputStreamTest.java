package io.authstream.testrecords;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TeeOutputStreamTest {

    @Test
    void bothTheConsoleAndTheCopyGetEveryByte() {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(new TeeOutputStream(console, copy), true, StandardCharsets.UTF_8)) {
            out.println("a line");
            out.write('x');
        }
        assertThat(console.toString(StandardCharsets.UTF_8)).isEqualTo("a line" + System.lineSeparator() + "x");
        assertThat(copy.toString(StandardCharsets.UTF_8)).isEqualTo(console.toString(StandardCharsets.UTF_8));
    }
}
