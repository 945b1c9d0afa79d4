package io.authstream.enrich.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IpAddressesTest {

    private static InetAddress parsed(String literal) {
        return IpAddresses.parse(literal).orElseThrow(() -> new AssertionError(literal + " did not parse"));
    }

    @Test
    void literalsOfBothFamiliesParse() {
        assertThat(parsed("8.8.8.8"))
                .isInstanceOf(Inet4Address.class)
                .extracting(InetAddress::getHostAddress)
                .isEqualTo("8.8.8.8");
        assertThat(parsed(" 81.2.69.142 ").getHostAddress()).isEqualTo("81.2.69.142");
        assertThat(parsed("2001:4860:4860::8888")).isInstanceOf(Inet6Address.class);
        assertThat(parsed("[2003:e0::1]")).isInstanceOf(Inet6Address.class);
        assertThat(parsed("2003:E0:0:0:0:0:0:1").getHostAddress()).isEqualTo("2003:e0:0:0:0:0:0:1");
        // IPv4-mapped IPv6 is the IPv4 address (and so is looked up in the IPv4 file).
        assertThat(parsed("::ffff:8.8.8.8"))
                .isInstanceOf(Inet4Address.class)
                .extracting(InetAddress::getHostAddress)
                .isEqualTo("8.8.8.8");
    }

    @Test
    void namesShortFormsAndJunkDoNotParse() {
        for (String junk : new String[] {
            "",
            " ",
            "example.com",
            "localhost",
            "1.2.3",
            "127.1",
            "1.2.3.4.5",
            "256.1.1.1",
            "1.2.3.-4",
            "1..2.3",
            "1.2.3.4,5.6.7.8",
            "1234.1.1.1",
            "::g",
            "2001:db8::1::2",
            ".:",
            "fe80::1%eth0",
            "0x7f.0.0.1",
            "1.2.3.4/24",
            "[::1",
            "::1]",
            "12345::",
            ":"
        }) {
            assertThat(IpAddresses.parse(junk)).as("'%s'", junk).isEmpty();
        }
        assertThat(IpAddresses.parse(null)).isEmpty();
    }

    @Test
    void specialPurposeAddressesAreNotPublic() {
        for (String special : new String[] {
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "127.0.0.1",
            "0.0.0.0",
            "169.254.169.254",
            "100.64.0.1",
            "192.0.2.10",
            "198.51.100.7",
            "203.0.113.50",
            "198.18.0.1",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "fe80::1",
            "fc00::1",
            "fd12:3456:789a::1",
            "2001:db8::5",
            "ff02::1",
            "64:ff9b::808:808",
            "2002:c000:0204::1",
            "::ffff:10.0.0.1",
            "3fff::1"
        }) {
            assertThat(IpAddresses.isPublic(parsed(special))).as(special).isFalse();
        }
        for (String global : new String[] {
            "8.8.8.8",
            "1.1.1.1",
            "80.133.10.1",
            "172.32.0.1",
            "100.128.0.1",
            "2003:e0::1",
            "2400:4050::1",
            "2001:200::1",
            "2a00:1450:4001:80b::200e"
        }) {
            assertThat(IpAddresses.isPublic(parsed(global))).as(global).isTrue();
        }
    }
}
