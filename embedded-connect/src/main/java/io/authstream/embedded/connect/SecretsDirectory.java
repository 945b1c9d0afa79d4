package io.authstream.embedded.connect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.provider.DirectoryConfigProvider;
import org.apache.kafka.connect.connector.Connector;

/**
 * Connector secrets kept out of Connect's config: each is a file of a directory only this user can
 * read, and the connector config holds {@code ${dir:<directory>:<file>}} instead, which the worker
 * resolves through Kafka's {@link DirectoryConfigProvider} when it starts the connector. So
 * {@code GET /connectors/{name}/config}, {@code GET /connectors/{name}/tasks} and the config topic
 * hold the reference, never the value.
 *
 * <p>The provider may read this directory only ({@code allowed.paths}): without that, anyone who
 * can reach the REST API could put any file the worker's user can read into a connector config
 * (a client secret pointed at their own server).
 */
public final class SecretsDirectory implements AutoCloseable {

    /** The provider's alias in the worker config and in every reference. */
    public static final String PROVIDER = "dir";

    private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private final Path directory;

    private SecretsDirectory(Path directory) {
        this.directory = directory;
    }

    /**
     * Creates {@code directory} (owner-only) or takes it over, removing the files an earlier run
     * left there (a run killed before {@link #close()}), so only the secrets of this run are in it.
     *
     * @throws IllegalArgumentException if the path cannot stand in a reference: Connect splits
     *     {@code ${provider:path:key}} at colons and ends it at a brace, and {@code allowed.paths}
     *     is a comma-separated list
     */
    public static SecretsDirectory create(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        if (absolute.toString().matches(".*[:,{}$].*")) {
            throw new IllegalArgumentException("the Connect secrets directory " + absolute
                    + " must not contain ':', ',', '{', '}' or '$' (Connect config references cannot hold them)");
        }
        try {
            Files.createDirectories(absolute);
            if (Files.isSymbolicLink(absolute) || !Files.isDirectory(absolute, LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException(
                        "the Connect secrets directory " + absolute + " must be a directory, not a link");
            }
            if (posix(absolute)) {
                Files.setPosixFilePermissions(absolute, OWNER_ONLY_DIRECTORY);
            }
            SecretsDirectory secrets = new SecretsDirectory(absolute);
            secrets.removeFiles();
            return secrets;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the Connect secrets directory " + absolute, e);
        }
    }

    /** What a worker needs to resolve this directory's references, and only them. */
    public Map<String, String> workerConfig() {
        return Map.of(
                "config.providers",
                PROVIDER,
                "config.providers." + PROVIDER + ".class",
                DirectoryConfigProvider.class.getName(),
                "config.providers." + PROVIDER + ".param." + DirectoryConfigProvider.ALLOWED_PATHS_CONFIG,
                directory.toString());
    }

    /**
     * Writes {@code value} to the file {@code name} (replacing it whole, never readable by others
     * in between) and returns the reference a connector config holds instead of the value.
     */
    private String put(String name, String value) {
        if (!FILE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a secret's name must be letters, digits, '.', '_' or '-', got " + name);
        }
        Path target = directory.resolve(name);
        try {
            Path written = posix(directory)
                    ? Files.createTempFile(
                            directory, ".", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
                    : Files.createTempFile(directory, ".", ".tmp");
            Files.writeString(written, value, StandardCharsets.UTF_8);
            Files.move(written, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the secret " + name + " to " + directory, e);
        }
        return reference(name);
    }

    /** {@code ${dir:<directory>:<name>}}. */
    private String reference(String name) {
        return "${" + PROVIDER + ":" + directory + ":" + name + "}";
    }

    /**
     * {@code config} with the value of every secret of its connector (the settings its
     * {@link ConfigDef} types {@code PASSWORD}) written here, as {@code <connector>.<setting>}, and
     * replaced by its reference.
     */
    public Map<String, String> referenceSecrets(String connectorName, Map<String, String> config) {
        Map<String, String> referenced = new HashMap<>(config);
        for (String key : secretKeys(config.get("connector.class"))) {
            String value = config.get(key);
            if (value != null) {
                referenced.put(key, put(connectorName + "." + key, value));
            }
        }
        return referenced;
    }

    /** The settings of {@code connectorClass} that its config definition types {@code PASSWORD}. */
    public static List<String> secretKeys(String connectorClass) {
        try {
            Connector connector = (Connector)
                    Class.forName(connectorClass).getDeclaredConstructor().newInstance();
            return connector.config().configKeys().values().stream()
                    .filter(key -> key.type == ConfigDef.Type.PASSWORD)
                    .map(key -> key.name)
                    .sorted()
                    .toList();
        } catch (ReflectiveOperationException | ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("cannot read the settings of connector class " + connectorClass, e);
        }
    }

    private void removeFiles() throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                if (!Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(file);
                }
            }
        }
    }

    /** Removes the secrets and the directory: they are on disk only while the worker runs. */
    @Override
    public void close() {
        try {
            removeFiles();
            Files.deleteIfExists(directory);
        } catch (DirectoryNotEmptyException e) {
            // something that is not a secret of ours is in there (a directory); the secrets are gone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the Connect secrets directory " + directory, e);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
