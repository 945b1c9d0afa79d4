package io.authstream.connect.provisioning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    /** A clock that only moves when the bucket sleeps (or the test says so). */
    private static final class FakeTime {
        long now = 1_000_000_000L;
        final List<Long> sleeps = new ArrayList<>();

        TokenBucket bucket(int perSecond) {
            return new TokenBucket(perSecond, () -> now, nanos -> {
                sleeps.add(nanos);
                now += nanos;
            });
        }
    }

    @Test
    void aFullBucketLetsOneSecondsWorthThroughAtOnceThenPacesTheRest() throws InterruptedException {
        FakeTime time = new FakeTime();
        TokenBucket bucket = time.bucket(50);
        long start = time.now;
        for (int i = 0; i < 50; i++) {
            bucket.acquire();
        }
        assertThat(time.sleeps).isEmpty();
        for (int i = 0; i < 150; i++) {
            bucket.acquire();
        }
        // 200 calls at 50/s: the first 50 are the burst, the other 150 take three seconds.
        assertThat(time.now - start).isBetween(2_990_000_000L, 3_010_000_000L);
        assertThat(time.sleeps).allSatisfy(nanos -> assertThat(nanos).isBetween(1L, 20_000_000L));
    }

    @Test
    void tokensRefillWhileIdleButNoMoreThanTheBurst() throws InterruptedException {
        FakeTime time = new FakeTime();
        TokenBucket bucket = time.bucket(10);
        for (int i = 0; i < 10; i++) {
            bucket.acquire();
        }
        time.now += 60_000_000_000L;
        for (int i = 0; i < 10; i++) {
            bucket.acquire();
        }
        assertThat(time.sleeps).isEmpty();
        bucket.acquire();
        assertThat(time.sleeps).hasSize(1);
        assertThat(time.sleeps.get(0)).isEqualTo(100_000_000L);
    }

    @Test
    void aRateBelowOneIsRefused() {
        assertThatThrownBy(() -> new TokenBucket(0)).hasMessageContaining("at least one request a second");
    }
}
