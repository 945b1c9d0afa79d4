package io.authstream.connect.provisioning;

import io.authstream.connect.UniformSinkConnector;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Creates employee accounts in Auth0 from {@code employee.provisioning.requests}
 * ({@code POST /api/v2/users}, then the mapped role) and writes every outcome to
 * {@code employee.provisioning.results}. Run with {@code key.converter=StringConverter} and
 * {@code value.converter=ByteArrayConverter}.
 */
public final class Auth0ProvisioningSinkConnector extends UniformSinkConnector {

    @Override
    protected void check(Map<String, String> props) {
        new Auth0ProvisioningSinkConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return Auth0ProvisioningSinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return Auth0ProvisioningSinkConfig.CONFIG_DEF;
    }

    @Override
    public Config validate(Map<String, String> props) {
        return Auth0ProvisioningSinkConfig.validate(super.validate(props));
    }
}
