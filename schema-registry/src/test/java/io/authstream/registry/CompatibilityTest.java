package io.authstream.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CompatibilityTest {

    private static final Schema V1 = parse("[{\"name\":\"id\",\"type\":\"string\"}]");
    private static final Schema V2_DEFAULTED_NOTE = parse("[{\"name\":\"id\",\"type\":\"string\"},"
            + "{\"name\":\"note\",\"type\":[\"null\",\"string\"],\"default\":null}]");
    private static final Schema V2_REQUIRED_NOTE =
            parse("[{\"name\":\"id\",\"type\":\"string\"}," + "{\"name\":\"note\",\"type\":\"string\"}]");
    private static final Schema V3_NOTE_WITHOUT_DEFAULT =
            parse("[{\"name\":\"id\",\"type\":\"string\"}," + "{\"name\":\"note\",\"type\":[\"null\",\"string\"]}]");

    private static Schema parse(String fields) {
        return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"E\",\"fields\":" + fields + "}");
    }

    @Test
    void backwardAcceptsANewDefaultedFieldAndRefusesARequiredOne() {
        assertThat(Compatibility.BACKWARD.check(V2_DEFAULTED_NOTE, List.of(V1))).isEmpty();
        assertThat(Compatibility.BACKWARD.check(V2_REQUIRED_NOTE, List.of(V1)))
                .singleElement()
                .asString()
                .contains("READER_FIELD_MISSING_DEFAULT_VALUE", "note");
    }

    @Test
    void forwardChecksTheOtherDirection() {
        // Old readers ignore an added field, so adding a required field is forward compatible...
        assertThat(Compatibility.FORWARD.check(V2_REQUIRED_NOTE, List.of(V1))).isEmpty();
        // ...and FULL needs both directions.
        assertThat(Compatibility.FULL.check(V2_REQUIRED_NOTE, List.of(V1))).isNotEmpty();
        assertThat(Compatibility.NONE.check(V2_REQUIRED_NOTE, List.of(V1))).isEmpty();
    }

    @Test
    void transitiveLevelsCheckEveryEarlierVersion() {
        // v3 reads v2 data (note is there) but not v1 data (note is missing and has no default).
        List<Schema> earlier = List.of(V1, V2_DEFAULTED_NOTE);
        assertThat(Compatibility.BACKWARD.check(V3_NOTE_WITHOUT_DEFAULT, earlier))
                .isEmpty();
        assertThat(Compatibility.BACKWARD_TRANSITIVE.check(V3_NOTE_WITHOUT_DEFAULT, earlier))
                .singleElement()
                .asString()
                .contains("note");
        assertThat(Compatibility.FULL_TRANSITIVE.check(V3_NOTE_WITHOUT_DEFAULT, earlier))
                .isNotEmpty();
    }

    @Test
    void levelsParseCaseInsensitivelyAndRejectOthersWith42203() {
        assertThat(Compatibility.parse("backward_transitive")).isEqualTo(Compatibility.BACKWARD_TRANSITIVE);
        assertThatThrownBy(() -> Compatibility.parse("sideways"))
                .isInstanceOf(RegistryException.class)
                .satisfies(e -> assertThat(((RegistryException) e).errorCode()).isEqualTo(42203));
    }
}
