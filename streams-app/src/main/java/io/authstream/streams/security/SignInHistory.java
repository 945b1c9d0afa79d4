package io.authstream.streams.security;

import io.authstream.streams.serde.BinaryStateSerde;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.serialization.Serde;

/**
 * What the location rules remember of one user: the countries signed in from (with how many
 * sign-ins carried a country) and the latest few located sign-ins, in event-time order.
 */
public final class SignInHistory {

    /** A successful sign-in with coordinates. */
    public record Located(long time, String eventId, String ip, String country, double latitude, double longitude) {}

    static final int KEPT = 8;

    private final Set<String> countries;
    private long signInsWithCountry;
    private final List<Located> recent;

    private SignInHistory(Set<String> countries, long signInsWithCountry, List<Located> recent) {
        this.countries = countries;
        this.signInsWithCountry = signInsWithCountry;
        this.recent = recent;
    }

    public static SignInHistory empty() {
        return new SignInHistory(new LinkedHashSet<>(), 0, new ArrayList<>());
    }

    public Set<String> countries() {
        return Set.copyOf(countries);
    }

    public long signInsWithCountry() {
        return signInsWithCountry;
    }

    /** Records a sign-in's country; true when the country was not known before. */
    boolean addCountry(String country) {
        signInsWithCountry++;
        return countries.add(country);
    }

    /** The located sign-ins just before and just after {@code time} (event time), when kept. */
    List<Located> neighbours(long time) {
        List<Located> result = new ArrayList<>();
        Optional<Located> before = recent.stream().filter(l -> l.time() <= time).reduce((a, b) -> b);
        Optional<Located> after = recent.stream().filter(l -> l.time() > time).findFirst();
        before.ifPresent(result::add);
        after.ifPresent(result::add);
        return result;
    }

    void addLocated(Located signIn) {
        recent.add(signIn);
        recent.sort(Comparator.comparingLong(Located::time).thenComparing(Located::eventId));
        while (recent.size() > KEPT) {
            recent.remove(0);
        }
    }

    /** Compact binary form for the state store (only this application reads it). */
    public static final Serde<SignInHistory> SERDE = BinaryStateSerde.of(
            (history, out) -> {
                out.writeLong(history.signInsWithCountry);
                out.writeInt(history.countries.size());
                for (String country : history.countries) {
                    out.writeUTF(country);
                }
                out.writeInt(history.recent.size());
                for (Located l : history.recent) {
                    out.writeLong(l.time());
                    out.writeUTF(l.eventId());
                    out.writeUTF(l.ip() == null ? "" : l.ip());
                    out.writeUTF(l.country() == null ? "" : l.country());
                    out.writeDouble(l.latitude());
                    out.writeDouble(l.longitude());
                }
            },
            in -> {
                long withCountry = in.readLong();
                Set<String> countries = new LinkedHashSet<>();
                for (int i = in.readInt(); i > 0; i--) {
                    countries.add(in.readUTF());
                }
                List<Located> recent = new ArrayList<>();
                for (int i = in.readInt(); i > 0; i--) {
                    long time = in.readLong();
                    String id = in.readUTF();
                    String ip = in.readUTF();
                    String country = in.readUTF();
                    recent.add(new Located(
                            time,
                            id,
                            ip.isEmpty() ? null : ip,
                            country.isEmpty() ? null : country,
                            in.readDouble(),
                            in.readDouble()));
                }
                return new SignInHistory(countries, withCountry, recent);
            });
}
