package io.authstream.connect.provisioning;

import io.authstream.schemas.avro.ProvisioningRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks a request locally, so Auth0 never sees one it would refuse; every problem is named. */
final class RequestValidator {

    /** Deliberately simple: one @, a dot in the domain, no spaces (Auth0 validates the rest). */
    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    private RequestValidator() {}

    /** @return the problems, or empty when the request can be sent */
    static Optional<String> problems(ProvisioningRequest request, String key, Map<String, String> roles) {
        List<String> problems = new ArrayList<>();
        if (request.getEmployeeId().isBlank()) {
            problems.add("employeeId is empty");
        } else if (key != null && !key.equals(request.getEmployeeId())) {
            problems.add("record key " + key + " is not the employeeId " + request.getEmployeeId());
        }
        if (!EMAIL.matcher(request.getEmail()).matches()) {
            problems.add("email '" + request.getEmail() + "' is not an e-mail address");
        }
        if (request.getFullName().isBlank()) {
            problems.add("fullName is empty");
        }
        if (request.getRoleCode() != null && !roles.containsKey(request.getRoleCode())) {
            problems.add("roleCode " + request.getRoleCode() + " has no Auth0 role in role.mapping (known: "
                    + String.join(", ", roles.keySet().stream().sorted().toList()) + ")");
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }
}
