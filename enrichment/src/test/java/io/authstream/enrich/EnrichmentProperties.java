package io.authstream.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import io.authstream.enrich.geo.GeoOutcome;
import io.authstream.enrich.testing.TestDatabases;
import io.authstream.schemas.avro.AuthEvent;
import io.authstream.schemas.testing.SampleEvents;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Whatever a source puts in ip and userAgent, enrichment answers without throwing, and private networks never get a place. */
class EnrichmentProperties {

    private final Enricher enricher = TestDatabases.sharedEnricher();

    private static AuthEvent event(String ip, String userAgent) {
        return AuthEvent.newBuilder(SampleEvents.minimal())
                .setIp(ip)
                .setUserAgent(userAgent)
                .build();
    }

    @Property(tries = 500)
    void anyStringsAsIpAndUserAgentNeverThrow(@ForAll("ipLike") String ip, @ForAll String userAgent) {
        Enrichment result = enricher.enrich(event(ip, userAgent));
        assertThat(result.event().getEventId()).isEqualTo(SampleEvents.minimal().getEventId());
        assertThat(result.geo() == GeoOutcome.LOCATED).isEqualTo(result.event().getGeo() != null);
    }

    @Property(tries = 500)
    void privateAndLoopbackAddressesNeverGetAPlace(@ForAll("privateAddresses") String ip) {
        Enrichment result = enricher.enrich(event(ip, null));
        assertThat(result.geo()).isEqualTo(GeoOutcome.NOT_PUBLIC);
        assertThat(result.event().getGeo()).isNull();
    }

    /** Strings near IP literals (digits, dots, colons, hex, brackets) as well as any text. */
    @Provide
    Arbitrary<String> ipLike() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("0123456789abcdefABCDEF.:[]%").ofMaxLength(45),
                Arbitraries.strings().ofMaxLength(60),
                Arbitraries.integers()
                        .between(0, 300)
                        .list()
                        .ofSize(4)
                        .map(parts -> String.join(
                                ".", parts.stream().map(String::valueOf).toList())));
    }

    @Provide
    Arbitrary<String> privateAddresses() {
        Arbitrary<Integer> octet = Arbitraries.integers().between(0, 255);
        Arbitrary<String> ten = Combinators.combine(octet, octet, octet).as((a, b, c) -> "10." + a + "." + b + "." + c);
        Arbitrary<String> oneSevenTwo = Combinators.combine(
                        Arbitraries.integers().between(16, 31), octet, octet)
                .as((a, b, c) -> "172." + a + "." + b + "." + c);
        Arbitrary<String> oneNineTwo = Combinators.combine(octet, octet).as((a, b) -> "192.168." + a + "." + b);
        Arbitrary<String> loopback =
                Combinators.combine(octet, octet, octet).as((a, b, c) -> "127." + a + "." + b + "." + c);
        Arbitrary<String> linkLocal = Combinators.combine(octet, octet).as((a, b) -> "169.254." + a + "." + b);
        Arbitrary<String> hex = Arbitraries.integers().between(0, 0xffff).map(Integer::toHexString);
        Arbitrary<String> uniqueLocal = Combinators.combine(
                        Arbitraries.integers().between(0xfc00, 0xfdff), hex, hex)
                .as((a, b, c) -> Integer.toHexString(a) + ":" + b + "::" + c);
        Arbitrary<String> linkLocal6 = hex.map(h -> "fe80::" + h);
        Arbitrary<String> mapped = ten.map(ip -> "::ffff:" + ip);
        return Arbitraries.oneOf(
                ten,
                oneSevenTwo,
                oneNineTwo,
                loopback,
                linkLocal,
                uniqueLocal,
                linkLocal6,
                mapped,
                Arbitraries.just("::1"));
    }
}
