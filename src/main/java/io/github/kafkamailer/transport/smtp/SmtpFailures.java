package io.github.kafkamailer.transport.smtp;

import io.github.kafkamailer.failure.Causes;
import io.github.kafkamailer.model.TransportKind;
import io.github.kafkamailer.failure.FailureClass;
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

    /** A failure to connect, start TLS or authenticate: the server can't be used for this run at all. */
    static SendOutcome.Failed serverUnusable(TransportKind kind, MessagingException e) {
        String what = e instanceof AuthenticationFailedException ? "authentication refused" : "cannot connect";
        return new SendOutcome.Failed(kind, FailureClass.TRANSIENT, what + ": " + describe(e), true);
    }

    /** A failure of one message on a working connection. */
    static SendOutcome.Failed ofSend(TransportKind kind, MessagingException e, boolean stillConnected) {
        Integer code = replyCode(e);
        if (code != null) {
            FailureClass c = code >= 500 ? FailureClass.PERMANENT : FailureClass.TRANSIENT;
            return new SendOutcome.Failed(kind, c, describe(e), false);
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
     * The recipients the server refused while accepting others (with {@code mail.smtp.sendpartial}), as
     * {@code address (reply)} strings for the status event.
     */
    static List<String> refusedRecipients(SendFailedException e) {
        List<String> out = new ArrayList<>();
        addAll(out, e.getInvalidAddresses());
        addAll(out, e.getValidUnsentAddresses());
        return out;
    }

    private static void addAll(List<String> out, Address[] addresses) {
        if (addresses != null) {
            for (Address a : addresses) {
                out.add(a.toString());
            }
        }
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
