package io.authstream.connect.logs;

import io.authstream.connect.Versions;
import io.authstream.connect.auth0.Auth0Config;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Pulls a tenant's logs from the Management API ({@code GET /api/v2/logs?from=<log_id>&take=100})
 * into {@code auth.events.raw} as the same {@code AuthEvent} the webhook makes, so dedup covers the
 * overlap: for backfills and for tenants without Log Streams. One task: a tenant's log is one
 * sequence, checkpointed by log id in Connect's offsets.
 */
public final class Auth0LogsSourceConnector extends SourceConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new Auth0LogsSourceConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return Auth0LogsSourceTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(props);
    }

    @Override
    public void stop() {
        // The task owns the client.
    }

    @Override
    public ConfigDef config() {
        return Auth0LogsSourceConfig.CONFIG_DEF;
    }

    @Override
    public Config validate(Map<String, String> props) {
        return Auth0Config.validate(super.validate(props));
    }

    @Override
    public String version() {
        return Versions.current();
    }
}
