package io.github.kafkamailer.model;

/** Why a recipient is suppressed (CONTRACT.md, "Suppression record"). */
public enum SuppressionReason {
    /** The recipient left through an unsubscribe link: only emails that carry {@code unsubscribe} skip them. */
    UNSUBSCRIBED,
    BOUNCED,
    COMPLAINED,
    MANUAL;

    /** True when this reason keeps an email from the recipient; {@code bulk}: the email carries unsubscribe. */
    public boolean suppresses(boolean bulk) {
        return this != UNSUBSCRIBED || bulk;
    }
}
