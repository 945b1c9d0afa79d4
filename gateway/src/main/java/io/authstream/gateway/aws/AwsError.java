package io.authstream.gateway.aws;

/**
 * An error answered the AWS JSON way: the status, {@code {"__type": code, "message": ...}} and
 * the {@code x-amzn-ErrorType} header, which the AWS SDKs and CLI turn into typed exceptions.
 */
public final class AwsError extends RuntimeException {

    private final int status;
    private final String type;

    public AwsError(int status, String type, String message) {
        super(message);
        this.status = status;
        this.type = type;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }
}
