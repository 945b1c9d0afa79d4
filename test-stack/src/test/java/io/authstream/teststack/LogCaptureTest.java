package io.authstream.teststack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class LogCaptureTest {

    @Test
    void aLogLineHoldingAValueInItsMessageOrItsExceptionIsFound() {
        // Logged on purpose, so not registered with TestSecrets: the suite audit would rightly fail on it.
        String value = "captured-value-123";
        try (LogCapture logs = LogCapture.start()) {
            LoggerFactory.getLogger(LogCaptureTest.class).warn("connecting with {}", value);
            LoggerFactory.getLogger(LogCaptureTest.class)
                    .warn(
                            "nothing to see",
                            new IllegalStateException(
                                    "wrapped", new IllegalArgumentException("in the cause: " + value)));
            LoggerFactory.getLogger(LogCaptureTest.class).warn("nothing here either");
            assertThat(logs.linesContainingAny(List.of(value))).hasSize(2);
        }
    }
}
