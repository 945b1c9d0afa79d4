package io.authstream.streams.profile;

import io.authstream.schemas.avro.Notification;
import io.authstream.schemas.avro.UserProfile;
import java.util.Optional;

/**
 * What one event did to one user's profile: the new profile (null when the user was deleted:
 * a tombstone on the compacted topic), whether this event created it (a new user), and, on the
 * first sign-in, a welcome notification.
 */
public record ProfileChange(UserProfile profile, boolean created, Optional<Notification> notification) {}
