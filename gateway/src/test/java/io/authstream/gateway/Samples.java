package io.authstream.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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

    /** File names in one sample folder, sorted; works from a directory and from the test jar. */
    public static List<String> list(String folder) {
        URL url = Samples.class.getResource("/samples/" + folder);
        if (url == null) {
            throw new IllegalArgumentException("no sample folder " + folder);
        }
        try {
            URI uri = url.toURI();
            if (!"jar".equals(uri.getScheme())) {
                return names(Path.of(uri), folder);
            }
            try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                return names(jar.provider().getPath(uri), folder);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> names(Path directory, String folder) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> folder + "/" + p.getFileName().toString().replace("/", "")).sorted().toList();
        }
    }
}
