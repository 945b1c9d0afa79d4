package io.authstream.testrecords;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes to the console stream it stands in for, then to a copy. Standard output and standard
 * error share one copy, so writes to it are serialised on it.
 */
final class TeeOutputStream extends OutputStream {

    private final OutputStream console;
    private final OutputStream copy;

    TeeOutputStream(OutputStream console, OutputStream copy) {
        this.console = console;
        this.copy = copy;
    }

    @Override
    public void write(int b) throws IOException {
        console.write(b);
        synchronized (copy) {
            copy.write(b);
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        console.write(bytes, offset, length);
        synchronized (copy) {
            copy.write(bytes, offset, length);
        }
    }

    @Override
    public void flush() throws IOException {
        console.flush();
        synchronized (copy) {
            copy.flush();
        }
    }
}
