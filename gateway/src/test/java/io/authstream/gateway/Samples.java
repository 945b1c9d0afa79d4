package io.authstream.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The sample payloads under src/test/resources/samples (a copy of ../shared/samples). */
public final class Samples {

    private Samples() {}

    public static byte[] bytes(String path) {
        try (InputStream in = Samples.class.getResourceAsStream("/samples/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no sample " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** File names in one sample folder, sorted. */
    public static List<String> list(String folder) {
        URL url = Samples.class.getResource("/samples/" + folder);
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.map(p -> folder + "/" + p.getFileName()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
