package io.authstream.localstack;

/** Which size of the reliability runs: the quick one in every build, or -Preliability's larger one. */
final class ReliabilityFigures {

    private ReliabilityFigures() {}

    /** {@code -Dreliability.<name>=...} (set by the reliability profile), else the quick default. */
    static int get(String name, int quick) {
        return Integer.getInteger("reliability." + name, quick);
    }
}
