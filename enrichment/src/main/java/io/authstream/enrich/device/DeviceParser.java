package io.authstream.enrich.device;

import io.authstream.schemas.avro.DeviceInfo;
import java.util.List;
import java.util.Set;
import nl.basjes.parse.useragent.UserAgent;
import nl.basjes.parse.useragent.UserAgentAnalyzer;

/**
 * User agent → browser, operating system, device class (yauaa). Building the analyzer takes
 * seconds and much memory, so an app builds one, asking only for the fields it keeps; parsing is
 * thread-safe, with a cache of parsed agents in front (yauaa parses one uncached agent at a time,
 * and the same few agents make up most sign-ins).
 */
public final class DeviceParser {

    static final List<String> FIELDS = List.of(
            UserAgent.AGENT_NAME,
            UserAgent.AGENT_VERSION_MAJOR,
            UserAgent.OPERATING_SYSTEM_NAME,
            UserAgent.OPERATING_SYSTEM_VERSION_MAJOR,
            UserAgent.DEVICE_CLASS,
            UserAgent.AGENT_CLASS);

    /** What yauaa answers when it cannot tell (names, versions, classes). */
    private static final Set<String> UNKNOWN = Set.of("Unknown", "??", "");

    private final UserAgentAnalyzer analyzer;
    private final int cacheSize;

    private DeviceParser(UserAgentAnalyzer analyzer, int cacheSize) {
        this.analyzer = analyzer;
        this.cacheSize = cacheSize;
    }

    /** @param cacheSize parsed agents kept (0: none) */
    public static DeviceParser create(int cacheSize) {
        var builder = UserAgentAnalyzer.newBuilder()
                .withFields(FIELDS)
                .hideMatcherLoadStats()
                .dropTests()
                .immediateInitialization();
        builder = cacheSize > 0 ? builder.withCache(cacheSize) : builder.withoutCache();
        return new DeviceParser(builder.build(), cacheSize);
    }

    /** The device a user agent describes, or null for no agent or one of which nothing could be told. */
    public DeviceInfo parse(String userAgent) {
        if (userAgent == null || userAgent.isBlank()) {
            return null;
        }
        UserAgent agent = analyzer.parse(userAgent);
        DeviceInfo device = DeviceInfo.newBuilder()
                .setBrowser(known(agent, UserAgent.AGENT_NAME))
                .setBrowserVersion(known(agent, UserAgent.AGENT_VERSION_MAJOR))
                .setOs(known(agent, UserAgent.OPERATING_SYSTEM_NAME))
                .setOsVersion(known(agent, UserAgent.OPERATING_SYSTEM_VERSION_MAJOR))
                .setDeviceClass(known(agent, UserAgent.DEVICE_CLASS))
                .setAgentClass(known(agent, UserAgent.AGENT_CLASS))
                .build();
        boolean nothing = device.getBrowser() == null
                && device.getOs() == null
                && device.getDeviceClass() == null
                && device.getAgentClass() == null;
        return nothing ? null : device;
    }

    public int cacheSize() {
        return cacheSize;
    }

    private static String known(UserAgent agent, String field) {
        String value = agent.getValue(field);
        return value == null || UNKNOWN.contains(value) ? null : value;
    }
}
