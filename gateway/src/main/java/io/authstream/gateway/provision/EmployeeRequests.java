package io.authstream.gateway.provision;

import com.fasterxml.jackson.databind.JsonNode;
import io.authstream.schemas.EmailAddresses;
import io.authstream.schemas.avro.ProvisioningAction;
import io.authstream.schemas.avro.ProvisioningRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Provisioning requests from the HR system's JSON, checked before anything is published: every
 * problem of a body is named at once. The sink checks again (roles and connections are its
 * settings), so what passes here can still come back INVALID.
 */
public final class EmployeeRequests {

    /** HR ids as they appear in URLs and Auth0 search queries: nothing that needs escaping. */
    private static final Pattern EMPLOYEE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

    private static final int MAX_TEXT = 256;
    private static final Set<String> CREATE_FIELDS =
            Set.of("employeeId", "email", "fullName", "department", "roleCode", "connection");
    private static final Set<String> EMAIL_FIELDS = Set.of("employeeId", "email", "connection");

    /** Why a request was not taken; the message names every problem. */
    public static final class Invalid extends RuntimeException {
        Invalid(List<String> problems) {
            super(String.join("; ", problems));
        }
    }

    private EmployeeRequests() {}

    /** Why {@code employeeId} cannot be an employee id, empty when it can. */
    public static List<String> idProblems(String employeeId) {
        return employeeId != null && EMPLOYEE_ID.matcher(employeeId).matches()
                ? List.of()
                : List.of("employeeId must be 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter"
                        + " or digit");
    }

    /**
     * A creation from {@code {email, fullName, department?, roleCode?, connection?, employeeId?}}.
     *
     * @param employeeId the id in the URL, or null when the body must name it (bulk)
     */
    public static ProvisioningRequest creation(String employeeId, JsonNode body, Instant now) {
        List<String> problems = new ArrayList<>();
        String id = employee(employeeId, body, CREATE_FIELDS, problems);
        String email = email(body, problems);
        String fullName = required(body, "fullName", problems);
        String department = optional(body, "department", problems);
        String roleCode = optional(body, "roleCode", problems);
        String connection = optional(body, "connection", problems);
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        return ProvisioningRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setEmployeeId(id)
                .setEmail(email)
                .setFullName(fullName)
                .setDepartment(department)
                .setRoleCode(roleCode)
                .setConnection(connection)
                .setRequestedAt(now)
                .setAction(ProvisioningAction.CREATE)
                .build();
    }

    /** The required {@code email}, checked as the sink checks it; null (and a problem noted) when absent. */
    private static String email(JsonNode body, List<String> problems) {
        String email = required(body, "email", problems);
        if (email != null) {
            EmailAddresses.problem(email).ifPresent(problems::add);
        }
        return email;
    }

    /** An e-mail change from {@code {email, connection?}}. */
    public static ProvisioningRequest emailChange(String employeeId, JsonNode body, Instant now) {
        List<String> problems = new ArrayList<>();
        String id = employee(employeeId, body, EMAIL_FIELDS, problems);
        String email = email(body, problems);
        String connection = optional(body, "connection", problems);
        if (!problems.isEmpty()) {
            throw new Invalid(problems);
        }
        return ProvisioningRequest.newBuilder()
                .setRequestId(UUID.randomUUID().toString())
                .setEmployeeId(id)
                .setEmail(email)
                // The user keeps its name: the schema requires a value, the sink ignores it.
                .setFullName("")
                .setConnection(connection)
                .setRequestedAt(now)
                .setAction(ProvisioningAction.UPDATE_EMAIL)
                .build();
    }

    private static String employee(String fromUrl, JsonNode body, Set<String> fields, List<String> problems) {
        if (body == null || !body.isObject()) {
            throw new Invalid(List.of("expected a JSON object with " + String.join(", ", sorted(fields))));
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!fields.contains(name)) {
                problems.add("unknown field " + name + " (known: " + String.join(", ", sorted(fields)) + ")");
            }
        }
        String inBody =
                fromUrl == null ? required(body, "employeeId", problems) : optional(body, "employeeId", problems);
        if (fromUrl != null && inBody != null && !inBody.equals(fromUrl)) {
            problems.add("employeeId " + inBody + " in the body is not the " + fromUrl + " of the URL");
        }
        String id = fromUrl != null ? fromUrl : inBody;
        if (id != null) {
            problems.addAll(idProblems(id));
        }
        return id;
    }

    private static List<String> sorted(Set<String> fields) {
        return fields.stream().sorted().toList();
    }

    private static String required(JsonNode body, String field, List<String> problems) {
        if (body.get(field) == null || body.get(field).isNull()) {
            problems.add(field + " is required");
            return null;
        }
        return optional(body, field, problems);
    }

    private static String optional(JsonNode body, String field, List<String> problems) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            problems.add(field + " must be a string");
            return null;
        }
        String text = value.asText().strip();
        if (text.isEmpty()) {
            problems.add(field + " is empty");
            return null;
        }
        if (text.length() > MAX_TEXT && !field.equals("email")) {
            problems.add(field + " is " + text.length() + " characters long, at most " + MAX_TEXT + " are taken");
            return null;
        }
        if (text.chars().anyMatch(Character::isISOControl)) {
            problems.add(field + " holds control characters");
            return null;
        }
        return text;
    }
}
