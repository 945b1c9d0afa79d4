package io.authstream.connect.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Whether the Auth0 user that already holds a request's e-mail address (its {@code POST
 * /api/v2/users} answered 409) is the employee's. Anyone who can sign up, or who owns a social
 * account with that address, could have made that user: taking it and assigning the employee's
 * role would hand them the employee's access. So it is taken only when it is on the request's
 * connection and its {@code app_metadata.employeeId} (set by this connector when it created the
 * user) names the same employee, as after a redelivered request.
 *
 * @param userId the user to take, when {@code refusal} is empty
 * @param refusal why no user is taken
 */
record ExistingUser(Optional<String> userId, Optional<String> refusal) {

    /**
     * @param users the answer of {@code GET /api/v2/users-by-email}: an array of users, each with
     *     {@code user_id}, {@code identities[].connection} and {@code app_metadata}
     */
    static ExistingUser among(JsonNode users, String connection, String employeeId) {
        if (users == null || !users.isArray() || users.isEmpty()) {
            return refused("Auth0 answered 409 but no user with that e-mail was found");
        }
        List<String> elsewhere = new ArrayList<>();
        JsonNode onConnection = null;
        for (JsonNode user : users) {
            if (isOn(user, connection)) {
                onConnection = user;
                break;
            }
            user.path("identities")
                    .forEach(identity ->
                            elsewhere.add(identity.path("connection").asText("?")));
        }
        if (onConnection == null || !onConnection.hasNonNull("user_id")) {
            return refused("Auth0 answered 409 but the user with that e-mail is not on connection " + connection
                    + (elsewhere.isEmpty() ? "" : " (it is on " + String.join(", ", elsewhere) + ")")
                    + "; not taken, no role assigned");
        }
        String userId = onConnection.get("user_id").asText();
        JsonNode owner = onConnection.path("app_metadata").path("employeeId");
        if (!owner.isValueNode() || !owner.asText().equals(employeeId)) {
            return refused("Auth0 user " + userId + " on connection " + connection + " has that e-mail, but its"
                    + " app_metadata.employeeId " + (owner.isValueNode() ? "names another employee" : "is not set")
                    + ", not " + employeeId + "; not taken, no role assigned");
        }
        return new ExistingUser(Optional.of(userId), Optional.empty());
    }

    /**
     * The user among {@code users} on {@code connection} whose {@code app_metadata.employeeId} is
     * {@code employeeId}: the employee's own, as this connector created it.
     */
    static Optional<String> employeesOwn(JsonNode users, String connection, String employeeId) {
        if (users == null || !users.isArray()) {
            return Optional.empty();
        }
        for (JsonNode user : users) {
            JsonNode owner = user.path("app_metadata").path("employeeId");
            if (isOn(user, connection)
                    && user.hasNonNull("user_id")
                    && owner.isValueNode()
                    && owner.asText().equals(employeeId)) {
                return Optional.of(user.get("user_id").asText());
            }
        }
        return Optional.empty();
    }

    private static boolean isOn(JsonNode user, String connection) {
        for (JsonNode identity : user.path("identities")) {
            if (connection.equals(identity.path("connection").asText(null))) {
                return true;
            }
        }
        return false;
    }

    private static ExistingUser refused(String why) {
        return new ExistingUser(Optional.empty(), Optional.of(why));
    }
}
