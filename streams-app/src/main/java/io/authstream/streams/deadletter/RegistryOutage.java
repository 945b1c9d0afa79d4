package io.authstream.streams.deadletter;

import io.authstream.schemas.registry.SchemaRegistryException;

/** Whether a failure was the schema registry being away (unreachable, or answering 5xx), not a bad record. */
public final class RegistryOutage {

    private RegistryOutage() {}

    public static boolean isOutage(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SchemaRegistryException registry
                    && (registry.status() == SchemaRegistryException.UNREACHABLE || registry.status() >= 500)) {
                return true;
            }
        }
        return false;
    }
}
