package io.github.kafkamailer.probe;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLSession;

/** The server certificate as a person wants it: who it is for, who issued it, and when it expires. */
final class Certificates {
    private Certificates() {
    }

    static String describe(SSLSession session, Clock clock) {
        String proto = session.getProtocol() + " " + session.getCipherSuite();
        Certificate[] chain;
        try {
            chain = session.getPeerCertificates();
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return proto + "; no server certificate";
        }
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate cert)) {
            return proto;
        }
        Instant expires = cert.getNotAfter().toInstant();
        long days = Duration.between(clock.instant(), expires).toDays();
        return proto + "; certificate " + cert.getSubjectX500Principal().getName() + ", issued by "
                + cert.getIssuerX500Principal().getName() + ", expires " + expires
                + (days < 0 ? " (EXPIRED)" : " (in " + days + " days)");
    }
}
