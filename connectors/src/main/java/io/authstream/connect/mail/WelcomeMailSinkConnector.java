package io.authstream.connect.mail;

import io.authstream.connect.UniformSinkConnector;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Mails each notification of {@code auth.notifications} (kind {@code welcome} by default) over
 * SMTP, once: Amazon SES's SMTP interface or any mail server. Run it with
 * {@code topics=auth.notifications}, {@code key.converter=StringConverter},
 * {@code value.converter=ByteArrayConverter} (the task reads the Confluent wire format itself), and a
 * dead-letter queue ({@code errors.tolerance=all}, {@code errors.deadletterqueue.topic.name}) for the
 * mails a server refuses.
 */
public final class WelcomeMailSinkConnector extends UniformSinkConnector {

    @Override
    protected void check(Map<String, String> props) {
        new WelcomeMailSinkConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return WelcomeMailSinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return WelcomeMailSinkConfig.CONFIG_DEF;
    }
}
