package io.authstream.connect.provisioning;

import io.authstream.schemas.avro.ProvisioningAction;
import io.authstream.schemas.avro.ProvisioningRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks a request locally, so Auth0 never sees one it would refuse; every problem is named. */
final class RequestValidator {

    /** RFC 5321's limit on a forward path; also what keeps the pattern below from running for seconds. */
    static final int MAX_EMAIL_LENGTH = 254;

    /**
     * Deliberately simple: one @, a dot in the domain, no spaces (Auth0 validates the rest). It
     * backtracks quadratically over dots (40 000 characters took 9 s), so only bounded input reaches it.
     */
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private RequestValidator() {}

    /**
     * @param connections the connections a request may name
     * @return the problems, or empty when the request can be sent
     */
    static Optional<String> problems(
            ProvisioningRequest request, String key, Map<String, String> roles, Set<String> connections) {
        List<String> problems = new ArrayList<>();
        if (request.getEmployeeId().isBlank()) {
            problems.add("employeeId is empty");
        } else if (key != null && !key.equals(request.getEmployeeId())) {
            problems.add("record key " + key + " is not the employeeId " + request.getEmployeeId());
        }
        String email = request.getEmail();
        if (email.length() > MAX_EMAIL_LENGTH) {
            problems.add("email is " + email.length() + " characters long, at most " + MAX_EMAIL_LENGTH + " are taken");
        } else if (!EMAIL.matcher(email).matches()) {
            problems.add("email '" + email + "' is not an e-mail address");
        }
        // An e-mail change keeps the user's name: it carries none.
        if (request.getAction() == ProvisioningAction.CREATE
                && request.getFullName().isBlank()) {
            problems.add("fullName is empty");
        }
        if (request.getRoleCode() != null && !roles.containsKey(request.getRoleCode())) {
            problems.add("roleCode " + request.getRoleCode() + " has no Auth0 role in role.mapping (known: "
                    + String.join(", ", roles.keySet().stream().sorted().toList()) + ")");
        }
        if (request.getConnection() != null && !connections.contains(request.getConnection())) {
            problems.add("connection " + request.getConnection() + " is not in "
                    + Auth0ProvisioningSinkConfig.ALLOWED_CONNECTIONS + " (allowed: "
                    + String.join(", ", connections.stream().sorted().toList()) + ")");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }
}
