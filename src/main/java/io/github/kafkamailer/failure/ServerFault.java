package io.github.kafkamailer.failure;

/**
 * Why a server could not be used at all, when that is what a failure says (rather than something about one email
 * or one recipient). Decided once where the failure is seen, by reply code and exception type, never by message
 * text; the run's failover to a second server ({@code fallbackSmtpHost}, CONTRACT.md) is routed by it alone.
 */
public enum ServerFault {
    /** Could not connect or the connection broke before the server answered: refused, timed out, unknown host. */
    UNREACHABLE(true),
    /** TLS failed: the handshake (implicit TLS or STARTTLS), or a STARTTLS that was required and not offered. */
    TLS(true),
    /** The server answered a 4xx (421 "not available" and the like) to the greeting, HELO/EHLO, STARTTLS or AUTH. */
    BUSY(true),
    /** Microsoft Graph answered 5xx (after the SDK's own retries). */
    SERVER_ERROR(true),
    /**
     * The server refused us for good (a 5xx to the greeting, HELO/EHLO or AUTH: wrong credentials, a client it
     * does not serve), or our credentials could not be had or used (no token, no AUTH offered): a matter of the
     * configuration, which a second server would only hide.
     */
    REFUSED(false);

    private final boolean failsOver;

    ServerFault(boolean failsOver) {
        this.failsOver = failsOver;
    }

    /** True when a run with a fallback server sends through it after this (CONTRACT.md, {@code fallbackSmtpHost}). */
    public boolean failsOver() {
        return failsOver;
    }
}
