package io.github.kafkamailer.bounce;

/** A bounce mailbox could not be read: refused, timed out, TLS or sign-in failed. The message holds no secret. */
public final class MailboxUnreachableException extends Exception {
    public MailboxUnreachableException(String message) {
        super(message);
    }
}
