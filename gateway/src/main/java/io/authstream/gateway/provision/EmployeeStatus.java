package io.authstream.gateway.provision;

import java.time.Instant;

/**
 * Where an employee's Auth0 account stands, as the gateway last saw it.
 *
 * @param auth0UserId null until a result names the user
 * @param error why the last request was refused, null when it was not
 */
public record EmployeeStatus(
        String employeeId,
        State state,
        String auth0UserId,
        String email,
        String lastRequestId,
        String error,
        Instant updatedAt) {

    /** pending → created → verified, or failed when the creation was refused. */
    public enum State {
        PENDING,
        CREATED,
        VERIFIED,
        FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
