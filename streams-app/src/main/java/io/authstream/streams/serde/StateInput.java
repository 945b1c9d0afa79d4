package io.authstream.streams.serde;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** What a {@link BinaryStateSerde} reads a value from: the bytes {@link StateOutput} (or {@link java.io.DataOutputStream}) wrote. */
public final class StateInput {

    private final byte[] bytes;
    private int position;

    StateInput(byte[] bytes) {
        this.bytes = bytes;
    }

    private int need(int count) throws EOFException {
        if (count > bytes.length - position) { // not position + count: a hostile length would overflow it
            throw new EOFException("state value ends after " + bytes.length + " bytes, " + count + " more wanted");
        }
        int at = position;
        position += count;
        return at;
    }

    public int readUnsignedByte() throws EOFException {
        return bytes[need(1)] & 0xFF;
    }

    public boolean readBoolean() throws EOFException {
        return readUnsignedByte() != 0;
    }

    public int readUnsignedShort() throws EOFException {
        int at = need(2);
        return (bytes[at] & 0xFF) << 8 | bytes[at + 1] & 0xFF;
    }

    public int readInt() throws EOFException {
        int at = need(4);
        return (bytes[at] & 0xFF) << 24
                | (bytes[at + 1] & 0xFF) << 16
                | (bytes[at + 2] & 0xFF) << 8
                | bytes[at + 3] & 0xFF;
    }

    public long readLong() throws EOFException {
        return (long) readInt() << 32 | readInt() & 0xFFFFFFFFL;
    }

    public double readDouble() throws EOFException {
        return Double.longBitsToDouble(readLong());
    }

    /** See {@link StateOutput#writeText}. */
    public String readText() throws IOException {
        int length = readInt();
        if (length < 0) {
            throw new IOException("negative text length " + length);
        }
        return new String(bytes, need(length), length, StandardCharsets.UTF_8);
    }

    /** See {@link StateOutput#writeUTF}. */
    public String readUTF() throws IOException {
        int start = position;
        int length = readUnsignedShort();
        int at = need(length);
        for (int i = at; i < at + length; i++) {
            if (bytes[i] <= 0) { // beyond ASCII (or an encoded NUL): DataInputStream decodes it
                return new DataInputStream(new ByteArrayInputStream(bytes, start, 2 + length)).readUTF();
            }
        }
        return new String(bytes, at, length, StandardCharsets.ISO_8859_1);
    }
}
