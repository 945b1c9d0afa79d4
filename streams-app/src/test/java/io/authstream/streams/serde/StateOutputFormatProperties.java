package io.authstream.streams.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link StateOutput} writes what {@link DataOutputStream} wrote for the same calls, and
 * {@link StateInput} reads it back, so the rule windows, hits and sign-in histories stored
 * before it came read the same after.
 */
class StateOutputFormatProperties {

    @Provide
    Arbitrary<String> texts() {
        // ASCII, Latin-1, the NUL modified UTF-8 writes in two bytes, other BMP characters, surrogate pairs
        return Arbitraries.strings()
                .withChars('a', 'Z', '|', '\u0000', 'é', '\u07ff', '\u0800', '漢', '\uffff')
                .withCharRange('\ud83d', '\ud83d')
                .withCharRange('\ude00', '\ude4f')
                .ofMaxLength(40);
    }

    @Property(tries = 500)
    void writesAsDataOutputStreamAndReadsBack(
            @ForAll("texts") String text,
            @ForAll long number,
            @ForAll int count,
            @ForAll double real,
            @ForAll boolean flag)
            throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(expected)) {
            out.writeByte(count);
            out.writeInt(count);
            out.writeLong(number);
            out.writeDouble(real);
            out.writeBoolean(flag);
            out.writeUTF(text);
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            out.writeInt(utf8.length);
            out.write(utf8);
        }
        StateOutput state = new StateOutput();
        state.writeByte(count);
        state.writeInt(count);
        state.writeLong(number);
        state.writeDouble(real);
        state.writeBoolean(flag);
        state.writeUTF(text);
        state.writeText(text);
        byte[] written = state.toByteArray();
        assertThat(written).isEqualTo(expected.toByteArray());

        StateInput in = new StateInput(written);
        assertThat(in.readUnsignedByte()).isEqualTo(count & 0xFF);
        assertThat(in.readInt()).isEqualTo(count);
        assertThat(in.readLong()).isEqualTo(number);
        assertThat(in.readDouble()).isEqualTo(real);
        assertThat(in.readBoolean()).isEqualTo(flag);
        assertThat(in.readUTF())
                .isEqualTo(new DataInputStream(new ByteArrayInputStream(written, 22, written.length - 22)).readUTF());
        // a text that is not valid UTF-16 (a lone surrogate) comes back as UTF-8 decoding makes it, like before
        assertThat(in.readText()).isEqualTo(new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
    }

    @Property(tries = 50)
    void aValueCutShortIsAnErrorNotAWrongValue(@ForAll("texts") String text) {
        StateOutput state = new StateOutput();
        state.writeText(text);
        byte[] whole = state.toByteArray();
        for (int cut : List.of(0, 3, whole.length - 1)) {
            if (cut < 0 || cut >= whole.length) {
                continue;
            }
            byte[] part = java.util.Arrays.copyOf(whole, cut);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new StateInput(part).readText())
                    .isInstanceOf(IOException.class);
        }
    }
}
