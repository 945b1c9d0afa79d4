package io.authstream.streams.http.dashboard;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The latest security alerts, at most {@code kept}, newest first, and who wants to hear of the next
 * ones (the {@code /alerts/stream} clients).
 */
public final class RecentAlerts {

    private static final Logger LOG = LoggerFactory.getLogger(RecentAlerts.class);

    private final int kept;
    private final Deque<AlertView> alerts = new ArrayDeque<>();
    private final List<Consumer<AlertView>> listeners = new CopyOnWriteArrayList<>();

    public RecentAlerts(int kept) {
        if (kept < 1) {
            throw new IllegalArgumentException("kept must be at least 1, got " + kept);
        }
        this.kept = kept;
    }

    /**
     * Alerts read at start, from the end of each partition: they come partition by partition, so
     * they are put in order of detection before the newest {@code kept} are kept. Not announced.
     */
    public synchronized void preload(List<AlertView> backlog) {
        List<AlertView> all = new ArrayList<>(alerts);
        all.addAll(backlog);
        all.sort(Comparator.comparing(AlertView::detectedAt).reversed());
        alerts.clear();
        all.stream().limit(kept).forEach(alerts::addLast);
    }

    /** A new alert: kept, and announced to every listener. */
    public void add(AlertView alert) {
        synchronized (this) {
            alerts.addFirst(alert);
            while (alerts.size() > kept) {
                alerts.removeLast();
            }
        }
        for (Consumer<AlertView> listener : listeners) {
            try {
                listener.accept(alert);
            } catch (RuntimeException e) {
                // a listener that cannot take an alert (its browser gone mid-write) is dropped; the others still hear
                listeners.remove(listener);
                LOG.debug("dropped an alert listener that failed: {}", e.toString());
            }
        }
    }

    public synchronized List<AlertView> latest() {
        return List.copyOf(alerts);
    }

    /** {@code listener} hears of every alert added from now on, until {@link #unsubscribe}. */
    public void subscribe(Consumer<AlertView> listener) {
        listeners.add(listener);
    }

    public void unsubscribe(Consumer<AlertView> listener) {
        listeners.remove(listener);
    }

    int listeners() {
        return listeners.size();
    }
}
