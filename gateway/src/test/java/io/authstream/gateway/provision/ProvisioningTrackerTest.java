package io.authstream.gateway.provision;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.gateway.provision.EmployeeStatus.State;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.ProvisioningAction;
import io.authstream.schemas.avro.ProvisioningRequest;
import io.authstream.schemas.avro.ProvisioningResult;
import io.authstream.schemas.avro.ProvisioningStatus;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ProvisioningTrackerTest {

    static {
        GeneratedClasses.trust();
    }

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);

    private static ProvisioningRequest request(String requestId, String employee, ProvisioningAction action) {
        return ProvisioningRequest.newBuilder()
                .setRequestId(requestId)
                .setEmployeeId(employee)
                .setEmail(employee.toLowerCase() + "@example.com")
                .setFullName(action == ProvisioningAction.CREATE ? "Employee " + employee : "")
                .setRequestedAt(CLOCK.instant())
                .setAction(action)
                .build();
    }

    private static ProvisioningResult result(
            String requestId, String employee, ProvisioningStatus status, String user) {
        return ProvisioningResult.newBuilder()
                .setRequestId(requestId)
                .setEmployeeId(employee)
                .setEmail(employee.toLowerCase() + "@example.com")
                .setStatus(status)
                .setAuth0UserId(user)
                .setError(status == ProvisioningStatus.FAILED ? "Auth0 refused the user: HTTP 400" : null)
                .setDurationMs(5)
                .setCompletedAt(CLOCK.instant())
                .build();
    }

    @Test
    void anEmployeeMovesFromPendingToCreatedToVerified() {
        ProvisioningTracker tracker = new ProvisioningTracker(100, CLOCK);
        tracker.requested(request("r1", "E1", ProvisioningAction.CREATE));
        assertThat(tracker.employee("E1").orElseThrow().state()).isEqualTo(State.PENDING);
        assertThat(tracker.request("r1").orElseThrow().result()).isNull();

        tracker.verified("auth0|someone-else");
        tracker.resulted(result("r1", "E1", ProvisioningStatus.CREATED, "auth0|e1"));
        EmployeeStatus created = tracker.employee("E1").orElseThrow();
        assertThat(created.state()).isEqualTo(State.CREATED);
        assertThat(created.auth0UserId()).isEqualTo("auth0|e1");

        tracker.verified("auth0|e1");
        assertThat(tracker.employee("E1").orElseThrow().state()).isEqualTo(State.VERIFIED);

        // A later e-mail change and its result leave the employee verified, with the new address.
        tracker.requested(request("r2", "E1", ProvisioningAction.UPDATE_EMAIL));
        assertThat(tracker.employee("E1").orElseThrow().state()).isEqualTo(State.VERIFIED);
        tracker.resulted(ProvisioningResult.newBuilder(result("r2", "E1", ProvisioningStatus.EMAIL_UPDATED, "auth0|e1"))
                .setEmail("new@example.com")
                .build());
        assertThat(tracker.employee("E1").orElseThrow())
                .extracting(EmployeeStatus::state, EmployeeStatus::email, EmployeeStatus::lastRequestId)
                .containsExactly(State.VERIFIED, "new@example.com", "r2");
    }

    @Test
    void aVerificationReadBeforeTheResultStillVerifies() {
        ProvisioningTracker tracker = new ProvisioningTracker(100, CLOCK);
        tracker.requested(request("r1", "E1", ProvisioningAction.CREATE));
        tracker.verified("auth0|e1");
        assertThat(tracker.employee("E1").orElseThrow().state()).isEqualTo(State.PENDING);
        tracker.resulted(result("r1", "E1", ProvisioningStatus.ALREADY_EXISTS, "auth0|e1"));
        assertThat(tracker.employee("E1").orElseThrow().state()).isEqualTo(State.VERIFIED);
    }

    @Test
    void aRefusedCreationFailsAndARetryIsPendingAgainButARefusedEmailChangeKeepsTheAccount() {
        ProvisioningTracker tracker = new ProvisioningTracker(100, CLOCK);
        tracker.requested(request("r1", "E1", ProvisioningAction.CREATE));
        tracker.resulted(result("r1", "E1", ProvisioningStatus.FAILED, null));
        assertThat(tracker.employee("E1").orElseThrow())
                .extracting(EmployeeStatus::state, EmployeeStatus::error)
                .containsExactly(State.FAILED, "Auth0 refused the user: HTTP 400");
        tracker.requested(request("r2", "E1", ProvisioningAction.CREATE));
        assertThat(tracker.employee("E1").orElseThrow().state()).isEqualTo(State.PENDING);
        tracker.resulted(result("r2", "E1", ProvisioningStatus.CREATED, "auth0|e1"));
        tracker.resulted(result("r3", "E1", ProvisioningStatus.FAILED, "auth0|e1"));
        assertThat(tracker.employee("E1").orElseThrow())
                .extracting(EmployeeStatus::state, EmployeeStatus::error)
                .containsExactly(State.CREATED, "Auth0 refused the user: HTTP 400");
        // An e-mail change for an employee never seen created shows nothing.
        tracker.requested(request("r4", "E9", ProvisioningAction.UPDATE_EMAIL));
        assertThat(tracker.employee("E9")).isEmpty();
        assertThat(tracker.request("r4")).isPresent();
    }

    @Test
    void waitersGetTheResultOnceAndGoAwayWhenTheyGiveUp() {
        ProvisioningTracker tracker = new ProvisioningTracker(100, CLOCK);
        tracker.requested(request("r1", "E1", ProvisioningAction.CREATE));
        CompletableFuture<ProvisioningResult> first = tracker.result("r1");
        CompletableFuture<ProvisioningResult> gaveUp = tracker.result("r1");
        assertThat(tracker.waiting()).isEqualTo(2);
        gaveUp.complete(null);
        assertThat(tracker.waiting()).isEqualTo(1);
        tracker.resulted(result("r1", "E1", ProvisioningStatus.CREATED, "auth0|e1"));
        assertThat(first).isCompletedWithValueMatching(r -> r.getAuth0UserId().equals("auth0|e1"));
        assertThat(tracker.waiting()).isZero();
        assertThat(tracker.result("r1"))
                .isCompletedWithValueMatching(r -> r.getRequestId().equals("r1"));
        // A result read before the request (another instance's request, the topics read apart) is kept too.
        tracker.resulted(result("r9", "E9", ProvisioningStatus.CREATED, "auth0|e9"));
        tracker.requested(request("r9", "E9", ProvisioningAction.CREATE));
        assertThat(tracker.request("r9").orElseThrow().result()).isNotNull();
        assertThat(tracker.employee("E9").orElseThrow().state()).isEqualTo(State.CREATED);
    }

    @Test
    void onlyTheMostRecentAreKept() {
        ProvisioningTracker tracker = new ProvisioningTracker(100, CLOCK);
        for (int i = 0; i < 150; i++) {
            tracker.requested(request("r" + i, "E" + i, ProvisioningAction.CREATE));
        }
        assertThat(tracker.request("r49")).isEmpty();
        assertThat(tracker.employee("E49")).isEmpty();
        assertThat(tracker.request("r50")).isPresent();
        assertThat(tracker.employee("E149")).isPresent();
    }
}
