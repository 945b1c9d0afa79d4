package io.authstream.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Runs last in the reactor (the root pom declares this module last and it depends on the leaves):
 * no line that any test JVM of this build wrote holds a secret any test configured.
 */
class SuiteSecretAuditIT {

    @Test
    void noOutputLineOfAnyTestJvmOfThisBuildHoldsASecretTheTestsConfigured() throws Exception {
        SecretAudit audit =
                SecretAudit.of(BuildRun.fromSystemProperties(), Path.of(BuildRun.required("authstream.audit.self")));
        System.out.println(audit.figures());
        assertThat(audit.problems())
                .withFailMessage("%s%n%s", audit.figures(), String.join(System.lineSeparator(), audit.problems()))
                .isEmpty();
    }
}
