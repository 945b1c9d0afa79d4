package io.authstream.gateway.publish;

/**
 * An event ready for {@code auth.events.raw}: its record key and Avro encoding (Confluent wire
 * format), encoded while the request is answered so that its size is known before anything is sent.
 *
 * @param type the event's normalised type, for the metrics
 */
public record EncodedEvent(String key, byte[] value, String type) {}
