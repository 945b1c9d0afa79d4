package io.authstream.streams.http.dashboard;

import io.authstream.schemas.avro.SecurityAlert;
import java.util.Map;
import java.util.TreeMap;

/**
 * A security alert as the dashboard shows it: what the alert record says about the incident, its
 * evidence counted rather than listed (event ids mean nothing on a page).
 */
public record AlertView(
        String alertId,
        String ruleId,
        String severity,
        String userId,
        String ip,
        String windowStart,
        String windowEnd,
        String detectedAt,
        String summary,
        int evidence,
        Map<String, String> attributes,
        long offset,
        int partition) {

    static AlertView of(SecurityAlert alert, int partition, long offset) {
        Map<String, String> attributes = new TreeMap<>();
        alert.getAttributes().forEach((k, v) -> attributes.put(k.toString(), v.toString()));
        return new AlertView(
                alert.getAlertId(),
                alert.getRuleId(),
                alert.getSeverity().name(),
                alert.getUserId(),
                alert.getIp(),
                alert.getWindowStart().toString(),
                alert.getWindowEnd().toString(),
                alert.getDetectedAt().toString(),
                alert.getSummary(),
                alert.getEvidence().size(),
                attributes,
                offset,
                partition);
    }
}
