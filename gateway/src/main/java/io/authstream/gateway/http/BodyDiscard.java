package io.authstream.gateway.http;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a refused request's body and drops it, with no thread waiting for it (the servlet's
 * non-blocking reads) and nothing kept but one 8 KiB buffer. A client is answered only once it
 * has sent its body: a server that answers and closes while the client is still sending resets
 * the connection, and most clients then never read the answer. So the refusal costs an
 * attacker's connection its time, bounded by the body deadline and the idle timeout, and the
 * gateway neither a thread nor memory. At most {@code limit} bytes are read; past that the
 * connection is closed after the answer.
 */
final class BodyDiscard implements ReadListener {

    private final ServletInputStream in;
    private final long limit;
    private final CompletableFuture<Long> done = new CompletableFuture<>();
    private final byte[] buffer = new byte[8192];
    private long read;

    private BodyDiscard(ServletInputStream in, long limit) {
        this.in = in;
        this.limit = limit;
    }

    /**
     * Starts dropping the body of {@code request} (asynchronous mode must have started).
     *
     * @return completes with the bytes dropped when the body has ended, failed, timed out or passed {@code limit}
     */
    static CompletableFuture<Long> discard(HttpServletRequest request, long limit) {
        try {
            ServletInputStream in = request.getInputStream();
            BodyDiscard discard = new BodyDiscard(in, limit);
            in.setReadListener(discard);
            return discard.done;
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.completedFuture(0L);
        }
    }

    @Override
    public void onDataAvailable() throws IOException {
        while (!done.isDone() && in.isReady()) {
            int n = in.read(buffer);
            if (n < 0) {
                done.complete(read);
                return;
            }
            read += n;
            if (read > limit) {
                done.complete(read);
                return;
            }
        }
    }

    @Override
    public void onAllDataRead() {
        done.complete(read);
    }

    @Override
    public void onError(Throwable failure) {
        done.complete(read);
    }
}
