package io.voxgate.websocket.twilio.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.voxgate.testkit.twilio.TwilioRequestSigner;
import io.voxgate.websocket.twilio.TwilioEdgeConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioSignaturesTest {

    private static TwilioSignatures signatures(final String publicUrl, final boolean trustProxy) {
        return new TwilioSignatures(TwilioEdgeConfig.builder().publicUrl(publicUrl).authToken("12345")
            .trustForwardedHeaders(trustProxy).build(), "12345");
    }

    private static HttpRequest request(final String uri, final String signature) {
        final HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, uri);
        request.headers().set(TwilioSignatures.HEADER, signature);
        return request;
    }

    /** The vector of Twilio's own SDK tests (protocols.md §2.1). */
    private static Map<String, String> sdkVectorParams() {
        final Map<String, String> params = new LinkedHashMap<>();
        params.put("CallSid", "CA1234567890ABCDE");
        params.put("Caller", "+14158675309");
        params.put("Digits", "1234");
        params.put("From", "+14158675309");
        params.put("To", "+18005551212");
        return params;
    }

    @Test
    void shouldAcceptTwiliosPublishedTestVector() {
        final HttpRequest request = request("/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assertTrue(signatures("https://mycompany.com", false).validWebhook(request, sdkVectorParams()));
    }

    @Test
    void shouldAcceptTheVectorSignedWithPort443() {
        final HttpRequest request = request("/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=");
        assertTrue(signatures("https://mycompany.com", false).validWebhook(request, sdkVectorParams()));
    }

    @Test
    void shouldSignAsTwilioDoes() {
        assertEquals("RSOYDt4T1cUTdK1PDd93/VVr8B8=",
            new TwilioRequestSigner("12345").sign("https://mycompany.com/myapp.php?foo=1&bar=2", sdkVectorParams()));
    }

    @Test
    void shouldRejectTheVectorWhenAParameterChanged() {
        final Map<String, String> params = sdkVectorParams();
        params.put("Digits", "1235");
        assertFalse(signatures("https://mycompany.com", false).validWebhook(request("/myapp.php?foo=1&bar=2",
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="), params));
    }

    @Test
    void shouldIgnoreForwardedHeadersUnlessTrusted() {
        final HttpRequest request = request("/voice/inbound", "x");
        request.headers().set("X-Forwarded-Host", "evil.example.com").set("X-Forwarded-Proto", "http");
        assertEquals("https://gw.example.com/voice/inbound", signatures("https://gw.example.com", false).requestUrl(request, false));
        assertEquals("http://evil.example.com/voice/inbound", signatures("https://gw.example.com", true).requestUrl(request, false));
    }

    @Test
    void shouldTakeTheFirstForwardedValueBehindChainedProxies() {
        final HttpRequest request = request("/media/CA1", "x");
        request.headers().set("X-Forwarded-Host", "edge.example.com, inner.local").set("X-Forwarded-Proto", "https, http");
        assertEquals("wss://edge.example.com/media/CA1", signatures("https://gw.example.com", true).requestUrl(request, true));
    }

    @Test
    void shouldCheckTheUpgradeOverTheWssUrl() {
        final TwilioSignatures sigs = signatures("https://gw.example.com", false);
        final TwilioRequestSigner signer = new TwilioRequestSigner("12345");
        final HttpRequest request = request("/media/CA1", "unused");
        assertTrue(sigs.validUpgrade(request, signer.sign("wss://gw.example.com/media/CA1", Map.of())));
        assertTrue(sigs.validUpgrade(request, signer.sign("wss://gw.example.com:443/media/CA1/", Map.of())));
        assertFalse(sigs.validUpgrade(request, signer.sign("https://gw.example.com/media/CA1", Map.of())));
        assertFalse(sigs.validUpgrade(request, signer.sign("wss://gw.example.com/media/CA2", Map.of())));
    }

    @Test
    void shouldKeepAnExplicitPublicPortInTheUpgradeUrl() {
        final TwilioSignatures sigs = signatures("https://gw.example.com:8443", false);
        final TwilioRequestSigner signer = new TwilioRequestSigner("12345");
        assertTrue(sigs.validUpgrade(request("/media/CA1", "unused"), signer.sign("wss://gw.example.com:8443/media/CA1", Map.of())));
    }
}
