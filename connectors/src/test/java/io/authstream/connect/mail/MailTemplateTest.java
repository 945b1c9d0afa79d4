package io.authstream.connect.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.connect.mail.MailTemplate.RenderedMail;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MailTemplateTest {

    private static final String TEMPLATE = """
            # a comment
            Subject: Welcome, {{displayName|there}}!
            --- text ---
            Hi {{ displayName | there }}, you are {{email}} ({{provider}}).
            --- html ---
            <p>Hi {{displayName|there}}, you are <b>{{email}}</b>{{provider}}.</p>
            """;

    @Test
    void fillsSubjectAndBothBodiesFromTheValues() {
        RenderedMail mail = MailTemplate.parse("t", TEMPLATE)
                .render(Map.of("displayName", "Jane Doe", "email", "jane@example.com", "provider", "google-oauth2"));
        assertThat(mail.subject()).isEqualTo("Welcome, Jane Doe!");
        assertThat(mail.text()).hasValue("Hi Jane Doe, you are jane@example.com (google-oauth2).\n");
        assertThat(mail.html()).hasValue("<p>Hi Jane Doe, you are <b>jane@example.com</b>google-oauth2.</p>\n");
    }

    @Test
    void missingValuesRenderTheirFallbackElseNothing() {
        Map<String, String> values = new HashMap<>();
        values.put("displayName", null);
        values.put("email", "");
        RenderedMail mail = MailTemplate.parse("t", TEMPLATE).render(values);
        assertThat(mail.subject()).isEqualTo("Welcome, there!");
        assertThat(mail.text()).hasValue("Hi there, you are  ().\n");
    }

    @Test
    void valuesAreEscapedInHtmlAndKeptOnOneLineInTheSubject() {
        RenderedMail mail = MailTemplate.parse("t", TEMPLATE)
                .render(Map.of(
                        "displayName", "<script>alert('x')</script> & \"Co\"\r\nBcc: victim@example.com",
                        "email", "a@example.com"));
        assertThat(mail.html().orElseThrow())
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot;")
                .doesNotContain("<script>");
        assertThat(mail.subject())
                .isEqualTo("Welcome, <script>alert('x')</script> & \"Co\" Bcc: victim@example.com!")
                .doesNotContain("\r", "\n");
        // The text body is plain text: the value as it is.
        assertThat(mail.text().orElseThrow()).contains("<script>alert('x')</script>");
    }

    @Test
    void aTemplateWithOneBodyHasOnlyThatOne() {
        RenderedMail mail = MailTemplate.parse("t", "Subject: Hi\n--- text ---\nplain only\n")
                .render(Map.of());
        assertThat(mail.text()).hasValue("plain only\n");
        assertThat(mail.html()).isEmpty();
    }

    @Test
    void brokenTemplatesAreRefusedNamingTheLine() {
        assertThatThrownBy(() -> MailTemplate.parse("f.txt", "--- text ---\nhi\n"))
                .hasMessageContaining("f.txt: the first line (after # comments) must be 'Subject: ...', line 1");
        assertThatThrownBy(() -> MailTemplate.parse("f.txt", "Subject: Hi\n"))
                .hasMessageContaining("no '--- text ---' or '--- html ---' section");
        assertThatThrownBy(() -> MailTemplate.parse("f.txt", "Subject: Hi\n--- text ---\nHi {{displayName\n"))
                .hasMessageContaining("line 3");
        assertThatThrownBy(() -> MailTemplate.parse("f.txt", "Subject: Hi {{ }}\n--- text ---\nx\n"))
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> MailTemplate.parse("f.txt", "Subject: Hi\nstray\n--- text ---\nx\n"))
                .hasMessageContaining("text before the first");
        assertThatThrownBy(() -> MailTemplate.parse("f.txt", "Subject: Hi\n--- text ---\nx\n--- text ---\ny\n"))
                .hasMessageContaining("a second '--- text ---' section, line 4");
    }

    @Test
    void theBuiltInWelcomeTemplateUsesTheProfileFields() {
        MailTemplate builtIn = MailTemplate.load("");
        RenderedMail mail = builtIn.render(
                Map.of("displayName", "Jane & Joe", "email", "jane@example.com", "provider", "google-oauth2"));
        assertThat(builtIn.source()).contains("welcome.template");
        assertThat(mail.subject()).isEqualTo("Welcome, Jane & Joe!");
        assertThat(mail.text().orElseThrow()).contains("Hi Jane & Joe,", "jane@example.com", "google-oauth2");
        assertThat(mail.html().orElseThrow()).contains("Hi Jane &amp; Joe,", "<strong>jane@example.com</strong>");
        assertThat(MailTemplate.load("").render(Map.of()).subject()).isEqualTo("Welcome, there!");
    }
}
