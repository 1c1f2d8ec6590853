package io.github.kafkamailer.testing;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The test TLS material of {@code src/test/resources/tls} (see its README): the server keystore for local HTTPS
 * and SMTPS stand-ins, and clients that trust it. One place, so every stand-in and client agree.
 */
public final class TestTls {
    public static final String PASSWORD = "changeit";

    private TestTls() {
    }

    /** The server keystore (PKCS12, SAN localhost and 127.0.0.1). */
    public static Path serverKeystore() {
        return Path.of("src/test/resources/tls/server.p12").toAbsolutePath();
    }

    /** A trust manager that trusts the test certificate only. */
    public static X509TrustManager trustManager() {
        try (InputStream in = TestTls.class.getResourceAsStream("/tls/truststore.p12")) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509TrustManager");
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the test trust store", e);
        }
    }

    public static SSLContext sslContext(X509TrustManager trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trust}, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sockets that trust the test certificate only. */
    public static SSLSocketFactory socketFactory() {
        return sslContext(trustManager()).getSocketFactory();
    }

    /** A started WireMock server on 127.0.0.1, HTTPS only, with the test certificate, on a free port. */
    public static WireMockServer httpsWireMock() {
        return httpsWireMock(new com.github.tomakehurst.wiremock.extension.Extension[0]);
    }

    /**
     * As {@link #httpsWireMock(com.github.tomakehurst.wiremock.extension.Extension...)}, serving many requests at
     * once: HTTP/1.1 (a connection per request in flight, as from many clients) and enough server threads.
     */
    public static WireMockServer concurrentHttpsWireMock(com.github.tomakehurst.wiremock.extension.Extension... extensions) {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options()
                .extensions(extensions)
                .containerThreads(64)
                .http2TlsDisabled(true)
                .bindAddress("127.0.0.1")
                .httpDisabled(true)
                .dynamicHttpsPort()
                .keystorePath(serverKeystore().toString())
                .keystoreType("PKCS12")
                .keystorePassword(PASSWORD)
                .keyManagerPassword(PASSWORD));
        server.start();
        return server;
    }

    /** As {@link #httpsWireMock()}, with WireMock extensions (e.g. a stateful stand-in as a transformer). */
    public static WireMockServer httpsWireMock(com.github.tomakehurst.wiremock.extension.Extension... extensions) {
        WireMockServer server = new WireMockServer(WireMockConfiguration.options()
                .extensions(extensions)
                .bindAddress("127.0.0.1")
                .httpDisabled(true)
                .dynamicHttpsPort()
                .keystorePath(serverKeystore().toString())
                .keystoreType("PKCS12")
                .keystorePassword(PASSWORD)
                .keyManagerPassword(PASSWORD));
        server.start();
        return server;
    }

    /** A server-side TLS context with the test certificate (SAN localhost and 127.0.0.1). */
    public static SSLContext serverContext() {
        try (InputStream in = java.nio.file.Files.newInputStream(serverKeystore())) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                    javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, PASSWORD.toCharArray());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("cannot load the test keystore", e);
        }
    }
}
