package io.authstream.streams.profile;

import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.Notification;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.avro.ProfileStatus;
import io.authstream.schemas.avro.UserProfile;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Folds one event into a user's profile. Pure: the same profile and event always give the same
 * result, so a replay rebuilds identical profiles. createdAt is set by the first event and never
 * changes; lastLoginDate only moves forward, whatever order late events arrive in.
 */
public final class ProfileFolder {

    public static final String WELCOME = "welcome";

    private ProfileFolder() {}

    /** @param current the stored profile, or null for a user not seen yet */
    public static ProfileChange fold(UserProfile current, AuthEvent event) {
        Instant at = event.getOccurredAt();
        if ("user.deleted".equals(event.getType()) && event.getOutcome() != Outcome.FAILURE) {
            return new ProfileChange(null, false, Optional.empty());
        }
        UserProfile.Builder profile = current == null
                ? UserProfile.newBuilder()
                        .setUserId(event.getUserId())
                        .setCreatedAt(at)
                        .setLoginCount(0)
                        .setStatus(ProfileStatus.ACTIVE)
                        .setLastEventAt(at)
                        .setUpdatedAt(at)
                : UserProfile.newBuilder(current);
        if (event.getEmail() != null) {
            profile.setEmail(event.getEmail());
        }
        if (event.getDisplayName() != null) {
            profile.setDisplayName(event.getDisplayName());
        }
        if (event.getPhotoUrl() != null) {
            profile.setPhotoUrl(event.getPhotoUrl());
        }
        Optional<Notification> notification = Optional.empty();
        if (isSuccessfulSignIn(event)) {
            long logins = profile.getLoginCount() + 1;
            profile.setLoginCount(logins);
            if (profile.getLastLoginDate() == null || at.isAfter(profile.getLastLoginDate())) {
                profile.setLastLoginDate(at);
                profile.setLastIp(event.getIp());
                profile.setLastCountry(
                        event.getGeo() == null ? null : event.getGeo().getCountryCode());
                if (event.getProvider() != null) {
                    profile.setProvider(event.getProvider());
                }
            }
            if (logins == 1) {
                notification = Optional.of(welcome(event));
            }
        } else if (profile.getProvider() == null && event.getProvider() != null) {
            profile.setProvider(event.getProvider());
        }
        if ("user.blocked".equals(event.getType())) {
            profile.setStatus(ProfileStatus.BLOCKED);
        }
        if (!at.isBefore(profile.getLastEventAt())) {
            profile.setLastEventAt(at);
            profile.setLastEventId(event.getEventId());
        }
        profile.setUpdatedAt(at.isAfter(profile.getUpdatedAt()) ? at : profile.getUpdatedAt());
        return new ProfileChange(profile.build(), current == null, notification);
    }

    static boolean isSuccessfulSignIn(AuthEvent event) {
        return "user.signed_in".equals(event.getType()) && event.getOutcome() != Outcome.FAILURE;
    }

    private static Notification welcome(AuthEvent event) {
        return Notification.newBuilder()
                .setNotificationId(WELCOME + ":" + event.getUserId())
                .setKind(WELCOME)
                .setUserId(event.getUserId())
                .setEmail(event.getEmail())
                .setDisplayName(event.getDisplayName())
                .setTriggeringEventId(event.getEventId())
                .setCreatedAt(event.getOccurredAt())
                .setAttributes(event.getProvider() == null ? Map.of() : Map.of("provider", event.getProvider()))
                .build();
    }
}
