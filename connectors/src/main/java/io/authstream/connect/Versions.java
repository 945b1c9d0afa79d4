package io.authstream.connect;

/** The version every authstream connector reports (the Maven project version, from the jar manifest). */
public final class Versions {

    private Versions() {}

    public static String current() {
        String version = Versions.class.getPackage().getImplementationVersion();
        return version != null ? version : "0.1.0-SNAPSHOT";
    }
}
