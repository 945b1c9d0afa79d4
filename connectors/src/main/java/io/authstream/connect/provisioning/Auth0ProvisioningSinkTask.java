package io.authstream.connect.provisioning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.authstream.connect.ErrantRecords;
import io.authstream.connect.Versions;
import io.authstream.connect.auth0.Auth0Config;
import io.authstream.connect.auth0.Auth0Exception;
import io.authstream.connect.auth0.Auth0ManagementClient;
import io.authstream.schemas.GeneratedClasses;
import io.authstream.schemas.avro.ProvisioningAction;
import io.authstream.schemas.avro.ProvisioningRequest;
import io.authstream.schemas.avro.ProvisioningResult;
import io.authstream.schemas.avro.ProvisioningStatus;
import io.authstream.schemas.serde.AvroDeserializer;
import io.authstream.schemas.serde.AvroSerializer;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request at a time, each Management API call through a client-side rate limiter
 * ({@link TokenBucket}). A creation: validate locally (INVALID, never sent), {@code POST /api/v2/users}
 * (CREATED), or on 409 look the user up by e-mail (ALREADY_EXISTS — a redelivered request lands
 * here too, so a replay creates nobody twice — but only when that user is the employee's, see
 * {@link ExistingUser}; else FAILED), then assign the mapped role; anything Auth0
 * refuses, or that runs out of retries, is FAILED with Auth0's reason. An e-mail change
 * (UPDATE_EMAIL): the same checks, then {@code PATCH /api/v2/users/{id}} of the employee's own
 * user (EMAIL_UPDATED), FAILED when the employee has none. Each outcome is written to
 * the results topic, and {@link #put} returns only once those writes are acknowledged, so Connect
 * commits a request's offset only after its audit record exists.
 */
public final class Auth0ProvisioningSinkTask extends SinkTask {

    private static final Logger LOG = LoggerFactory.getLogger(Auth0ProvisioningSinkTask.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%+-=?@";

    private final Clock clock = Clock.systemUTC();
    private Auth0ProvisioningSinkConfig config;
    private Auth0ManagementClient auth0;
    private AvroDeserializer<ProvisioningRequest> requests;
    private AvroSerializer<ProvisioningResult> results;
    private KafkaProducer<String, byte[]> producer;
    private ErrantRecordReporter errants;
    private Optional<MetricsEndpoint> endpoint = Optional.empty();
    private ProvisioningMetrics metrics = new ProvisioningMetrics();

    @Override
    public void start(Map<String, String> props) {
        GeneratedClasses.trust();
        config = new Auth0ProvisioningSinkConfig(props);
        endpoint = config.metricsPort().map(port -> MetricsEndpoint.acquire(config.metricsHost(), port));
        metrics = endpoint.map(MetricsEndpoint::metrics).orElseGet(ProvisioningMetrics::new);
        TokenBucket limiter = new TokenBucket(config.rateLimitPerSecond());
        auth0 = new Auth0ManagementClient(Auth0Config.clientSettings(config), new Auth0ManagementClient.Observer() {
            @Override
            public void beforeCall() {
                try {
                    limiter.acquire();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Auth0Exception("interrupted while waiting for the rate limit", 0, true, e);
                }
            }

            @Override
            public void failed(int status) {
                metrics.apiError(status);
            }

            @Override
            public void tokenObtained() {
                metrics.tokenRefresh();
            }

            @Override
            public void tokenFailed(int status) {
                metrics.tokenRefreshFailure();
            }
        });
        requests = new AvroDeserializer<>(ProvisioningRequest.class, config.serdeConfig());
        results = new AvroSerializer<>(config.serdeConfig(), false);
        producer = new KafkaProducer<>(config.producerConfig(), new StringSerializer(), new ByteArraySerializer());
        errants = context.errantRecordReporter();
    }

    @Override
    public void put(Collection<SinkRecord> records) {
        List<Future<RecordMetadata>> written = new ArrayList<>();
        for (SinkRecord record : records) {
            Optional<ProvisioningRequest> request = request(record);
            if (request.isEmpty()) {
                continue;
            }
            ProvisioningResult result = provision(request.get(), record.key() instanceof String key ? key : null);
            LOG.info(
                    "employee {} ({}): {}{}",
                    result.getEmployeeId(),
                    result.getRequestId(),
                    result.getStatus(),
                    result.getError() == null ? "" : " - " + result.getError());
            written.add(producer.send(new ProducerRecord<>(
                    config.resultsTopic(), result.getEmployeeId(), results.serialize(config.resultsTopic(), result))));
        }
        for (Future<RecordMetadata> write : written) {
            try {
                write.get();
            } catch (Exception e) {
                throw new ConnectException("could not write a provisioning result to " + config.resultsTopic(), e);
            }
        }
    }

    private Optional<ProvisioningRequest> request(SinkRecord record) {
        if (!(record.value() instanceof byte[] bytes)) {
            report(
                    record,
                    new IllegalArgumentException("expected the raw bytes of the value (ByteArrayConverter), got "
                            + (record.value() == null
                                    ? "a tombstone"
                                    : record.value().getClass().getName())));
            return Optional.empty();
        }
        try {
            return Optional.of(requests.deserialize(record.topic(), bytes));
        } catch (RuntimeException e) {
            report(record, e);
            return Optional.empty();
        }
    }

    ProvisioningResult provision(ProvisioningRequest request, String key) {
        Instant started = clock.instant();
        ProvisioningResult.Builder result = ProvisioningResult.newBuilder()
                .setRequestId(request.getRequestId())
                .setEmployeeId(request.getEmployeeId())
                .setEmail(request.getEmail())
                .setAttempts(0);
        boolean emailChange = request.getAction() == ProvisioningAction.UPDATE_EMAIL;
        ProvisioningResult outcome;
        Optional<String> invalid = RequestValidator.problems(request, key, config.roles(), config.allowedConnections());
        if (invalid.isPresent()) {
            outcome = finish(result.setStatus(ProvisioningStatus.INVALID).setError(invalid.get()), started);
        } else {
            Attempts attempts = new Attempts();
            try {
                outcome = finish(
                        emailChange ? updateEmail(request, result, attempts) : create(request, result, attempts),
                        started);
            } catch (Auth0Exception e) {
                if (!e.retriable() && e.status() == 401) {
                    // Credentials refused: every request would fail the same way; stop loudly instead.
                    throw new ConnectException(e.getMessage(), e);
                }
                outcome = finish(
                        result.setStatus(ProvisioningStatus.FAILED)
                                .setAttempts(Math.max(attempts.made, 1))
                                .setError(e.getMessage()),
                        started);
            }
        }
        if (emailChange) {
            metrics.emailUpdate(outcome.getStatus().name());
        } else {
            metrics.creation(outcome.getStatus().name(), Duration.between(started, clock.instant()));
        }
        return outcome;
    }

    /** HTTP calls made for one request so far, for its result (and for a failure that interrupts them). */
    private static final class Attempts {
        int made;

        Auth0ManagementClient.Response count(Auth0ManagementClient.Response response) {
            made += response.attempts();
            return response;
        }
    }

    private ProvisioningResult.Builder create(
            ProvisioningRequest request, ProvisioningResult.Builder result, Attempts attempts) {
        Auth0ManagementClient.Response created = attempts.count(auth0.post("users", newUser(request)));
        String userId;
        if (created.status() == 201 || created.status() == 200) {
            userId = created.body().path("user_id").asText();
            result.setStatus(ProvisioningStatus.CREATED);
        } else if (created.status() == 409) {
            Auth0ManagementClient.Response found = attempts.count(
                    auth0.get("users-by-email?email=" + URLEncoder.encode(request.getEmail(), StandardCharsets.UTF_8)));
            if (found.status() != 200) {
                return result.setStatus(ProvisioningStatus.FAILED)
                        .setAttempts(attempts.made)
                        .setError("Auth0 answered 409 but the user with that e-mail could not be looked up: "
                                + describe(found));
            }
            ExistingUser existing = ExistingUser.among(found.body(), connection(request), request.getEmployeeId());
            if (existing.refusal().isPresent()) {
                return result.setStatus(ProvisioningStatus.FAILED)
                        .setAttempts(attempts.made)
                        .setError(existing.refusal().get());
            }
            userId = existing.userId().orElseThrow();
            result.setStatus(ProvisioningStatus.ALREADY_EXISTS);
        } else {
            return result.setStatus(ProvisioningStatus.FAILED)
                    .setAttempts(attempts.made)
                    .setError("Auth0 refused the user: " + describe(created));
        }
        result.setAuth0UserId(userId);
        if (request.getRoleCode() != null) {
            String role = config.roles().get(request.getRoleCode());
            ObjectNode body = JSON.createObjectNode();
            body.putArray("roles").add(role);
            Auth0ManagementClient.Response assigned = attempts.count(
                    auth0.post("users/" + URLEncoder.encode(userId, StandardCharsets.UTF_8) + "/roles", body));
            if (assigned.status() / 100 != 2) {
                return result.setStatus(ProvisioningStatus.FAILED)
                        .setAttempts(attempts.made)
                        .setError("user " + userId + " exists but role " + role + " was not assigned: "
                                + describe(assigned));
            }
        }
        return result.setAttempts(attempts.made);
    }

    /**
     * The employee's user is the one this connector created: on the request's connection, its
     * {@code app_metadata.employeeId} the employee's (found with the user search, {@code GET
     * /api/v2/users?q=}); any other user with the employee's id in its metadata is not touched.
     */
    private ProvisioningResult.Builder updateEmail(
            ProvisioningRequest request, ProvisioningResult.Builder result, Attempts attempts) {
        String query = "app_metadata.employeeId:\"" + luceneEscaped(request.getEmployeeId()) + "\"";
        Auth0ManagementClient.Response found = attempts.count(auth0.get("users?search_engine=v3&q="
                + URLEncoder.encode(query, StandardCharsets.UTF_8).replace("+", "%20")));
        if (found.status() != 200) {
            return result.setStatus(ProvisioningStatus.FAILED)
                    .setAttempts(attempts.made)
                    .setError("the employee's Auth0 user could not be looked up: " + describe(found));
        }
        Optional<String> userId = ExistingUser.employeesOwn(found.body(), connection(request), request.getEmployeeId());
        if (userId.isEmpty()) {
            return result.setStatus(ProvisioningStatus.FAILED)
                    .setAttempts(attempts.made)
                    .setError("no Auth0 user on connection " + connection(request) + " belongs to employee "
                            + request.getEmployeeId() + " (app_metadata.employeeId): unknown employee, or not"
                            + " provisioned by authstream; nothing changed");
        }
        result.setAuth0UserId(userId.get());
        ObjectNode change = JSON.createObjectNode()
                .put("email", request.getEmail())
                .put("connection", connection(request))
                .put("verify_email", config.verifyEmail());
        Auth0ManagementClient.Response patched =
                attempts.count(auth0.patch("users/" + URLEncoder.encode(userId.get(), StandardCharsets.UTF_8), change));
        if (patched.status() != 200) {
            return result.setStatus(ProvisioningStatus.FAILED)
                    .setAttempts(attempts.made)
                    .setError("Auth0 refused the e-mail change of " + userId.get() + ": " + describe(patched));
        }
        return result.setStatus(ProvisioningStatus.EMAIL_UPDATED).setAttempts(attempts.made);
    }

    /** A Lucene phrase's content: its quotes and backslashes escaped. */
    private static String luceneEscaped(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private ObjectNode newUser(ProvisioningRequest request) {
        ObjectNode user = JSON.createObjectNode()
                .put("email", request.getEmail())
                .put("name", request.getFullName())
                .put("connection", connection(request))
                // Nobody knows this password: the employee sets one through the verification / reset e-mail.
                .put("password", randomPassword())
                .put("verify_email", config.verifyEmail());
        ObjectNode metadata = user.putObject("user_metadata");
        if (request.getDepartment() != null) {
            metadata.put("department", request.getDepartment());
        }
        ObjectNode app = user.putObject("app_metadata")
                .put("employeeId", request.getEmployeeId())
                .put("provisioningRequestId", request.getRequestId());
        if (request.getRoleCode() != null) {
            app.put("roleCode", request.getRoleCode());
        }
        return user;
    }

    private String connection(ProvisioningRequest request) {
        return request.getConnection() != null ? request.getConnection() : config.connection();
    }

    private static String randomPassword() {
        StringBuilder password = new StringBuilder();
        for (int i = 0; i < 32; i++) {
            password.append(PASSWORD_ALPHABET.charAt(RANDOM.nextInt(PASSWORD_ALPHABET.length())));
        }
        return password.toString();
    }

    private static String describe(Auth0ManagementClient.Response response) {
        JsonNode body = response.body();
        String message =
                body != null && body.hasNonNull("message") ? body.get("message").asText() : "";
        String code = body != null && body.hasNonNull("errorCode")
                ? body.get("errorCode").asText()
                : "";
        return "HTTP " + response.status() + (code.isEmpty() ? "" : " " + code)
                + (message.isEmpty() ? "" : " (" + message + ")");
    }

    private ProvisioningResult finish(ProvisioningResult.Builder result, Instant started) {
        Instant now = clock.instant();
        return result.setDurationMs(now.toEpochMilli() - started.toEpochMilli())
                .setCompletedAt(now)
                .build();
    }

    private void report(SinkRecord record, Exception reason) {
        ErrantRecords.report(errants, record, reason, LOG);
    }

    @Override
    public void stop() {
        if (producer != null) {
            producer.close();
        }
        if (requests != null) {
            requests.close();
        }
        endpoint.ifPresent(MetricsEndpoint::release);
        endpoint = Optional.empty();
    }

    @Override
    public String version() {
        return Versions.current();
    }
}
