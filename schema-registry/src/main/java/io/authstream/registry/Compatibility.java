package io.authstream.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityResult;

/**
 * Confluent's compatibility levels, checked with Avro's own {@link SchemaCompatibility}.
 * BACKWARD means consumers using the new schema can read data written with the previous one;
 * the transitive levels check against every earlier version instead of the latest only.
 */
public enum Compatibility {
    NONE(false, false, false),
    BACKWARD(true, false, false),
    BACKWARD_TRANSITIVE(true, false, true),
    FORWARD(false, true, false),
    FORWARD_TRANSITIVE(false, true, true),
    FULL(true, true, false),
    FULL_TRANSITIVE(true, true, true);

    private final boolean newReadsOld;
    private final boolean oldReadsNew;
    private final boolean transitive;

    Compatibility(boolean newReadsOld, boolean oldReadsNew, boolean transitive) {
        this.newReadsOld = newReadsOld;
        this.oldReadsNew = oldReadsNew;
        this.transitive = transitive;
    }

    public static Compatibility parse(String value) {
        if (value == null) {
            throw RegistryException.invalidCompatibilityLevel("null");
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw RegistryException.invalidCompatibilityLevel(value);
        }
    }

    /**
     * Problems that stop {@code candidate} from following {@code earlier} (oldest first); empty
     * when it may be registered.
     */
    public List<String> check(Schema candidate, List<Schema> earlier) {
        List<String> problems = new ArrayList<>();
        if (this == NONE || earlier.isEmpty()) {
            return problems;
        }
        List<Schema> checked = transitive ? earlier : List.of(earlier.get(earlier.size() - 1));
        for (Schema previous : checked) {
            if (newReadsOld) {
                describe(
                        SchemaCompatibility.checkReaderWriterCompatibility(candidate, previous)
                                .getResult(),
                        "new schema cannot read data written with an earlier one",
                        problems);
            }
            if (oldReadsNew) {
                describe(
                        SchemaCompatibility.checkReaderWriterCompatibility(previous, candidate)
                                .getResult(),
                        "an earlier schema cannot read data written with the new one",
                        problems);
            }
        }
        return problems;
    }

    private static void describe(SchemaCompatibilityResult result, String direction, List<String> problems) {
        for (Incompatibility incompatibility : result.getIncompatibilities()) {
            problems.add("{direction: '" + direction + "', errorType: '" + incompatibility.getType()
                    + "', description: '" + incompatibility.getMessage()
                    + "', location: '" + incompatibility.getLocation() + "'}");
        }
    }
}
