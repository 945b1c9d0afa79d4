package io.authstream.connect.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.authstream.connect.mail.WelcomeMailSinkConfig.Security;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WelcomeMailSinkConfigTest {

    private static Map<String, String> minimal() {
        Map<String, String> props = new HashMap<>();
        props.put("schema.registry.url", "http://127.0.0.1:8081");
        props.put("smtp.host", "email-smtp.eu-west-1.amazonaws.com");
        props.put("mail.from", "Example <welcome@example.com>");
        props.put("sent.bootstrap.servers", "127.0.0.1:9092");
        return props;
    }

    @Test
    void defaultsAreSesSubmissionWithRequiredStarttls() {
        WelcomeMailSinkConfig config = new WelcomeMailSinkConfig(minimal());
        assertThat(config.port()).isEqualTo(587);
        assertThat(config.security()).isEqualTo(Security.STARTTLS);
        assertThat(config.messageIdDomain()).isEqualTo("example.com");
        assertThat(config.sentTopic()).isEqualTo("auth.notifications.sent");
        assertThat(config.kind()).isEqualTo("welcome");
        Properties smtp = SmtpSender.properties(config);
        assertThat(smtp)
                .containsEntry("mail.smtp.starttls.enable", "true")
                .containsEntry("mail.smtp.starttls.required", "true")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "true")
                .containsEntry("mail.smtp.from", "welcome@example.com")
                .doesNotContainKey("mail.smtp.ssl.trust");
    }

    @Test
    void contradictoryOrBrokenSettingsAreRefusedNamingThem() {
        Map<String, String> userOnly = minimal();
        userOnly.put("smtp.username", "AKIAEXAMPLE");
        assertThatThrownBy(() -> new WelcomeMailSinkConfig(userOnly))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("smtp.username and smtp.password go together");

        Map<String, String> cleartextPassword = minimal();
        cleartextPassword.put("smtp.username", "user");
        cleartextPassword.put("smtp.password", "smtp-secret-value");
        cleartextPassword.put("smtp.security", "none");
        assertThatThrownBy(() -> new WelcomeMailSinkConfig(cleartextPassword))
                .hasMessageContaining("smtp.security")
                .hasMessageContaining("in the clear")
                .hasMessageNotContaining("smtp-secret-value");

        Map<String, String> badFrom = minimal();
        badFrom.put("mail.from", "not an address");
        assertThatThrownBy(() -> new WelcomeMailSinkConfig(badFrom)).hasMessageContaining("mail.from");

        Map<String, String> badSecurity = minimal();
        badSecurity.put("smtp.security", "tls-please");
        assertThatThrownBy(() -> new WelcomeMailSinkConfig(badSecurity)).hasMessageContaining("smtp.security");

        Map<String, String> backoff = minimal();
        backoff.put("retry.backoff.initial.ms", "5000");
        backoff.put("retry.backoff.max.ms", "1000");
        assertThatThrownBy(() -> new WelcomeMailSinkConfig(backoff)).hasMessageContaining("retry.backoff.max.ms");
    }

    @Test
    void aTemplateFileIsParsedAtStart(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.template");
        Files.writeString(good, "Subject: Hi {{displayName}}\n--- text ---\nHello\n");
        Map<String, String> props = minimal();
        props.put("mail.template.path", good.toString());
        assertThat(new WelcomeMailSinkConfig(props).templatePath()).isEqualTo(good.toString());

        Path broken = dir.resolve("broken.template");
        Files.writeString(broken, "Hello {{displayName}}\n");
        props.put("mail.template.path", broken.toString());
        assertThatThrownBy(() -> new WelcomeMailSinkConfig(props))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("mail.template.path")
                .hasMessageContaining("must be 'Subject: ...'");

        props.put("mail.template.path", dir.resolve("missing").toString());
        assertThatThrownBy(() -> new WelcomeMailSinkConfig(props))
                .hasMessageContaining("cannot read the mail template");
    }

    @Test
    void trustedHostsTurnOffTheNameCheckForTestServersOnly() {
        Map<String, String> props = minimal();
        props.put("smtp.security", "ssl");
        props.put("smtp.port", "465");
        props.put("smtp.ssl.trust", "127.0.0.1");
        Properties smtp = SmtpSender.properties(new WelcomeMailSinkConfig(props));
        assertThat(smtp)
                .containsEntry("mail.smtp.ssl.enable", "true")
                .containsEntry("mail.smtp.starttls.enable", "false")
                .containsEntry("mail.smtp.ssl.trust", "127.0.0.1")
                .containsEntry("mail.smtp.ssl.checkserveridentity", "false");
    }
}
