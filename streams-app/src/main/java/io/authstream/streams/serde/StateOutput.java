package io.authstream.streams.serde;

import java.io.UTFDataFormatException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Where a {@link BinaryStateSerde} writes a value: a growing byte array, numbers big-endian and
 * {@link #writeUTF} in modified UTF-8, byte for byte as {@link java.io.DataOutputStream} writes
 * them (so stores written before read the same), without its stream layers: the rule windows'
 * serde runs twice per event and rule, and those layers were a tenth of the Streams thread.
 */
public final class StateOutput {

    private byte[] bytes = new byte[256];
    private int size;

    StateOutput() {}

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    public void writeByte(int value) {
        ensure(1);
        bytes[size++] = (byte) value;
    }

    public void writeBoolean(boolean value) {
        writeByte(value ? 1 : 0);
    }

    public void writeInt(int value) {
        ensure(4);
        bytes[size++] = (byte) (value >>> 24);
        bytes[size++] = (byte) (value >>> 16);
        bytes[size++] = (byte) (value >>> 8);
        bytes[size++] = (byte) value;
    }

    public void writeLong(long value) {
        writeInt((int) (value >>> 32));
        writeInt((int) value);
    }

    public void writeDouble(double value) {
        writeLong(Double.doubleToLongBits(value));
    }

    /** Length (int) and UTF-8 bytes. */
    public void writeText(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        writeInt(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, bytes, size, utf8.length);
        size += utf8.length;
    }

    /** Length (unsigned short) and modified UTF-8, as {@link java.io.DataOutputStream#writeUTF}. */
    public void writeUTF(String text) throws UTFDataFormatException {
        int length = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            length += c >= 0x0001 && c <= 0x007F ? 1 : c <= 0x07FF ? 2 : 3;
        }
        if (length > 0xFFFF) {
            throw new UTFDataFormatException("text too long for writeUTF: " + length + " bytes");
        }
        ensure(2 + length);
        bytes[size++] = (byte) (length >>> 8);
        bytes[size++] = (byte) length;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x0001 && c <= 0x007F) {
                bytes[size++] = (byte) c;
            } else if (c <= 0x07FF) {
                bytes[size++] = (byte) (0xC0 | (c >> 6) & 0x1F);
                bytes[size++] = (byte) (0x80 | c & 0x3F);
            } else {
                bytes[size++] = (byte) (0xE0 | (c >> 12) & 0x0F);
                bytes[size++] = (byte) (0x80 | (c >> 6) & 0x3F);
                bytes[size++] = (byte) (0x80 | c & 0x3F);
            }
        }
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }
}
