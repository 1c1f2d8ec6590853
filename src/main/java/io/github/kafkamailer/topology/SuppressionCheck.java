package io.github.kafkamailer.topology;

import io.github.kafkamailer.json.EmailEventJson;
import io.github.kafkamailer.json.SuppressionJson;
import io.github.kafkamailer.model.Addresses;
import io.github.kafkamailer.model.EmailEvent;
import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.model.Suppression;
import io.github.kafkamailer.sending.SendJob;
import io.github.kafkamailer.sending.TenantRun.RunStats;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leaves suppressed recipients out of an email at the moment it is handed to a sender, on the stream thread, from
 * the suppressions table (CONTRACT.md, "Suppression record"). Beside the transports, not inside them: what a
 * sender gets is already narrowed.
 *
 * <p>Each recipient (to, cc, bcc; or, for a retry, those still to send to) is looked up as
 * {@link Suppression#normalize}d. An email with none left is settled here, as done: status {@code SUPPRESSED}, no
 * retry, no dead letter, never sent later under the same (tenant, id). An email with some left goes to those
 * only, and its {@code SENT} names the others.
 *
 * <p>A tenant with no suppression at all costs one seek: only then is the email read on the stream thread.
 */
final class SuppressionCheck {
    private static final Logger LOG = LoggerFactory.getLogger(SuppressionCheck.class);
    private static final StringSerializer KEYS = new StringSerializer();

    private final ReadOnlyKeyValueStore<String, byte[]> table;
    private final OutcomeRecorder recorder;

    /**
     * What the check found.
     *
     * @param sendTo     the recipients to send to; null for every one the email (or its retry) names
     * @param suppressed the recipients left out, normalized; empty when none
     */
    record Verdict(List<String> sendTo, List<String> suppressed) {
        static final Verdict NONE = new Verdict(null, List.of());

        Verdict {
            sendTo = sendTo == null ? null : List.copyOf(sendTo);
            suppressed = List.copyOf(suppressed);
        }

        /** Every recipient is suppressed: nothing is sent. */
        boolean nobodyLeft() {
            return sendTo != null && sendTo.isEmpty();
        }
    }

    SuppressionCheck(ReadOnlyKeyValueStore<String, byte[]> table, OutcomeRecorder recorder) {
        this.table = table;
        this.recorder = recorder;
    }

    /**
     * The job that hands {@code p} to a sender, to its recipients that are not suppressed; null when none is left,
     * and then the email is settled here ({@code SUPPRESSED}).
     */
    SendJob jobFor(String storeKey, PendingEmail p, MailerConfig config, RunStats stats, Instant now) {
        Verdict v = check(p);
        if (v.nobodyLeft()) {
            recorder.suppressed(storeKey, p, v.suppressed(), config, stats, now);
            return null;
        }
        return new SendJob(storeKey, p.emailId(), p.value(), p.acceptedAt(),
                v.sendTo() == null ? p.onlyRecipients() : v.sendTo(), leftOut(p.suppressed(), v.suppressed()));
    }

    /** Those an earlier attempt left out (a retry of deferred recipients), then those left out now. */
    private static List<String> leftOut(List<String> before, List<String> now) {
        if (before.isEmpty() || now.isEmpty()) {
            return before.isEmpty() ? now : before;
        }
        java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>(before);
        all.addAll(now);
        return List.copyOf(all);
    }

    Verdict check(PendingEmail p) {
        if (!anyFor(p.tenant())) {
            return Verdict.NONE;
        }
        EmailEvent email;
        try {
            email = EmailEventJson.parse(p.value());
        } catch (RuntimeException e) {
            // Accepted by the intake, so not expected; the sender reads it again and says what is wrong.
            LOG.debug("Email '{}' of tenant '{}' could not be read for the suppression check", p.emailId(),
                    p.tenant());
            return Verdict.NONE;
        }
        boolean bulk = isBulk(email);
        List<String> recipients = p.onlyRecipients() != null ? p.onlyRecipients() : all(email);
        List<String> sendTo = new ArrayList<>();
        List<String> suppressed = new ArrayList<>();
        for (String r : recipients) {
            if (isSuppressed(p.tenant(), r, bulk)) {
                suppressed.add(Suppression.normalize(r));
            } else {
                sendTo.add(Addresses.bareAddress(r));
            }
        }
        return suppressed.isEmpty() ? Verdict.NONE : new Verdict(sendTo, suppressed);
    }

    /**
     * Whether the email is bulk mail its recipients can leave (it carries {@code unsubscribe}): only such emails
     * skip {@code UNSUBSCRIBED} recipients.
     */
    static boolean isBulk(EmailEvent email) {
        return email.unsubscribe() != null;
    }

    private boolean isSuppressed(String tenant, String recipient, boolean bulk) {
        byte[] stored = table.get(Suppression.keyOf(tenant, recipient));
        if (stored == null) {
            return false;
        }
        // Stored only once checked by SuppressionTableProcessor: read back, it parses.
        return SuppressionJson.parse(null, stored).reason().suppresses(bulk);
    }

    /** True when the tenant has at least one suppression: one seek. */
    private boolean anyFor(String tenant) {
        try (KeyValueIterator<String, byte[]> it = table.prefixScan(tenant + "/", KEYS)) {
            return it.hasNext();
        }
    }

    private static List<String> all(EmailEvent email) {
        List<String> out = new ArrayList<>(email.recipientCount());
        out.addAll(email.to());
        out.addAll(email.cc());
        out.addAll(email.bcc());
        return out;
    }
}
