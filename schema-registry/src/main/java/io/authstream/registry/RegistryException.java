package io.authstream.registry;

/**
 * A request the registry refuses, with the HTTP status and Confluent error code its clients
 * expect (they branch on {@code error_code}, not on the message).
 */
public final class RegistryException extends RuntimeException {

    private final int status;
    private final int errorCode;

    private RegistryException(int status, int errorCode, String message) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public int status() {
        return status;
    }

    public int errorCode() {
        return errorCode;
    }

    static RegistryException subjectNotFound(String subject) {
        return new RegistryException(404, 40401, "Subject '" + subject + "' not found.");
    }

    static RegistryException versionNotFound(String subject, String version) {
        return new RegistryException(404, 40402, "Version " + version + " not found for subject '" + subject + "'.");
    }

    static RegistryException schemaNotFound(String what) {
        return new RegistryException(404, 40403, "Schema " + what + " not found");
    }

    static RegistryException subjectConfigNotFound(String subject) {
        return new RegistryException(
                404, 40408, "Subject '" + subject + "' does not have subject-level compatibility configured");
    }

    static RegistryException incompatible(String subject, String details) {
        return new RegistryException(
                409,
                409,
                "Schema being registered is incompatible with an earlier schema for subject \"" + subject
                        + "\", details: " + details);
    }

    static RegistryException invalidSchema(String details) {
        return new RegistryException(422, 42201, "Invalid schema: " + details);
    }

    static RegistryException invalidVersion(String version) {
        return new RegistryException(
                422,
                42202,
                "The specified version '" + version
                        + "' is not a valid version id. Allowed values are between [1, 2^31-1] and the string \"latest\"");
    }

    static RegistryException invalidCompatibilityLevel(String level) {
        return new RegistryException(
                422,
                42203,
                "Invalid compatibility level. Valid values are none, backward, "
                        + "forward, full, backward_transitive, forward_transitive, and full_transitive; got: " + level);
    }

    static RegistryException badRequest(String message) {
        return new RegistryException(400, 400, message);
    }

    static RegistryException unauthorized() {
        return new RegistryException(401, 401, "Unauthorized: valid basic authentication credentials are required");
    }

    static RegistryException storeUnavailable(String message) {
        return new RegistryException(500, 50001, "Error in the backend data store: " + message);
    }
}
