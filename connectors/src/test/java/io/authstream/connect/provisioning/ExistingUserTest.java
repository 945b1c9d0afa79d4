package io.authstream.connect.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Which user of a {@code GET /api/v2/users-by-email} answer (Auth0's documented shape) is the employee's. */
class ExistingUserTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DB = "Username-Password-Authentication";

    private static JsonNode users(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static String user(String userId, String connection, String appMetadata) {
        return """
                {"user_id":"%s","email":"jane@example.com","email_verified":true,
                 "identities":[{"connection":"%s","user_id":"%s","provider":"auth0","isSocial":false}]%s}""".formatted(
                        userId,
                        connection,
                        userId.substring(userId.indexOf('|') + 1),
                        appMetadata == null ? "" : ",\"app_metadata\":" + appMetadata);
    }

    @Test
    void theEmployeesOwnUserOnTheConnectionIsTakenWhereverItIsInTheList() throws Exception {
        ExistingUser found = ExistingUser.among(
                users("[" + user("auth0|other", "Contractors", "{\"employeeId\":\"E1\"}") + ","
                        + user("auth0|mine", DB, "{\"employeeId\":\"E1\",\"provisioningRequestId\":\"r1\"}") + "]"),
                DB,
                "E1");
        assertThat(found.userId()).contains("auth0|mine");
        assertThat(found.refusal()).isEmpty();
    }

    @Test
    void aUserSomebodyElseMadeIsNotTaken() throws Exception {
        assertThat(ExistingUser.among(users("[" + user("auth0|self", DB, null) + "]"), DB, "E1")
                        .refusal())
                .contains("Auth0 user auth0|self on connection " + DB
                        + " has that e-mail, but its app_metadata.employeeId is not set, not E1;"
                        + " not taken, no role assigned");
        assertThat(ExistingUser.among(users("[" + user("auth0|e2", DB, "{\"employeeId\":\"E2\"}") + "]"), DB, "E1")
                        .refusal())
                .hasValueSatisfying(r -> assertThat(r).contains("names another employee, not E1"));
        assertThat(ExistingUser.among(
                                users("[" + user("auth0|nested", DB, "{\"employeeId\":{\"id\":\"E1\"}}") + "]"),
                                DB,
                                "E1")
                        .userId())
                .isEmpty();
        assertThat(ExistingUser.among(
                                users("[" + user("auth0|elsewhere", "Contractors", "{\"employeeId\":\"E1\"}") + "]"),
                                DB,
                                "E1")
                        .refusal())
                .contains("Auth0 answered 409 but the user with that e-mail is not on connection " + DB
                        + " (it is on Contractors); not taken, no role assigned");
    }

    @Test
    void anAnswerWithoutUsersTakesNone() throws Exception {
        for (String answer : new String[] {"[]", "{}", "null", "[{\"email\":\"jane@example.com\"}]"}) {
            assertThat(ExistingUser.among(users(answer), DB, "E1").userId())
                    .as(answer)
                    .isEmpty();
        }
        assertThat(ExistingUser.among(null, DB, "E1").refusal())
                .contains("Auth0 answered 409 but no user with that e-mail was found");
    }
}
