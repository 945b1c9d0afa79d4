package io.authstream.config;

import java.util.Map;
import java.util.Optional;

/** An app's settings as {@link SettingsDef#read} found them: each declared setting's value, and the pass-throughs. */
public final class Settings {

    private final Map<Setting<?>, Object> values;
    private final Map<String, Map<String, String>> passThrough;

    Settings(Map<Setting<?>, Object> values, Map<String, Map<String, String>> passThrough) {
        this.values = Map.copyOf(values);
        this.passThrough = Map.copyOf(passThrough);
    }

    /** The value, or the default; null for an optional setting that is unset. */
    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values.get(setting);
    }

    public <T> Optional<T> optional(Setting<T> setting) {
        return Optional.ofNullable(get(setting));
    }

    /** The client settings given through {@code prefix} (as declared with {@link SettingsDef#passThrough}), keyed {@code name.like.this}. */
    public Map<String, String> passThrough(String prefix) {
        Map<String, String> client = passThrough.get(prefix);
        if (client == null) {
            throw new IllegalArgumentException("no pass-through " + prefix + " is declared");
        }
        return client;
    }
}
