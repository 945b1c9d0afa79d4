package io.authstream.schemas;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Avro 1.12 refuses to load classes named by a schema unless their package is trusted (a guard
 * against schemas that name arbitrary classes). The classes generated from this module's schemas
 * are ours, so we trust exactly their package, in addition to whatever the JVM was told to trust
 * with {@code org.apache.avro.SERIALIZABLE_PACKAGES}.
 *
 * <p>Building a generated record needs it too (its builder resolves enum defaults by class), so
 * every entry point calls {@link #trust()}: the serde config, the topic catalogue, and each app's
 * {@code main}.
 */
public final class GeneratedClasses {

    static final String PACKAGE = "io.authstream.schemas.avro";

    static {
        ClassSecurityValidator.ClassSecurityPredicate configured = ClassSecurityValidator.getGlobal();
        ClassSecurityValidator.setGlobal(
                ClassSecurityValidator.composite(configured, clazz -> PACKAGE.equals(clazz.getPackageName())));
    }

    private GeneratedClasses() {}

    /** Idempotent; the work happens once, in the static initializer. */
    public static void trust() {}
}
