package io.github.kafkamailer.transport.smtp;

import io.github.kafkamailer.failure.Causes;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.failure.FailureClass;
import io.github.kafkamailer.failure.ServerFault;
import io.github.kafkamailer.transport.SendOutcome;
import jakarta.mail.Address;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.SendFailedException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/**
 * Classifies what Angus Mail throws, by the SMTP reply code it carries or by the exception's type, never by its
 * text: 4xx and network trouble are transient, 5xx permanent.
 */
final class SmtpFailures {
    private SmtpFailures() {
    }

    /** How long a tenant told to slow down waits at least: its next run, whatever its interval. */
    static final java.time.Duration SLOW_DOWN = java.time.Duration.ZERO;

    /**
     * A failure to connect, start TLS or authenticate: the server can't be used for this run at all.
     *
     * @param lastReply        the server's last reply code on that connection (Angus' {@code getLastReturnCode}),
     *                         -1 or 0 when it never answered
     * @param startTlsRequired the config requires STARTTLS ({@code startTls})
     */
    static SendOutcome.Failed serverUnusable(TransportKind kind, MessagingException e, int lastReply,
                                             boolean startTlsRequired) {
        String what = e instanceof AuthenticationFailedException ? "authentication refused" : "cannot connect";
        return new SendOutcome.Failed(kind, FailureClass.TRANSIENT, what + ": " + describe(e), true, slowDown(e),
                fault(e, lastReply, startTlsRequired));
    }

    /**
     * Why connecting failed, by typed facts: a TLS exception in the chain; else the server's reply code (the last
     * one on the connection, or for a refused AUTH, after which Angus closes the connection, the code its reply
     * starts with): 4xx busy for now, 5xx refused for good, the greeting, HELO/EHLO, STARTTLS or AUTH alike; else
     * a network exception or no reply at all (refused, timed out, unknown host, closed before answering). A
     * connection whose last reply was a success but failed anyway failed a required STARTTLS (Angus' "not
     * offered"); anything else is taken as refused, so that nothing unforeseen moves a run to the fallback.
     */
    static ServerFault fault(MessagingException e, int lastReply, boolean startTlsRequired) {
        if (Causes.has(e, javax.net.ssl.SSLException.class)) {
            return ServerFault.TLS;
        }
        int code = lastReply <= 0 && e instanceof AuthenticationFailedException ? leadingCode(e.getMessage())
                : lastReply;
        if (code >= 400 && code < 500) {
            return ServerFault.BUSY;
        }
        if (code >= 500 || e instanceof AuthenticationFailedException) {
            return ServerFault.REFUSED;
        }
        if (Causes.has(e, IOException.class) || code <= 0) {
            return ServerFault.UNREACHABLE;
        }
        return startTlsRequired ? ServerFault.TLS : ServerFault.REFUSED;
    }

    /** A failure of one message on a working connection. */
    static SendOutcome.Failed ofSend(TransportKind kind, MessagingException e, boolean stillConnected) {
        Integer code = replyCode(e);
        if (code != null) {
            FailureClass c = code >= 500 ? FailureClass.PERMANENT : FailureClass.TRANSIENT;
            return new SendOutcome.Failed(kind, c, describe(e), false, slowDown(e));
        }
        java.time.Duration slow = slowDown(e);
        if (slow != null) {
            return new SendOutcome.Failed(kind, FailureClass.TRANSIENT, describe(e), false, slow);
        }
        if (e instanceof SendFailedException sfe && allRecipientsPermanentlyRefused(sfe)) {
            return new SendOutcome.Failed(kind, FailureClass.PERMANENT, describe(e), false);
        }
        // No reply code: the connection broke (timeout, reset) or something unforeseen; trying again is safe.
        boolean network = Causes.has(e, IOException.class) || !stillConnected;
        return new SendOutcome.Failed(kind, FailureClass.TRANSIENT,
                (network ? "connection lost: " : "") + describe(e), false);
    }

    /**
     * The recipients refused while others were accepted (with {@code mail.smtp.sendpartial}), split by their
     * own RCPT reply code: 5xx for good ({@code address (reply)}, for the status), 4xx for now (bare addresses,
     * retried alone). An address Angus left unsent without a reply of its own (it stopped after a 452 "too
     * many recipients") counts as deferred: nobody is dropped.
     *
     * @param deferredReason the replies of the deferred ones, for a person
     */
    record Refusals(List<String> permanent, List<String> deferred, String deferredReason) {
    }

    static Refusals refusals(SendFailedException e) {
        java.util.Map<String, SMTPAddressFailedException> replies = new java.util.HashMap<>();
        for (Exception x = e.getNextException(); x != null;
             x = x instanceof MessagingException m ? m.getNextException() : null) {
            if (x instanceof SMTPAddressFailedException a && a.getAddress() != null) {
                replies.put(a.getAddress().getAddress().toLowerCase(java.util.Locale.ROOT), a);
            }
        }
        List<String> permanent = new ArrayList<>();
        List<String> deferred = new ArrayList<>();
        StringBuilder reasons = new StringBuilder();
        List<Address> refused = new ArrayList<>();
        if (e.getInvalidAddresses() != null) {
            refused.addAll(List.of(e.getInvalidAddresses()));
        }
        if (e.getValidUnsentAddresses() != null) {
            refused.addAll(List.of(e.getValidUnsentAddresses()));
        }
        for (Address a : refused) {
            String bare = a instanceof jakarta.mail.internet.InternetAddress ia ? ia.getAddress() : a.toString();
            SMTPAddressFailedException reply = replies.get(bare.toLowerCase(java.util.Locale.ROOT));
            if (reply != null && reply.getReturnCode() >= 500) {
                permanent.add(a + " (" + oneLine(reply.getMessage()) + ")");
            } else {
                deferred.add(bare);
                if (reasons.length() > 0) {
                    reasons.append("; ");
                }
                reasons.append(bare).append(": ").append(reply == null ? "not tried by the server"
                        : oneLine(reply.getMessage()));
            }
        }
        return new Refusals(permanent, deferred, reasons.toString());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("[\\r\\n]+", " ");
    }

    /**
     * A reply that asks the sender to slow down rather than refusing this one email: 421 (service not
     * available, closing), 451 with enhanced status 4.7.x (policy, rate) or 4.3.2 (system not accepting), 454
     * 4.7.0 (temporary authentication/rate failure). Read from the typed reply code and the enhanced status code
     * (RFC 3463) that starts the reply text, never from its wording.
     */
    static java.time.Duration slowDown(MessagingException e) {
        for (Exception x = e; x != null; x = x instanceof MessagingException m ? m.getNextException() : null) {
            int code = x instanceof org.eclipse.angus.mail.smtp.SMTPSendFailedException s ? s.getReturnCode()
                    : x instanceof SMTPAddressFailedException a ? a.getReturnCode()
                    : x instanceof SMTPSenderFailedException f ? f.getReturnCode()
                    : leadingCode(x.getMessage());
            String enhanced = enhancedStatus(x.getMessage());
            if (code == 421
                    || code == 451 && enhanced != null && (enhanced.startsWith("4.7.") || enhanced.equals("4.3.2"))
                    || code == 454 && "4.7.0".equals(enhanced)) {
                return SLOW_DOWN;
            }
        }
        return null;
    }

    private static final java.util.regex.Pattern REPLY =
            java.util.regex.Pattern.compile("^\\s*(\\d{3})(?:[ -](\\d\\.\\d{1,3}\\.\\d{1,3}))?");

    private static int leadingCode(String message) {
        java.util.regex.Matcher m = message == null ? null : REPLY.matcher(message);
        return m != null && m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static String enhancedStatus(String message) {
        java.util.regex.Matcher m = message == null ? null : REPLY.matcher(message);
        return m != null && m.find() ? m.group(2) : null;
    }

    /** The reply code of the message-level refusal (MAIL FROM or DATA), if that is what failed. */
    private static Integer replyCode(MessagingException e) {
        for (Exception x = e; x != null; x = x instanceof MessagingException m ? m.getNextException() : null) {
            if (x instanceof SMTPSenderFailedException s) {
                return s.getReturnCode();
            }
            if (x instanceof SMTPSendFailedException s && s.getReturnCode() >= 400) {
                return s.getReturnCode();
            }
        }
        return null;
    }

    /** True when every recipient got a 5xx (a 4xx for any of them may still pass later). */
    private static boolean allRecipientsPermanentlyRefused(SendFailedException e) {
        boolean anyRefusal = false;
        for (Exception x = e.getNextException(); x != null;
             x = x instanceof MessagingException m ? m.getNextException() : null) {
            if (x instanceof SMTPAddressFailedException a) {
                anyRefusal = true;
                if (a.getReturnCode() < 500) {
                    return false;
                }
            }
        }
        Address[] sent = e.getValidSentAddresses();
        return anyRefusal && (sent == null || sent.length == 0);
    }


    /** The exception's own message and those chained behind it: what the server said, for a person. */
    static String describe(MessagingException e) {
        StringBuilder sb = new StringBuilder();
        for (Exception x = e; x != null && sb.length() < 1000;
             x = x instanceof MessagingException m ? m.getNextException() : null) {
            String msg = x.getMessage() == null ? x.getClass().getSimpleName() : x.getMessage().strip();
            if (sb.indexOf(msg) < 0) {
                if (sb.length() > 0) {
                    sb.append("; ");
                }
                sb.append(msg);
            }
        }
        return sb.toString().replaceAll("[\\r\\n]+", " ");
    }
}
