package io.authstream.enrich;

import io.authstream.enrich.geo.GeoOutcome;
import io.authstream.schemas.avro.AuthEvent;

/**
 * One event after enrichment, with what happened to its geo and whether a device was parsed
 * (for the metrics).
 *
 * @param device true when the event got a parsed device
 */
public record Enrichment(AuthEvent event, GeoOutcome geo, boolean device) {}
