package io.authstream.connect.provisioning;

import io.authstream.connect.Versions;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Creates employee accounts in Auth0 from {@code employee.provisioning.requests}
 * ({@code POST /api/v2/users}, then the mapped role) and writes every outcome to
 * {@code employee.provisioning.results}. Run with {@code key.converter=StringConverter} and
 * {@code value.converter=ByteArrayConverter}.
 */
public final class Auth0ProvisioningSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new Auth0ProvisioningSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return Auth0ProvisioningSinkTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
        // The tasks own their clients and producers.
    }

    @Override
    public ConfigDef config() {
        return Auth0ProvisioningSinkConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return Versions.current();
    }
}
