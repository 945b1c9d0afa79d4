package io.authstream.connect.mail;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.internet.InternetAddress;
import org.junit.jupiter.api.Test;

class MessageIdsTest {

    @Test
    void theSameNotificationAlwaysHasTheSameMessageId() {
        assertThat(MessageIds.of("welcome:auth0|618223a4", "example.com"))
                .isEqualTo("<welcome%3Aauth0|618223a4@example.com>")
                .isEqualTo(MessageIds.of("welcome:auth0|618223a4", "example.com"));
    }

    @Test
    void everyCharacterOutsideDotAtomTextIsEncodedAndDistinctIdsStayDistinct() throws Exception {
        String id = MessageIds.localPart("welcome:a.b c@d<é>%");
        assertThat(id).isEqualTo("welcome%3Aa%2Eb%20c%40d%3C%C3%A9%3E%25");
        // '%' itself is encoded, so an id that looks encoded cannot collide with one that is.
        assertThat(MessageIds.localPart("a%3A")).isNotEqualTo(MessageIds.localPart("a:"));
        // Parses as an address: left part and domain are what RFC 5322 allows.
        assertThat(new InternetAddress(id + "@example.com", true).getAddress()).isEqualTo(id + "@example.com");
    }

    @Test
    void longIdsAreHashedToKeepTheHeaderLineShort() {
        String longId = "welcome:auth0|" + "k".repeat(2000);
        String local = MessageIds.localPart(longId);
        assertThat(local).startsWith("sha256.").hasSize("sha256.".length() + 64);
        assertThat(MessageIds.localPart(longId + "x")).isNotEqualTo(local);
        assertThat(MessageIds.localPart("k".repeat(MessageIds.MAX_LOCAL_PART))).doesNotStartWith("sha256.");
    }

    @Test
    void domainsAreDotAtoms() {
        assertThat(MessageIds.validDomain("mail.example.com")).isTrue();
        assertThat(MessageIds.validDomain("localhost")).isTrue();
        assertThat(MessageIds.validDomain("exa mple.com")).isFalse();
        assertThat(MessageIds.validDomain("example.com>")).isFalse();
        assertThat(MessageIds.validDomain(".example.com")).isFalse();
        assertThat(MessageIds.validDomain("")).isFalse();
    }
}
