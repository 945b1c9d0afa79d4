package io.authstream.streams.profile;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.schemas.Topics;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.avro.GeoLocation;
import io.authstream.schemas.avro.Notification;
import io.authstream.schemas.avro.Outcome;
import io.authstream.schemas.avro.ProfileStatus;
import io.authstream.schemas.avro.UserProfile;
import io.authstream.streams.TestDrivers;
import io.authstream.streams.TopologyFixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Profile folding through the whole topology (dedup and reorder included). */
class ProfileTopologyTest {

    private static final Instant T0 = TopologyFixtures.T0;

    private TopologyTestDriver driver;
    private TestInputTopic<String, AuthEvent> raw;
    private TestOutputTopic<String, UserProfile> profiles;
    private TestOutputTopic<String, Notification> notifications;

    @BeforeEach
    void start() {
        driver = TestDrivers.start("profile-test", TopologyFixtures.GRACE);
        raw = TestDrivers.raw(driver);
        profiles = TestDrivers.output(driver, Topics.AUTH_PROFILES.name(), UserProfile.class);
        notifications = TestDrivers.output(driver, Topics.AUTH_NOTIFICATIONS.name(), Notification.class);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private static AuthEvent signIn(String id, long seconds, String ip, String country) {
        return AuthEvent.newBuilder(TopologyFixtures.event(id, "auth0|u", seconds))
                .setType("user.signed_in")
                .setOutcome(Outcome.SUCCESS)
                .setIp(ip)
                .setEmail("u@example.com")
                .setDisplayName("U")
                .setProvider("auth0")
                .setGeo(
                        country == null
                                ? null
                                : GeoLocation.newBuilder()
                                        .setCountryCode(country)
                                        .build())
                .build();
    }

    private void send(AuthEvent event) {
        raw.pipeInput(event.getUserId(), event);
    }

    private void flush() {
        driver.advanceWallClockTime(Duration.ofSeconds(10));
    }

    private UserProfile latestProfile() {
        List<TestRecord<String, UserProfile>> all = profiles.readRecordsToList();
        return all.get(all.size() - 1).value();
    }

    @Test
    void createdAtIsTheFirstEventAndNeverChanges() {
        send(AuthEvent.newBuilder(TopologyFixtures.event("signup", "auth0|u", 0))
                .setType("user.signed_up")
                .setOutcome(Outcome.SUCCESS)
                .build());
        send(signIn("s1", 60, "1.1.1.1", "FR"));
        send(signIn("s2", 120, "2.2.2.2", "DE"));
        flush();
        UserProfile profile = latestProfile();
        assertThat(profile.getCreatedAt()).isEqualTo(T0);
        assertThat(profile.getLoginCount()).isEqualTo(2);
        assertThat(profile.getLastLoginDate()).isEqualTo(T0.plusSeconds(120));
        assertThat(profile.getLastIp()).isEqualTo("2.2.2.2");
        assertThat(profile.getLastCountry()).isEqualTo("DE");
        assertThat(profile.getEmail()).isEqualTo("u@example.com");
        assertThat(profile.getStatus()).isEqualTo(ProfileStatus.ACTIVE);
        assertThat(profile.getUpdatedAt()).isEqualTo(T0.plusSeconds(120));
    }

    @Test
    void lastLoginDateNeverMovesBackwardsEvenForALateSignIn() {
        send(signIn("s-new", 100, "9.9.9.9", "US"));
        send(signIn("push", 200, "9.9.9.9", "US"));
        flush();
        profiles.readRecordsToList();
        send(signIn("s-old", 50, "5.5.5.5", "BR"));
        UserProfile profile = latestProfile();
        assertThat(profile.getLastLoginDate()).isEqualTo(T0.plusSeconds(200));
        assertThat(profile.getLastIp()).isEqualTo("9.9.9.9");
        assertThat(profile.getLoginCount()).isEqualTo(3);
        assertThat(profile.getCreatedAt()).isEqualTo(T0.plusSeconds(100));
    }

    @Test
    void deleteEmitsATombstoneAndAFreshProfileStartsOver() {
        send(signIn("s1", 10, "1.1.1.1", null));
        send(AuthEvent.newBuilder(TopologyFixtures.event("del", "auth0|u", 20))
                .setType("user.deleted")
                .setOutcome(Outcome.NONE)
                .build());
        flush();
        List<TestRecord<String, UserProfile>> out = profiles.readRecordsToList();
        assertThat(out).hasSize(2);
        assertThat(out.get(1).key()).isEqualTo("auth0|u");
        assertThat(out.get(1).value()).isNull();
        send(signIn("s2", 40, "1.1.1.1", null));
        flush();
        assertThat(latestProfile().getCreatedAt()).isEqualTo(T0.plusSeconds(40));
    }

    @Test
    void aFailedDeleteKeepsTheProfile() {
        send(signIn("s1", 10, "1.1.1.1", null));
        send(AuthEvent.newBuilder(TopologyFixtures.event("del-failed", "auth0|u", 20))
                .setType("user.deleted")
                .setOutcome(Outcome.FAILURE)
                .build());
        flush();
        // The sign-in's profile, then the same profile having seen the failed delete: never a tombstone.
        List<TestRecord<String, UserProfile>> out = profiles.readRecordsToList();
        assertThat(out).hasSize(2).allSatisfy(r -> assertThat(r.value()).isNotNull());
        assertThat(out.get(1).value().getLastEventId()).isEqualTo("del-failed");
        assertThat(out.get(1).value().getCreatedAt())
                .isEqualTo(out.get(0).value().getCreatedAt());
        assertThat(out.get(1).value().getLoginCount()).isEqualTo(1);
    }

    @Test
    void blockedUsersAreMarked() {
        send(signIn("s1", 10, "1.1.1.1", null));
        send(AuthEvent.newBuilder(TopologyFixtures.event("blk", "auth0|u", 20))
                .setType("user.blocked")
                .setOutcome(Outcome.FAILURE)
                .build());
        flush();
        assertThat(latestProfile().getStatus()).isEqualTo(ProfileStatus.BLOCKED);
    }

    @Test
    void welcomeOnlyOnTheFirstSignIn() {
        send(signIn("s1", 10, "1.1.1.1", null));
        send(signIn("s2", 20, "1.1.1.1", null));
        send(signIn("s1", 10, "1.1.1.1", null));
        flush();
        assertThat(notifications.readRecordsToList()).singleElement().satisfies(r -> {
            assertThat(r.key()).isEqualTo("auth0|u");
            assertThat(r.value().getNotificationId()).isEqualTo("welcome:auth0|u");
            assertThat(r.value().getTriggeringEventId()).isEqualTo("s1");
            assertThat(r.value().getEmail()).isEqualTo("u@example.com");
        });
    }

    @Test
    void eventsWithoutAUserChangeNoProfile() {
        raw.pipeInput(
                "ip:7.7.7.7",
                AuthEvent.newBuilder(TopologyFixtures.event("anon", null, 10))
                        .setUserId(null)
                        .setIp("7.7.7.7")
                        .build());
        raw.pipeInput(
                null,
                AuthEvent.newBuilder(TopologyFixtures.event("nokey", null, 11))
                        .setUserId(null)
                        .build());
        flush();
        assertThat(profiles.isEmpty()).isTrue();
    }
}
