package io.github.kafkamailer.sending;

import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.transport.MailTransport;
import java.util.List;
import java.util.function.Consumer;

/**
 * Senders that send on the calling thread, one session per run (failing over as {@link SenderLanes} does): for topology tests, where the stream thread's
 * tick should see its outcomes at once. Production uses {@link SenderLanes}.
 */
public final class InlineSenders implements SenderFactory {
    private final MailTransport transport;

    public InlineSenders(MailTransport transport) {
        this.transport = transport;
    }

    @Override
    public TenantSender open(String tenant, MailerConfig config, int sessions, Consumer<SendResult> results) {
        RunFailover servers = new RunFailover(tenant, config, transport);
        return new TenantSender() {
            private RunFailover.Session session;
            private boolean halted;

            @Override
            public void submit(List<SendJob> jobs) {
                for (SendJob job : jobs) {
                    if (halted) {
                        results.accept(SendResult.notAttempted(job));
                        continue;
                    }
                    if (session == null) {
                        session = servers.openSession();
                    }
                    SendResult r = JobSending.send(session, job, config);
                    halted = r.outcome().stopsRun();
                    results.accept(r);
                }
            }

            @Override
            public void halt() {
                halted = true;
            }

            @Override
            public void finish() {
                halted = true;
                if (session != null) {
                    session.close();
                    session = null;
                }
            }
        };
    }
}
