package io.authstream.connect.dynamodb;

import io.authstream.connect.Versions;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Keeps the DynamoDB {@code Users} table equal to the compacted {@code auth.profiles} topic.
 * Run it with {@code topics=auth.profiles}, {@code key.converter=StringConverter} and
 * {@code value.converter=ByteArrayConverter}: the task reads the Confluent-wire-format Avro itself.
 */
public final class DynamoDbSinkConnector extends SinkConnector {

    private Map<String, String> props;

    @Override
    public void start(Map<String, String> props) {
        new DynamoDbSinkConfig(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public Class<? extends Task> taskClass() {
        return DynamoDbSinkTask.class;
    }

    /** Every task writes with the same settings; Connect spreads the topic's partitions over them. */
    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
        // Nothing held: the tasks own the DynamoDB clients.
    }

    @Override
    public ConfigDef config() {
        return DynamoDbSinkConfig.CONFIG_DEF;
    }

    @Override
    public String version() {
        return Versions.current();
    }
}
