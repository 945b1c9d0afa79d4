package io.authstream.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** What the reports read from Kafka's tool and what they write for people to look at. */
class BenchOutputTest {

    /** Lines as kafka-producer-perf-test 4.3.1 printed them here. */
    private static final String TOOL_OUTPUT = """
            176907 records sent, 35381.4 records/sec (23.99 MB/sec), 512.2 ms avg latency, 1009.0 ms max latency.
            455239 records sent, 91047.8 records/sec (61.74 MB/sec), 488.8 ms avg latency, 760.0 ms max latency.
            692507 records sent, 66721.938530 records/sec (45.24 MB/sec), 478.07 ms avg latency, 1009.00 ms max latency, \
            469 ms 50th, 785 ms 95th, 935 ms 99th, 990 ms 99.9th.
            """;

    @Test
    void theToolsFinalSummaryIsReadNotItsProgressLines() {
        Matcher summary = LoadReport.toolSummary(TOOL_OUTPUT);
        assertThat(Double.parseDouble(summary.group(2))).isEqualTo(66721.938530);
        assertThat(summary.group(6)).isEqualTo("469");
        assertThat(summary.group(8)).isEqualTo("935");
        assertThat(summary.group(9)).isEqualTo("990");
    }

    /** wrk 4.1.0's report with --latency, as it printed it here, plus the failure lines it adds when there are any. */
    private static final String WRK_OUTPUT = """
            Running 10s test @ http://127.0.0.1:34249/bench/ceiling
              2 threads and 32 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     4.30ms   14.92ms 164.46ms   94.99%
                Req/Sec    14.21k     3.93k   25.38k    73.74%
              Latency Distribution
                 50%  900.00us
                 75%    1.43ms
                 90%    4.65ms
                 99%   87.71ms
              281921 requests in 10.08s, 37.37MB read
              Socket errors: connect 0, read 1, write 0, timeout 20
              Non-2xx or 3xx responses: 100
            Requests/sec:  27969.67
            Transfer/sec:      3.71MB
            """;

    @Test
    void wrksRateCountsOnlyAnswered2xxAndItsPercentilesAreInMilliseconds() {
        LoadReport.Row row = LoadReport.wrkRow("ceiling, wrk", WRK_OUTPUT, 1.0, 2.0, 0.5, 400);
        assertThat(row.failures()).isEqualTo(121);
        assertThat(row.requestsPerSecond())
                .isCloseTo((281921 - 121) / 10.08, org.assertj.core.data.Offset.offset(0.01));
        assertThat(row.p50Ms()).isCloseTo(0.9, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(row.p99Ms()).isEqualTo(87.71);
        assertThat(row.peakRssMiB()).isEqualTo(400);
    }

    @Test
    void aRunWithoutSummaryIsAnErrorNotAZero() {
        assertThatThrownBy(() ->
                        LoadReport.toolSummary(TOOL_OUTPUT.lines().limit(2).reduce("", (a, b) -> a + b + "\n")))
                .hasMessageContaining("no summary");
    }

    @Test
    void theChartIsWellFormedSvgWithOneBarPerRowColouredByTheTarget() throws Exception {
        String svg = SvgBarChart.render(
                "ratio <to> baseline",
                "x baseline",
                List.of(
                        new SvgBarChart.Bar("baseline", 1.0, "1.00 x"),
                        new SvgBarChart.Bar("gateway & co", 0.26, "0.26 x")),
                0.5,
                "target");
        Document doc = DocumentBuilderFactory.newInstance()
                .newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        NodeList rects = doc.getElementsByTagName("rect");
        assertThat(rects.getLength()).isEqualTo(3); // background and two bars
        assertThat(rects.item(1).getAttributes().getNamedItem("fill").getNodeValue())
                .isEqualTo("#2e7d32");
        assertThat(rects.item(2).getAttributes().getNamedItem("fill").getNodeValue())
                .isEqualTo("#c62828");
        assertThat(Double.parseDouble(
                        rects.item(1).getAttributes().getNamedItem("width").getNodeValue()))
                .isGreaterThan(3
                        * Double.parseDouble(rects.item(2)
                                .getAttributes()
                                .getNamedItem("width")
                                .getNodeValue()));
        assertThat(doc.getDocumentElement().getTextContent()).contains("ratio <to> baseline", "gateway & co");
    }

    @Test
    void aSubTopologysSpreadIsItsBusiestTaskOverTheMeanOfAllSixAbsentOnesCountingZero() {
        List<SpreadReport.TaskLoad> loads = List.of(
                new SpreadReport.TaskLoad(0, 0, 100),
                new SpreadReport.TaskLoad(0, 1, 110),
                new SpreadReport.TaskLoad(0, 2, 90),
                new SpreadReport.TaskLoad(0, 3, 100),
                new SpreadReport.TaskLoad(0, 4, 100),
                new SpreadReport.TaskLoad(0, 5, 100),
                new SpreadReport.TaskLoad(3, 4, 60));
        List<SpreadReport.Spread> spreads = SpreadReport.spreads(
                loads,
                new java.util.TreeMap<>(java.util.Map.of(
                        0, List.of("auth.events.raw"), 3, List.of("analytics-active-users-repartition"))));
        assertThat(spreads).extracting(SpreadReport.Spread::total).containsExactly(600L, 60L);
        assertThat(spreads.get(0).busiestOverMean()).isEqualTo(1.1, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(spreads.get(1).busiestOverMean())
                .as("one task of six holds it all")
                .isEqualTo(6.0);
    }
}
