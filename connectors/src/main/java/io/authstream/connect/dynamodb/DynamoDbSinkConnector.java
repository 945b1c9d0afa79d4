package io.authstream.connect.dynamodb;

import io.authstream.connect.UniformSinkConnector;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;

/**
 * Keeps the DynamoDB {@code Users} table equal to the compacted {@code auth.profiles} topic.
 * Run it with {@code topics=auth.profiles}, {@code key.converter=StringConverter} and
 * {@code value.converter=ByteArrayConverter}: the task reads the Confluent-wire-format Avro itself.
 */
public final class DynamoDbSinkConnector extends UniformSinkConnector {

    @Override
    protected void check(Map<String, String> props) {
        new DynamoDbSinkConfig(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return DynamoDbSinkTask.class;
    }

    @Override
    public ConfigDef config() {
        return DynamoDbSinkConfig.CONFIG_DEF;
    }
}
