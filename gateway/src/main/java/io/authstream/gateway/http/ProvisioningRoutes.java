package io.authstream.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.gateway.GatewayConfig;
import io.authstream.gateway.ingest.BodyItem;
import io.authstream.gateway.ingest.JsonBatchParser;
import io.authstream.gateway.provision.EmployeeRequests;
import io.authstream.gateway.provision.EmployeeStatus;
import io.authstream.gateway.provision.ProvisioningTracker;
import io.authstream.gateway.publish.EventPublisher;
import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.ProvisioningRequest;
import io.authstream.schemas.avro.ProvisioningResult;
import io.authstream.schemas.serde.AvroSerializer;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HR system's admin routes: create an employee's Auth0 user (one, or many for an import),
 * change its e-mail, read a request's result and an employee's status. A request is published to
 * {@code employee.provisioning.requests} for the provisioning sink; its result comes back on
 * {@code employee.provisioning.results}, read by the {@link ProvisioningTracker}. Like every route,
 * each authenticates on its headers before any body is read.
 */
final class ProvisioningRoutes {

    static final String ADMIN = "/api/admin";
    static final String EMPLOYEES = ADMIN + "/employees";
    static final String RESULTS = ADMIN + "/provisioning/results/";
    private static final String ROUTE_NAME = "provisioning admin";

    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningRoutes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final GatewayServer server;
    private final GatewayConfig config;
    private final EventPublisher publisher;
    private final ProvisioningTracker tracker;
    private final AvroSerializer<ProvisioningRequest> serializer;
    private final Clock clock;

    ProvisioningRoutes(
            GatewayServer server,
            GatewayConfig config,
            EventPublisher publisher,
            ProvisioningTracker tracker,
            Clock clock) {
        this.server = server;
        this.config = config;
        this.publisher = publisher;
        this.tracker = tracker;
        this.clock = clock;
        this.serializer = new AvroSerializer<>(config.serdeConfig(), false);
    }

    /** POST /api/admin/employees/{id}/create-auth0 */
    void createOne(Context ctx) {
        single(ctx, EmployeeRequests::creation);
    }

    /** PATCH /api/admin/employees/{id}/email */
    void changeEmail(Context ctx) {
        single(ctx, EmployeeRequests::emailChange);
    }

    /** POST /api/admin/employees: a JSON array or JSON lines of employees, each answered on its own. */
    void createMany(Context ctx) {
        if (refused(ctx)) {
            return;
        }
        List<BodyItem> items = JsonBatchParser.parse(server.body(ctx));
        ArrayNode answers = JSON.createArrayNode();
        List<ProvisioningRequest> taken = new ArrayList<>();
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        int rejected = 0;
        for (BodyItem item : items) {
            ObjectNode answer = answers.addObject().put("position", item.position());
            if (!item.isParsed()) {
                answer.put("error", "malformed_json").put("message", item.error());
                rejected++;
                continue;
            }
            if (item.json().path("employeeId").isTextual()) {
                answer.put("employeeId", item.json().get("employeeId").asText());
            }
            try {
                ProvisioningRequest request = EmployeeRequests.creation(null, item.json(), clock.instant());
                acks.add(publish(request));
                taken.add(request);
                answer.put("status", "accepted")
                        .put("requestId", request.getRequestId())
                        .put("resultUrl", RESULTS + request.getRequestId());
            } catch (EmployeeRequests.Invalid e) {
                answer.put("error", "invalid_employee").put("message", e.getMessage());
                rejected++;
            }
        }
        int accepted = taken.size();
        int refusedCount = rejected;
        ctx.future(() -> CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new))
                .orTimeout(config.ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, failure) -> {
                    if (failure != null) {
                        unavailable(ctx, failure);
                        return null;
                    }
                    ObjectNode body =
                            JSON.createObjectNode().put("accepted", accepted).put("rejected", refusedCount);
                    body.set("items", answers);
                    server.answer(ctx, 200, body);
                    return null;
                }));
    }

    /** GET /api/admin/provisioning/results/{requestId}: 200 with the result, 202 while pending, 404 unknown. */
    void result(Context ctx) {
        GatewayServer.authenticate(ctx, config.provisioning().auth(), ROUTE_NAME);
        String requestId = ctx.pathParam("requestId");
        Optional<ProvisioningTracker.Tracked> tracked = tracker.request(requestId);
        if (tracked.isEmpty()) {
            throw new ApiError(
                    404,
                    "unknown_request",
                    "no provisioning request " + requestId + " is known here (not made, or older than the "
                            + config.provisioning().kept() + " kept)");
        }
        if (tracked.get().result() == null) {
            server.answer(ctx, 202, pending(tracked.get().request()));
        } else {
            server.answer(ctx, 200, resultJson(tracked.get().result()));
        }
    }

    /** GET /api/admin/employees/{id}: pending, created, verified or failed. */
    void status(Context ctx) {
        GatewayServer.authenticate(ctx, config.provisioning().auth(), ROUTE_NAME);
        String employeeId = ctx.pathParam("id");
        List<String> problems = EmployeeRequests.idProblems(employeeId);
        if (!problems.isEmpty()) {
            throw new ApiError(400, "invalid_employee", String.join("; ", problems));
        }
        EmployeeStatus status = tracker.employee(employeeId)
                .orElseThrow(() -> new ApiError(
                        404,
                        "unknown_employee",
                        "no provisioning request for employee " + employeeId + " is known here"));
        ObjectNode body = JSON.createObjectNode()
                .put("employeeId", status.employeeId())
                .put("status", status.state().label())
                .put("auth0UserId", status.auth0UserId())
                .put("email", status.email())
                .put("lastRequestId", status.lastRequestId())
                .put("updatedAt", status.updatedAt().toString());
        if (status.error() != null) {
            body.put("error", status.error());
        }
        server.answer(ctx, 200, body);
    }

    /**
     * One request from the body and the URL's employee id: published, then answered with its
     * result when the sink's arrives within the wait, else 202 with where to read it.
     */
    private void single(Context ctx, TriFunction<String, JsonNode, java.time.Instant, ProvisioningRequest> toRequest) {
        if (refused(ctx)) {
            return;
        }
        String employeeId = ctx.pathParam("id");
        byte[] bytes = server.body(ctx);
        JsonNode json;
        try {
            json = JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw ApiError.malformed("the body is not JSON: " + summary(e));
        }
        ProvisioningRequest request;
        try {
            request = toRequest.apply(employeeId, json, clock.instant());
        } catch (EmployeeRequests.Invalid e) {
            throw new ApiError(400, "invalid_employee", e.getMessage());
        }
        CompletableFuture<ProvisioningResult> result = tracker.result(request.getRequestId());
        long waitMs = config.provisioning().resultWait().toMillis();
        ctx.future(() -> publish(request)
                .orTimeout(config.ackTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .handle((ok, failure) -> failure)
                .thenCompose(failure -> {
                    if (failure != null) {
                        result.complete(null);
                        unavailable(ctx, failure);
                        return CompletableFuture.completedFuture(null);
                    }
                    return result.completeOnTimeout(null, waitMs, TimeUnit.MILLISECONDS)
                            .thenAccept(arrived -> {
                                if (arrived == null) {
                                    ctx.header("Location", RESULTS + request.getRequestId());
                                    server.answer(ctx, 202, pending(request));
                                } else {
                                    server.answer(ctx, statusOf(arrived), resultJson(arrived));
                                }
                            });
                }));
    }

    @FunctionalInterface
    interface TriFunction<A, B, C, R> {
        R apply(A a, B b, C c);
    }

    private boolean refused(Context ctx) {
        Optional<ApiError> refusal =
                GatewayServer.refusal(ctx, config.provisioning().auth(), ROUTE_NAME);
        refusal.ifPresent(e -> server.refuseAfterDiscardingBody(ctx, e));
        return refusal.isPresent();
    }

    /** Published, and known to the tracker once acknowledged, so a status read after the answer shows it. */
    private CompletableFuture<Void> publish(ProvisioningRequest request) {
        String topic = Topics.PROVISIONING_REQUESTS.name();
        byte[] value;
        try {
            value = serializer.serialize(topic, request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return publisher.publish(topic, request.getEmployeeId(), value).thenRun(() -> tracker.requested(request));
    }

    private void unavailable(Context ctx, Throwable failure) {
        LOG.warn("a provisioning request could not be published: {}", failure.toString());
        ctx.header("Retry-After", Integer.toString(config.retryAfterSeconds()));
        server.reject(
                ctx,
                503,
                "unavailable",
                "the request could not be stored right now; retry after " + config.retryAfterSeconds() + " s");
    }

    /** 201 for a new user, 200 for one that existed or changed, 422 when refused as invalid, 502 when Auth0 failed it. */
    private static int statusOf(ProvisioningResult result) {
        return switch (result.getStatus()) {
            case CREATED -> 201;
            case ALREADY_EXISTS, EMAIL_UPDATED -> 200;
            case INVALID -> 422;
            case FAILED -> 502;
        };
    }

    private static ObjectNode pending(ProvisioningRequest request) {
        return JSON.createObjectNode()
                .put("requestId", request.getRequestId())
                .put("employeeId", request.getEmployeeId())
                .put("status", "PENDING")
                .put("resultUrl", RESULTS + request.getRequestId());
    }

    static ObjectNode resultJson(ProvisioningResult result) {
        ObjectNode body = JSON.createObjectNode()
                .put("requestId", result.getRequestId())
                .put("employeeId", result.getEmployeeId())
                .put("status", result.getStatus().name())
                .put("auth0UserId", result.getAuth0UserId())
                .put("email", result.getEmail())
                .put("attempts", result.getAttempts())
                .put("durationMs", result.getDurationMs())
                .put("completedAt", result.getCompletedAt().toString());
        if (result.getError() != null) {
            body.put("error", result.getError());
        }
        return body;
    }

    private static String summary(java.io.IOException e) {
        return e instanceof JsonProcessingException json
                ? json.getOriginalMessage()
                : e.getClass().getSimpleName();
    }
}
