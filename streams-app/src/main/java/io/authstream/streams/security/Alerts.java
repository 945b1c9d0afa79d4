package io.authstream.streams.security;

import io.authstream.schemas.avro.SecurityAlert;
import io.authstream.schemas.avro.Severity;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Builds {@link SecurityAlert}s with an id derived from the incident, so a replay yields the same id. */
public final class Alerts {

    /** Evidence lists are capped: an alert names the events that crossed the threshold, not a whole attack. */
    static final int MAX_EVIDENCE = 100;

    private Alerts() {}

    static SecurityAlert alert(
            String ruleId,
            Severity severity,
            String userId,
            String ip,
            long windowStart,
            long windowEnd,
            String summary,
            List<String> evidence,
            Map<String, String> attributes) {
        return SecurityAlert.newBuilder()
                .setAlertId(
                        incidentId(ruleId, userId + "|" + ip, windowStart, evidence.isEmpty() ? "" : evidence.get(0)))
                .setRuleId(ruleId)
                .setSeverity(severity)
                .setUserId(userId)
                .setIp(ip)
                .setWindowStart(Instant.ofEpochMilli(windowStart))
                .setWindowEnd(Instant.ofEpochMilli(windowEnd))
                .setDetectedAt(Instant.ofEpochMilli(windowEnd))
                .setSummary(summary)
                .setEvidence(
                        evidence.size() > MAX_EVIDENCE
                                ? List.copyOf(evidence.subList(0, MAX_EVIDENCE))
                                : List.copyOf(evidence))
                .setAttributes(Map.copyOf(attributes))
                .build();
    }

    /** The alert's record key: the user when known, else the ip, else the first evidence. */
    public static String key(SecurityAlert alert) {
        if (alert.getUserId() != null) {
            return alert.getUserId();
        }
        return alert.getIp() != null
                ? alert.getIp()
                : alert.getEvidence().isEmpty()
                        ? alert.getAlertId()
                        : alert.getEvidence().get(0);
    }

    private static String incidentId(String ruleId, String subject, long windowStart, String firstEvidence) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] digest = sha.digest((ruleId + "\n" + subject + "\n" + windowStart + "\n" + firstEvidence)
                    .getBytes(StandardCharsets.UTF_8));
            return ruleId + ":" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
