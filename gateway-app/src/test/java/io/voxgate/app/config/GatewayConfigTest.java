package io.voxgate.app.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.uring.IoUring;
import io.voxgate.app.cluster.RedisEndpoint;
import io.voxgate.core.audio.AudioFormat;
import io.voxgate.sip.sdp.SrtpPolicy;
import io.voxgate.websocket.http.EventLoopTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayConfigTest {
    @TempDir
    Path dir;

    private static Map<GatewayOption, String> flags(final Object... pairs) {
        final Map<GatewayOption, String> out = new EnumMap<>(GatewayOption.class);
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((GatewayOption) pairs[i], (String) pairs[i + 1]);
        }
        return out;
    }

    private static Map<String, String> env(final String... pairs) {
        final Map<String, String> out = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put(pairs[i], pairs[i + 1]);
        }
        return out;
    }

    private Path file(final String text) throws IOException {
        final Path path = dir.resolve("voxgate.properties");
        Files.writeString(path, text, StandardCharsets.UTF_8);
        return path;
    }

    private static IllegalArgumentException rejected(final Map<GatewayOption, String> flags) {
        return assertThrows(IllegalArgumentException.class, () -> GatewayConfig.load(flags, null, env()));
    }

    @Test
    void shouldTakeARedisUrlNodeIdAndClusterLimit() {
        final GatewayConfig config = GatewayConfig.load(flags(GatewayOption.REDIS_URL, "redis://10.0.0.5:6379/2",
            GatewayOption.NODE_ID, "node-a", GatewayOption.MAX_CALLS_CLUSTER, "3000"), null, env());

        assertEquals("redis://10.0.0.5:6379/2", config.redisUrl().orElseThrow().toString());
        assertEquals("node-a", config.nodeId());
        assertEquals(3000, config.maxCallsCluster());
    }

    @Test
    void shouldBeASingleNodeWithoutARedisUrl() {
        final GatewayConfig config = GatewayConfig.load(flags(), null, env());

        assertTrue(config.redisUrl().isEmpty());
        assertEquals(0, config.maxCallsCluster());
        assertTrue(config.nodeId().matches("[A-Za-z0-9._-]{1,64}"), config.nodeId());
    }

    @Test
    void shouldRefuseAClusterLimitWithoutRedis() {
        final IllegalArgumentException refused = rejected(flags(GatewayOption.MAX_CALLS_CLUSTER, "10"));

        assertTrue(refused.getMessage().startsWith("--max-calls-cluster: needs --redis-url"), refused.getMessage());
    }

    @Test
    void shouldRefuseARedisUrlWithoutAPortOrSchemeAndABadNodeIdWithoutEchoingIt() {
        assertFalse(rejected(flags(GatewayOption.REDIS_URL, "redis://user:secret@10.0.0.5")).getMessage()
            .contains("secret"), "the password is never echoed");
        assertTrue(rejected(flags(GatewayOption.REDIS_URL, "http://10.0.0.5:6379")).getMessage().startsWith("--redis-url"));
        assertTrue(rejected(flags(GatewayOption.REDIS_URL, "redis://10.0.0.5")).getMessage().startsWith("--redis-url"));
        assertTrue(rejected(flags(GatewayOption.REDIS_URL, "redis://10.0.0.5:6379/x")).getMessage().startsWith("--redis-url"));
        assertTrue(rejected(flags(GatewayOption.NODE_ID, "a b")).getMessage().startsWith("--node-id"));
    }

    @Test
    void shouldTakeARedisUserAndPasswordFromTheUrlAndHideThePasswordWhenPrinted() {
        final GatewayConfig config = GatewayConfig.load(flags(GatewayOption.REDIS_URL, "redis://voxgate:s3cr%40t@10.0.0.5:6379/1"),
            null, env());

        final RedisEndpoint redis = config.redisUrl().orElseThrow();
        assertEquals("voxgate", redis.user());
        assertEquals("s3cr@t", redis.password());
        assertEquals(1, redis.database());
        assertEquals("redis://voxgate:***@10.0.0.5:6379/1", redis.toString());
        assertFalse(config.toString().contains("s3cr"), config.toString());
        assertTrue(config.toString().contains("redis-url=redis://voxgate:***@10.0.0.5:6379/1"), config.toString());
    }

    @Test
    void shouldTakeTheRedisPasswordFromTheEnvironmentAndTlsWithItsCa() throws IOException {
        final Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");
        final GatewayConfig config = GatewayConfig.load(flags(GatewayOption.REDIS_URL, "rediss://voxgate@10.0.0.5:6380",
            GatewayOption.REDIS_TLS_CA, ca.toString()), null, env(Secrets.VOXGATE_REDIS_PASSWORD, "from-env"));

        final RedisEndpoint redis = config.redisUrl().orElseThrow();
        assertTrue(redis.tls());
        assertEquals("from-env", redis.password());
        assertEquals(ca, redis.tlsCa());
        assertEquals("rediss://voxgate:***@10.0.0.5:6380", redis.toString());
        assertFalse(config.toString().contains("from-env"), config.toString());
    }

    @Test
    void shouldRefuseARedisPasswordGivenTwiceOrACaWithoutTls() throws IOException {
        final IllegalArgumentException twice = assertThrows(IllegalArgumentException.class, () -> GatewayConfig.load(
            flags(GatewayOption.REDIS_URL, "redis://:pw-in-url@10.0.0.5:6379"), null, env(Secrets.VOXGATE_REDIS_PASSWORD, "pw-in-env")));
        final Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----\n");

        assertTrue(twice.getMessage().startsWith("--redis-url: a password in the URL and in VOXGATE_REDIS_PASSWORD"),
            twice.getMessage());
        assertFalse(twice.getMessage().contains("pw-in"), twice.getMessage());
        assertTrue(rejected(flags(GatewayOption.REDIS_URL, "redis://10.0.0.5:6379", GatewayOption.REDIS_TLS_CA, ca.toString()))
            .getMessage().startsWith("--redis-url: a TLS CA file is only for rediss://"));
        assertTrue(rejected(flags(GatewayOption.REDIS_TLS_CA, ca.toString())).getMessage().startsWith("--redis-tls-ca: needs"));
    }

    @Test
    void shouldRefuseAnAdminListenerOffLoopbackWithoutTheAdminToken() {
        final IllegalArgumentException refused = rejected(flags(GatewayOption.ADMIN_BIND, "0.0.0.0"));

        assertTrue(refused.getMessage().startsWith("--admin-bind: 0.0.0.0"), refused.getMessage());
        assertTrue(refused.getMessage().contains(Secrets.VOXGATE_ADMIN_TOKEN), refused.getMessage());
    }

    @Test
    void shouldRefuseToRecordWithoutARecordingDirectory() {
        final IllegalArgumentException refused = rejected(flags(GatewayOption.RECORD, "on-request"));

        assertEquals("--record on-request needs --recording-dir DIR", refused.getMessage());
    }

    @Test
    void shouldRecordNothingByDefault() {
        final GatewayConfig config = GatewayConfig.load(flags(), null, env());

        assertEquals(io.voxgate.core.record.RecordMode.NONE, config.record());
        assertTrue(config.recordingDir().isEmpty());
    }

    @Test
    void shouldAcceptAnAdminListenerOffLoopbackWithTheAdminToken() {
        final GatewayConfig config = GatewayConfig.load(flags(GatewayOption.ADMIN_BIND, "0.0.0.0"), null,
            env(Secrets.VOXGATE_ADMIN_TOKEN, "s3cret"));

        assertEquals("0.0.0.0", config.adminBind());
        assertEquals("s3cret", config.secrets().adminToken().orElseThrow());
    }

    @Test
    void shouldAcceptAnAdminListenerOnIpv6LoopbackWithoutAToken() {
        assertEquals("::1", GatewayConfig.load(flags(GatewayOption.ADMIN_BIND, "::1"), null, env()).adminBind());
    }

    @Test
    void shouldTakeTrustedProxyCidrsAndExplainTheOldBooleanForm() {
        final GatewayConfig config = GatewayConfig.load(flags(GatewayOption.TRUST_PROXY, "10.0.0.0/8"), null, Map.of());
        assertTrue(config.trustedProxies().any());
        assertTrue(rejected(flags(GatewayOption.TRUST_PROXY, "true")).getMessage().startsWith("--trust-proxy: takes the CIDRs"));
        assertTrue(rejected(flags(GatewayOption.TRUST_PROXY, "10.0.0.0/40")).getMessage().startsWith("--trust-proxy"));
    }

    @Test
    void shouldUseTheDocumentedDefaults() {
        final GatewayConfig config = GatewayConfig.load(flags(), null, env());
        assertEquals(8080, config.httpPort());
        assertEquals("0.0.0.0", config.bindAddress());
        assertEquals("parrot", config.agent());
        assertEquals(AudioFormat.MULAW_8K, config.agentFormat());
        assertEquals(1000, config.maxCalls());
        assertTrue(config.sipPort().isEmpty());
        assertEquals(10_000, config.rtpPortMin());
        assertEquals(20_000, config.rtpPortMax());
        assertEquals(30, config.mediaTimeoutSeconds());
        assertEquals("https://api.vapi.ai", config.vapiApiUrl().toString());
        assertFalse(config.insecureNoSignature());
    }

    @Test
    void shouldLetFlagsOverrideTheFileWhichOverridesTheEnvironment() throws IOException {
        final Path path = file("http-port = 9000\nmax-calls = 50\n");
        final GatewayConfig config = GatewayConfig.load(flags(GatewayOption.HTTP_PORT, "9100"), path,
            env("VOXGATE_HTTP_PORT", "9200", "VOXGATE_MAX_CALLS", "70", "VOXGATE_AGENT", "echo"));
        assertEquals(9100, config.httpPort());
        assertEquals(50, config.maxCalls());
        assertEquals("echo", config.agent());
        assertEquals("flag --http-port", config.source(GatewayOption.HTTP_PORT));
    }

    @Test
    void shouldReadThePublicUrlFromTheEnvironment() {
        final GatewayConfig config = GatewayConfig.load(flags(), null, env("VOXGATE_PUBLIC_URL", "https://voice.example.com"));
        assertEquals("voice.example.com", config.publicUrl().orElseThrow().getHost());
    }

    @Test
    void shouldNameTheOptionWhenAPortIsOutOfRange() {
        assertTrue(rejected(flags(GatewayOption.HTTP_PORT, "70000")).getMessage().startsWith("--http-port"));
    }

    @Test
    void shouldNameTheOptionWhenANumberIsNotANumber() {
        assertTrue(rejected(flags(GatewayOption.MAX_CALLS, "many")).getMessage().startsWith("--max-calls"));
    }

    @Test
    void shouldRunEpollByDefaultWhereItLoadsAndTheAskedTransportOtherwise() {
        assertEquals(EventLoopTransport.detect(), GatewayConfig.load(flags(), null, env()).ioTransport());
        assertEquals(EventLoopTransport.NIO, GatewayConfig.load(flags(GatewayOption.IO_TRANSPORT, "nio"), null, env()).ioTransport());
        final String message = rejected(flags(GatewayOption.IO_TRANSPORT, "kqueue")).getMessage();
        assertTrue(message.startsWith("--io-transport") && message.contains("auto, epoll, io_uring, nio"), message);
    }

    @Test
    void shouldRefuseIoUringWhereItCannotLoadInsteadOfFallingBack() {
        final Map<GatewayOption, String> ioUring = flags(GatewayOption.IO_TRANSPORT, "io_uring");
        if (IoUring.isAvailable()) {
            assertEquals(EventLoopTransport.IO_URING, GatewayConfig.load(ioUring, null, env()).ioTransport());
        } else {
            final String message = rejected(ioUring).getMessage();
            assertTrue(message.startsWith("--io-transport: io_uring is not available here"), message);
        }
    }

    @Test
    void shouldOfferSrtpOptionallyByDefaultAndTakeRequiredOrOff() {
        assertEquals(SrtpPolicy.OPTIONAL, GatewayConfig.load(flags(), null, env()).srtp());
        assertEquals(SrtpPolicy.REQUIRED, GatewayConfig.load(flags(GatewayOption.SRTP, "required"), null, env()).srtp());
        assertEquals(SrtpPolicy.OFF, GatewayConfig.load(flags(), null, env("VOXGATE_SRTP", "off")).srtp());
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> GatewayConfig.load(flags(GatewayOption.SRTP, "sdes"), null, env()));
        assertTrue(ex.getMessage().startsWith("--srtp: 'sdes' is not one of optional, required, off"), ex.getMessage());
    }

    @Test
    void shouldListTheAllowedAgentsWhenTheAgentIsUnknown() {
        final String message = rejected(flags(GatewayOption.AGENT, "siri")).getMessage();
        assertTrue(message.startsWith("--agent") && message.contains("echo, parrot, vapi"), message);
    }

    @Test
    void shouldRejectAPublicUrlWithAPath() {
        assertTrue(rejected(flags(GatewayOption.PUBLIC_URL, "https://h.example.com/voice")).getMessage().startsWith("--public-url"));
    }

    @Test
    void shouldRejectAnRtpRangeBackwards() {
        assertTrue(rejected(flags(GatewayOption.RTP_PORTS, "20000-10000")).getMessage().startsWith("--rtp-ports"));
    }

    @Test
    void shouldRejectAnRtpRangeWithoutAnEvenOddPair() {
        assertTrue(rejected(flags(GatewayOption.RTP_PORTS, "10001-10002")).getMessage().startsWith("--rtp-ports"));
    }

    @Test
    void shouldRejectAnUnknownTransport() {
        assertTrue(rejected(flags(GatewayOption.SIP_TRANSPORT, "udp,sctp")).getMessage().contains("sctp"));
    }

    @Test
    void shouldRequireCertificateAndKeyForTls() {
        assertTrue(rejected(flags(GatewayOption.SIP_TRANSPORT, "udp,tls")).getMessage().contains("--sip-tls-cert"));
    }

    @Test
    void shouldAcceptCidrsAndTheTwilioPreset() {
        final GatewayConfig config = GatewayConfig.load(flags(GatewayOption.SIP_ALLOW, "10.0.0.0/8, twilio,::1/128"), null, env());
        assertEquals(3, config.sipAllow().size());
    }

    @Test
    void shouldRejectAnAllowEntryWithoutAPrefix() {
        assertTrue(rejected(flags(GatewayOption.SIP_ALLOW, "10.0.0.1")).getMessage().startsWith("--sip-allow"));
    }

    @Test
    void shouldRejectAHostNameWhereAnAddressIsNeeded() {
        assertTrue(rejected(flags(GatewayOption.EXTERNAL_IP, "gw.example.com")).getMessage().startsWith("--external-ip"));
    }

    @Test
    void shouldRejectAnUnknownKeyInTheConfigFile() throws IOException {
        final Path path = file("http-prot = 9000\n");
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> GatewayConfig.load(flags(), path, env()));
        assertTrue(ex.getMessage().contains("http-prot"), ex.getMessage());
    }

    @Test
    void shouldNameTheConfigOptionWhenTheFileIsMissing() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> GatewayConfig.load(flags(), dir.resolve("absent.properties"), env()));
        assertTrue(ex.getMessage().startsWith("--config"), ex.getMessage());
    }

    @Test
    void shouldRefuseToRunWithoutAPublicUrl() {
        final GatewayConfig config = GatewayConfig.load(flags(), null, env("TWILIO_AUTH_TOKEN", "t"));
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, config::requireRunnable);
        assertTrue(ex.getMessage().startsWith("--public-url"), ex.getMessage());
    }

    @Test
    void shouldRefuseToRunWithoutATwilioTokenUnlessSignaturesAreDisabled() {
        final Map<GatewayOption, String> base = flags(GatewayOption.PUBLIC_URL, "https://voice.example.com");
        final GatewayConfig strict = GatewayConfig.load(base, null, env());
        assertTrue(assertThrows(IllegalArgumentException.class, strict::requireRunnable).getMessage().contains("TWILIO_AUTH_TOKEN"));
        base.put(GatewayOption.INSECURE_NO_SIGNATURE, "true");
        GatewayConfig.load(base, null, env()).requireRunnable();
    }

    @Test
    void shouldRefuseTheVapiAgentWithoutAKey() {
        final GatewayConfig config = GatewayConfig.load(flags(GatewayOption.PUBLIC_URL, "https://v.example.com",
            GatewayOption.AGENT, "vapi"), null, env("TWILIO_AUTH_TOKEN", "t"));
        assertTrue(assertThrows(IllegalArgumentException.class, config::requireRunnable).getMessage().contains("VAPI_API_KEY"));
    }

    @Test
    void shouldAcceptAnInlineAssistantFileInsteadOfAnAssistantId() throws IOException {
        final Path assistant = dir.resolve("assistant.json");
        Files.writeString(assistant, "{\"name\":\"support\"}", StandardCharsets.UTF_8);
        final GatewayConfig config = GatewayConfig.load(flags(GatewayOption.PUBLIC_URL, "https://v.example.com",
            GatewayOption.AGENT, "vapi", GatewayOption.VAPI_ASSISTANT_FILE, assistant.toString()), null,
            env("TWILIO_AUTH_TOKEN", "t", "VAPI_API_KEY", "k"));
        config.requireRunnable();
        assertEquals(assistant, config.vapiAssistantFile().orElseThrow());
    }

    @Test
    void shouldRejectAnUnreadableAssistantFile() {
        assertTrue(rejected(flags(GatewayOption.VAPI_ASSISTANT_FILE, dir.resolve("absent.json").toString())).getMessage()
            .startsWith("--vapi-assistant-file"));
    }

    @Test
    void shouldNameTheAllowedWebhookAuthenticationModes() {
        final String message = rejected(flags(GatewayOption.VAPI_WEBHOOK_AUTH, "basic")).getMessage();
        assertTrue(message.contains("bearer, secret-header, hmac"), message);
    }

    @Test
    void shouldNeverPrintSecrets() {
        final GatewayConfig config = GatewayConfig.load(flags(), null,
            env("TWILIO_AUTH_TOKEN", "sekrit-token-123", "VAPI_API_KEY", "sekrit-key-456"));
        assertFalse(config.toString().contains("sekrit"), config.toString());
        assertTrue(config.toString().contains("TWILIO_AUTH_TOKEN=set"), config.toString());
    }

    @Test
    void shouldTakeAHepUrlOfUdpHostAndPortIpv4OrIpv6() {
        assertEquals(new InetSocketAddress("127.0.0.1", 9060),
            GatewayConfig.load(flags(GatewayOption.HEP_URL, "udp://127.0.0.1:9060"), null, env()).hepUrl().orElseThrow());
        assertEquals(new InetSocketAddress("::1", 9060),
            GatewayConfig.load(flags(GatewayOption.HEP_URL, "udp://[::1]:9060"), null, env()).hepUrl().orElseThrow());
    }

    @Test
    void shouldRejectAHepUrlThatIsNotUdpWithAPort() {
        assertTrue(rejected(flags(GatewayOption.HEP_URL, "tcp://127.0.0.1:9060")).getMessage().startsWith("--hep-url: "));
        assertTrue(rejected(flags(GatewayOption.HEP_URL, "udp://127.0.0.1")).getMessage().contains("udp://HOST:PORT"));
    }

    @Test
    void shouldRefuseACdrUrlWithoutItsSigningSecret() {
        final IllegalArgumentException ex = rejected(flags(GatewayOption.CDR_URL, "https://cdr.example.com/records"));
        assertTrue(ex.getMessage().startsWith("--cdr-url: ") && ex.getMessage().contains("VOXGATE_CDR_SECRET"), ex.getMessage());
        assertEquals("https://cdr.example.com/records", GatewayConfig.load(flags(GatewayOption.CDR_URL,
            "https://cdr.example.com/records"), null, env("VOXGATE_CDR_SECRET", "s")).cdrUrl().orElseThrow().toString());
    }

    @Test
    void shouldRefuseAPlainHttpCdrUrlOffLoopback() {
        assertTrue(rejected(flags(GatewayOption.CDR_URL, "http://cdr.example.com/records")).getMessage().contains("https"));
    }

    @Test
    void shouldRefuseToRunAHepCaptureWithoutTheSipEdge() {
        final GatewayConfig twilioOnly = GatewayConfig.load(flags(GatewayOption.PUBLIC_URL, "https://voice.example.com",
            GatewayOption.HEP_URL, "udp://127.0.0.1:9060"), null, env("TWILIO_AUTH_TOKEN", "t"));

        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class, twilioOnly::requireRunnable);

        assertTrue(ex.getMessage().startsWith("--hep-url: ") && ex.getMessage().contains("--sip-port"), ex.getMessage());
        GatewayConfig.load(flags(GatewayOption.SIP_PORT, "5060", GatewayOption.HEP_URL, "udp://127.0.0.1:9060"), null, env())
            .requireRunnable();
    }

    @Test
    void shouldRunSipOnlyWithoutAnyTwilioSetting() {
        final GatewayConfig config = GatewayConfig.load(flags(GatewayOption.SIP_PORT, "5060"), null, env());

        config.requireRunnable();

        assertTrue(config.publicUrl().isEmpty(), "no public URL: no Twilio edge");
    }

    @Test
    void shouldRefuseToRunWithNoEdgeConfigured() {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            GatewayConfig.load(flags(), null, env())::requireRunnable);
        assertTrue(ex.getMessage().startsWith("--public-url or --sip-port: no edge configured"), ex.getMessage());
    }

    @Test
    void shouldReadEachAgentFallback() {
        assertArrayEquals(new String[] {"hangup", ""}, GatewayConfig.load(flags(), null, env()).agentFallback());
        assertArrayEquals(new String[] {"transfer", "tel:+14155550111"},
            GatewayConfig.load(flags(GatewayOption.AGENT_FALLBACK, "transfer:tel:+14155550111"), null, env()).agentFallback());
        assertArrayEquals(new String[] {"agent", "parrot"},
            GatewayConfig.load(flags(GatewayOption.AGENT_FALLBACK, "agent:parrot"), null, env()).agentFallback());
        assertEquals(6_000, GatewayConfig.load(flags(), null, env()).agentReconnectMs());
    }

    @Test
    void shouldRefuseAnUnusableAgentFallback() {
        assertTrue(rejected(flags(GatewayOption.AGENT_FALLBACK, "voicemail")).getMessage().contains("--agent-fallback"));
        assertTrue(rejected(flags(GatewayOption.AGENT_FALLBACK, "transfer:http://x")).getMessage().contains("--agent-fallback"));
        assertTrue(rejected(flags(GatewayOption.AGENT_FALLBACK, "agent:vapi:asst-2")).getMessage().contains("--agent vapi"));
    }
}
