package io.authstream.connect;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * A sink connector whose tasks all run with the connector's own settings (Connect spreads the
 * topic partitions over them); the settings are checked when the connector starts.
 */
public abstract class UniformSinkConnector extends SinkConnector {

    private Map<String, String> props;

    /** Parses {@code props} into the connector's config class: a bad value fails the start with its name. */
    protected abstract void check(Map<String, String> props);

    @Override
    public final void start(Map<String, String> props) {
        check(props);
        this.props = Map.copyOf(props);
    }

    @Override
    public final List<Map<String, String>> taskConfigs(int maxTasks) {
        return Collections.nCopies(maxTasks, props);
    }

    @Override
    public void stop() {
        // Nothing held: the tasks own their clients.
    }

    @Override
    public String version() {
        return Versions.current();
    }
}
