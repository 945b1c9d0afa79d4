package io.authstream.opscli;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.opscli.StreamRequest.Kind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What auth0 connect accepts before it calls Auth0, and where it points the stream. */
class StreamRequestTest {

    private static List<String> webhook(Kind kind, String url) {
        return StreamRequest.problems(
                kind, url, "bearer", List.of("user.created"), "JSONLINES", "webhook", null, null, "active");
    }

    private static List<String> eventBridge(String account, String region) {
        return StreamRequest.problems(
                Kind.EVENT_STREAM,
                null,
                "bearer",
                List.of("user.created"),
                "JSONLINES",
                "eventbridge",
                account,
                region,
                "active");
    }

    @Test
    void theGatewayUrlIsHttpsWithoutUserQueryOrFragment() {
        assertThat(webhook(Kind.LOG_STREAM, "https://gw.example.com")).isEmpty();
        assertThat(webhook(Kind.LOG_STREAM, "https://gw.example.com:8443/base/"))
                .isEmpty();
        assertThat(webhook(Kind.LOG_STREAM, "http://gw.example.com")).hasSize(1);
        assertThat(webhook(Kind.LOG_STREAM, "HTTPS://gw.example.com")).isEmpty();
        assertThat(webhook(Kind.LOG_STREAM, "https://user:pw@gw.example.com")).hasSize(1);
        assertThat(webhook(Kind.LOG_STREAM, "https://gw.example.com/?token=1")).hasSize(1);
        assertThat(webhook(Kind.LOG_STREAM, "https:///nohost")).hasSize(1);
        assertThat(webhook(Kind.LOG_STREAM, "not a url")).hasSize(1);
        assertThat(webhook(Kind.EVENT_STREAM, null))
                .containsExactly("--gateway-url is required (the gateway's public https:// URL)");
    }

    @Test
    void theRoutePathIsAddedOnce() {
        assertThat(StreamRequest.endpoint("https://gw.example.com/", Kind.LOG_STREAM))
                .isEqualTo("https://gw.example.com/webhooks/auth0/log-stream");
        assertThat(StreamRequest.endpoint("https://gw.example.com/ingest", Kind.EVENT_STREAM))
                .isEqualTo("https://gw.example.com/ingest/webhooks/auth0/event-stream");
        assertThat(StreamRequest.endpoint("https://gw.example.com/webhooks/auth0/event-stream", Kind.EVENT_STREAM))
                .isEqualTo("https://gw.example.com/webhooks/auth0/event-stream");
    }

    @Test
    void anEventBridgeStreamNeedsATwelveDigitAccountAndARegionButNoGateway() {
        assertThat(eventBridge("242849305777", "us-east-1")).isEmpty();
        assertThat(eventBridge("242849305777", "us-gov-west-1")).isEmpty();
        assertThat(eventBridge("242849305777", "ap-southeast-2")).isEmpty();
        assertThat(eventBridge("24284930577", "us-east-1")).hasSize(1);
        assertThat(eventBridge("2428493057770", "us-east-1")).hasSize(1);
        assertThat(eventBridge("24284930577a", "us-east-1")).hasSize(1);
        assertThat(eventBridge("242849305777", "US-EAST-1")).hasSize(1);
        assertThat(eventBridge("242849305777", null)).hasSize(1);
    }

    @Test
    void aStatusOtherThanActiveIsSetAfterTheCreateInEachKindsOwnWords() {
        assertThat(StreamRequest.patchStatus(Kind.LOG_STREAM, "active")).isNull();
        assertThat(StreamRequest.patchStatus(Kind.LOG_STREAM, "suspended")).isEqualTo("suspended");
        assertThat(StreamRequest.patchStatus(Kind.LOG_STREAM, "disabled")).isEqualTo("paused");
        assertThat(StreamRequest.patchStatus(Kind.EVENT_STREAM, "active")).isNull();
        assertThat(StreamRequest.patchStatus(Kind.EVENT_STREAM, "suspended")).isEqualTo("disabled");
        assertThat(StreamRequest.patchStatus(Kind.EVENT_STREAM, "disabled")).isEqualTo("disabled");
    }

    @Test
    void everyCredentialIsFresh() {
        String one = StreamRequest.secret();
        assertThat(one).matches("[0-9a-f]{64}");
        assertThat(StreamRequest.secret()).isNotEqualTo(one);
    }
}
