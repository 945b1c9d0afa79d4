package io.authstream.connect.provisioning;

import io.authstream.schemas.EmailAddresses;
import io.authstream.schemas.avro.ProvisioningAction;
import io.authstream.schemas.avro.ProvisioningRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Checks a request locally, so Auth0 never sees one it would refuse; every problem is named. */
final class RequestValidator {

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
        EmailAddresses.problem(request.getEmail()).ifPresent(problems::add);
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
