package io.authstream.gateway.http;

/**
 * A request refused before anything was published, answered with {@code status} and a JSON body
 * {@code {"error": code, "message": message}}. Messages never contain credentials.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String code;

    public ApiError(int status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message);
    }

    public static ApiError tooLarge(long limit) {
        return new ApiError(413, "body_too_large", "the request body exceeds the limit of " + limit + " bytes");
    }

    public static ApiError malformed(String message) {
        return new ApiError(400, "malformed_body", message);
    }
}
