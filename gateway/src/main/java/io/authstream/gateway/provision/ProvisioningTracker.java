package io.authstream.gateway.provision;

import io.authstream.gateway.provision.EmployeeStatus.State;
import io.authstream.schemas.avro.ProvisioningAction;
import io.authstream.schemas.avro.ProvisioningRequest;
import io.authstream.schemas.avro.ProvisioningResult;
import io.authstream.schemas.avro.ProvisioningStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the gateway knows of provisioning: each request and its result, each employee's status,
 * fed from the requests, results and auth events topics ({@link TrackerFeed}) and from the requests
 * this gateway publishes. Bounded: the {@code kept} most recent requests, employees and verified
 * users are remembered, older ones are forgotten (and then unknown, 404).
 *
 * <p>An employee is verified when Auth0 logs the e-mail verification ({@code sv}) or a successful
 * sign-in ({@code s}) for its user; such an event may be read before the result that names the
 * user (the topics are read independently), so verified users are remembered on their own.
 */
public final class ProvisioningTracker {

    /** A request and its result, null while pending. */
    public record Tracked(ProvisioningRequest request, ProvisioningResult result) {}

    private final Clock clock;
    private final Map<String, Tracked> requests;
    private final Map<String, EmployeeStatus> employees;
    private final Map<String, String> employeeOfUser;
    private final Map<String, Boolean> verifiedUsers;
    private final Map<String, List<CompletableFuture<ProvisioningResult>>> waiters = new LinkedHashMap<>();

    public ProvisioningTracker(int kept, Clock clock) {
        this.clock = clock;
        this.requests = bounded(kept);
        this.employees = bounded(kept);
        this.employeeOfUser = bounded(kept);
        this.verifiedUsers = bounded(kept);
    }

    private static <K, V> Map<K, V> bounded(int kept) {
        return new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
                return size() > kept;
            }
        };
    }

    /** A request published (by this gateway or another): its employee is pending unless already created. */
    public synchronized void requested(ProvisioningRequest request) {
        Tracked known = requests.get(request.getRequestId());
        if (known != null && known.result() != null) {
            return;
        }
        requests.put(request.getRequestId(), new Tracked(request, null));
        EmployeeStatus current = employees.get(request.getEmployeeId());
        boolean creation = request.getAction() == ProvisioningAction.CREATE;
        State state = current == null
                ? (creation ? State.PENDING : null)
                : (creation && current.state() == State.FAILED ? State.PENDING : current.state());
        if (state == null) {
            // An e-mail change for an employee this gateway never saw created: nothing to show yet.
            return;
        }
        put(new EmployeeStatus(
                request.getEmployeeId(),
                state,
                current == null ? null : current.auth0UserId(),
                current == null || creation ? request.getEmail() : current.email(),
                request.getRequestId(),
                null,
                clock.instant()));
    }

    /** A result from the sink: the request is answered, and the employee moves on. */
    public void resulted(ProvisioningResult result) {
        List<CompletableFuture<ProvisioningResult>> waiting;
        synchronized (this) {
            Tracked known = requests.get(result.getRequestId());
            requests.put(result.getRequestId(), new Tracked(known == null ? null : known.request(), result));
            employees.compute(result.getEmployeeId(), (id, current) -> next(current, result));
            if (result.getAuth0UserId() != null) {
                employeeOfUser.put(result.getAuth0UserId(), result.getEmployeeId());
            }
            waiting = waiters.remove(result.getRequestId());
        }
        if (waiting != null) {
            waiting.forEach(w -> w.complete(result));
        }
    }

    private EmployeeStatus next(EmployeeStatus current, ProvisioningResult result) {
        State before = current == null ? State.PENDING : current.state();
        String userId = result.getAuth0UserId() != null
                ? result.getAuth0UserId()
                : current == null ? null : current.auth0UserId();
        State state = switch (result.getStatus()) {
            case CREATED, ALREADY_EXISTS ->
                before == State.VERIFIED || verifiedUsers.containsKey(userId) ? State.VERIFIED : State.CREATED;
            // An e-mail change or a refused request leaves an account that exists as it was.
            case EMAIL_UPDATED -> before == State.PENDING ? State.CREATED : before;
            case INVALID, FAILED -> before == State.PENDING || before == State.FAILED ? State.FAILED : before;
        };
        boolean ok =
                result.getStatus() != ProvisioningStatus.INVALID && result.getStatus() != ProvisioningStatus.FAILED;
        return new EmployeeStatus(
                result.getEmployeeId(),
                state,
                userId,
                ok && result.getEmail() != null ? result.getEmail() : current == null ? null : current.email(),
                result.getRequestId(),
                ok ? null : result.getError(),
                clock.instant());
    }

    /** Auth0 logged an e-mail verification or a successful sign-in of {@code auth0UserId}. */
    public synchronized void verified(String auth0UserId) {
        verifiedUsers.put(auth0UserId, Boolean.TRUE);
        String employee = employeeOfUser.get(auth0UserId);
        EmployeeStatus current = employee == null ? null : employees.get(employee);
        if (current != null && current.state() == State.CREATED) {
            put(new EmployeeStatus(
                    current.employeeId(),
                    State.VERIFIED,
                    current.auth0UserId(),
                    current.email(),
                    current.lastRequestId(),
                    current.error(),
                    clock.instant()));
        }
    }

    private void put(EmployeeStatus status) {
        employees.put(status.employeeId(), status);
    }

    /**
     * Completes with the request's result as soon as it is read (at once when it already was).
     * The caller bounds the wait; completing the future itself (with null, on timeout) unregisters it.
     */
    public CompletableFuture<ProvisioningResult> result(String requestId) {
        CompletableFuture<ProvisioningResult> future = new CompletableFuture<>();
        synchronized (this) {
            Tracked known = requests.get(requestId);
            if (known != null && known.result() != null) {
                future.complete(known.result());
                return future;
            }
            waiters.computeIfAbsent(requestId, id -> new ArrayList<>()).add(future);
        }
        future.whenComplete((result, failure) -> forget(requestId, future));
        return future;
    }

    private synchronized void forget(String requestId, CompletableFuture<ProvisioningResult> future) {
        List<CompletableFuture<ProvisioningResult>> waiting = waiters.get(requestId);
        if (waiting != null && waiting.remove(future) && waiting.isEmpty()) {
            waiters.remove(requestId);
        }
    }

    public synchronized Optional<Tracked> request(String requestId) {
        return Optional.ofNullable(requests.get(requestId));
    }

    public synchronized Optional<EmployeeStatus> employee(String employeeId) {
        return Optional.ofNullable(employees.get(employeeId));
    }

    /** Requests whose caller is still waiting: bounded by the callers' wait, for the tests and metrics. */
    synchronized int waiting() {
        return waiters.values().stream().mapToInt(List::size).sum();
    }
}
