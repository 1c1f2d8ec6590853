package io.github.kafkamailer.sending;

import io.github.kafkamailer.model.MailerConfig;
import java.util.function.Consumer;

/** Opens the senders of one tenant's run. */
public interface SenderFactory {
    /**
     * @param sessions how many sessions (connections) to send over in parallel, at least 1
     * @param results  where each job's result goes; called from sender threads, must be thread-safe and quick
     */
    TenantSender open(String tenant, MailerConfig config, int sessions, Consumer<SendResult> results);
}
