package io.github.kafkamailer.transport.graph;

import io.github.kafkamailer.model.MailerConfig;
import io.github.kafkamailer.transport.oauth.TokenSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A token source that hands out {@code token-1}, {@code token-2}, ... (valid for an hour), one per call, and
 * counts the calls: whatever reuse there is comes from the Graph transport, not from here.
 */
final class CountingTokenSource implements TokenSource {
    final AtomicInteger calls = new AtomicInteger();
    final AtomicInteger invalidations = new AtomicInteger();
    final List<String> scopes = new CopyOnWriteArrayList<>();
    volatile TokenException failure;

    @Override
    public AccessToken token(MailerConfig config, String scope) {
        scopes.add(scope);
        int n = calls.incrementAndGet();
        if (failure != null) {
            throw failure;
        }
        return new AccessToken("token-" + n, Instant.now().plus(Duration.ofHours(1)));
    }

    @Override
    public void invalidate(MailerConfig config, String scope) {
        invalidations.incrementAndGet();
    }
}
