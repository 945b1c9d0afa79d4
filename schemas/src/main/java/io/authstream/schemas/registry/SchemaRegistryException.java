package io.authstream.schemas.registry;

import org.apache.kafka.common.errors.SerializationException;

/**
 * A Schema Registry call failed. Carries Confluent's numeric error code (e.g. 40403 schema not
 * found, 409 incompatible) when the registry answered, or -1 when it could not be reached.
 *
 * <p>Extends {@link SerializationException} so that Kafka clients and Streams treat it like any
 * other serde failure (deserialization exception handlers, producer send errors).
 */
public class SchemaRegistryException extends SerializationException {

    public static final int UNREACHABLE = -1;

    private final int status;
    private final int errorCode;

    public SchemaRegistryException(String message, int status, int errorCode) {
        super(message);
        this.status = status;
        this.errorCode = errorCode;
    }

    public SchemaRegistryException(String message, Throwable cause) {
        super(message, cause);
        this.status = UNREACHABLE;
        this.errorCode = UNREACHABLE;
    }

    /** HTTP status of the registry's answer, or -1 when it could not be reached. */
    public int status() {
        return status;
    }

    /** Confluent error code from the answer body (40401, 40403, 409, 42201, ...), or -1. */
    public int errorCode() {
        return errorCode;
    }
}
