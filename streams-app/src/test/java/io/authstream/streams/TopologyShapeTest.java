package io.authstream.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.enrich.Enricher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The topology's shape, {@code Topology.describe()}, against the copy committed in
 * {@code src/test/resources/topology.txt}: a change of a processor, a store or a topic name
 * (whose changelog or repartition topic a running app would lose) shows in review as a change of
 * that file. After reviewing a deliberate change, record it with
 * {@code ./mvnw -pl streams-app -am test -Dtest=TopologyShapeTest -Dtopology.golden.update=true}.
 */
class TopologyShapeTest {

    private static final Path GOLDEN = Path.of("src/test/resources/topology.txt");

    @Test
    void theTopologyHasTheShapeItsGoldenFileRecords() throws IOException {
        String described =
                normalized(AuthTopology.build(AuthTopology.Settings.defaults(), TopologyFixtures.SERDES, Enricher.off())
                        .describe()
                        .toString());
        if (Boolean.getBoolean("topology.golden.update")) {
            Files.writeString(GOLDEN, described);
        }
        assertThat(described)
                .as(
                        "the topology's shape differs from %s: review the difference, then record it with "
                                + "-Dtopology.golden.update=true",
                        GOLDEN)
                .isEqualTo(Files.readString(GOLDEN));
    }

    /**
     * The description with each node's stores, children and parents sorted: their order comes
     * from sets (a processor supplier's {@code stores()}), which differ from one JVM to the next.
     */
    static String normalized(String description) {
        StringBuilder out = new StringBuilder();
        for (String line : description.split("\n", -1)) {
            Matcher stores = STORES.matcher(line);
            Matcher links = LINKS.matcher(line);
            if (stores.matches()) {
                line = stores.group(1) + sortedList(stores.group(2)) + "])";
            } else if (links.matches()) {
                line = links.group(1) + sortedList(links.group(2));
            }
            out.append(line).append('\n');
        }
        return out.substring(0, out.length() - 1);
    }

    private static final Pattern STORES = Pattern.compile("(.*\\(stores: \\[)(.*)\\]\\)");
    private static final Pattern LINKS = Pattern.compile("(\\s*(?:-->|<--) )(.*)");

    private static String sortedList(String items) {
        return items.isEmpty()
                ? ""
                : String.join(", ", Arrays.stream(items.split(", ")).sorted().toList());
    }
}
