package io.github.kafkamailer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.admin.TenantOverview;
import io.github.kafkamailer.admin.TenantOverviews;
import io.github.kafkamailer.http.ApiGuard;
import io.github.kafkamailer.http.HttpEndpoints;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code pending --token}: sent as the peers' token, never printed; a refusal says how to give one. */
class PendingTokenTest {
    private static final String TOKEN = "peer-token-0123456789abcdef";

    private HttpEndpoints server;
    private String url;

    @BeforeEach
    void start() throws IOException {
        server = new HttpEndpoints("127.0.0.1", 0, () -> "", () -> true, () -> true)
                .apiGuard(new ApiGuard(Optional.of(TOKEN), exchange -> false));
        server.api("/api/pending", exchange -> {
            byte[] body = TenantOverviews.toJson(new TenantOverviews.Answer(
                    List.of(new TenantOverview("acme", 2, 1, 5L, null, null)),
                    List.of(new TenantOverviews.Instance("127.0.0.1:1", true, null)))).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }).start();
        url = "http://127.0.0.1:" + server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MailerCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void shouldSendTheTokenAndNeverPrintIt() {
        Result ok = run("pending", "--url", url, "--token", TOKEN);
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).containsPattern("acme\\s+2\\s+1\\s+5 s").doesNotContain(TOKEN);
        assertThat(ok.err()).doesNotContain(TOKEN);
    }

    @Test
    void shouldSayHowToGiveATokenWhenRefused() {
        String wrong = "wrong-token-0123456789abcdef";
        Result refused = run("pending", "--url", url, "--token", wrong);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("HTTP 401").contains("--token").contains("MAILER_HTTP_PEER_TOKEN")
                .doesNotContain(wrong);
        assertThat(refused.out()).doesNotContain(wrong);
        if (System.getenv("MAILER_HTTP_PEER_TOKEN") == null && System.getenv("MAILER_ADMIN_PASSWORD") == null) {
            Result none = run("pending", "--url", url);
            assertThat(none.code()).isEqualTo(1);
            assertThat(none.err()).contains("without a token (HTTP 401)");
        }
    }

    @Test
    void shouldTakeTheFlagThenThePeersVariableThenTheAdminPassword() {
        Map<String, String> env = Map.of("MAILER_HTTP_PEER_TOKEN", "from-env-0123456789", "MAILER_ADMIN_PASSWORD", "pw");
        assertThat(PendingCommand.token("from-flag-0123456789", env)).contains("from-flag-0123456789");
        assertThat(PendingCommand.token(null, env)).contains("from-env-0123456789");
        assertThat(PendingCommand.token(null, Map.of("MAILER_ADMIN_PASSWORD", "pw")))
                .contains(ApiGuard.tokenFromPassword("pw"));
        assertThat(PendingCommand.token(null, Map.of())).isEmpty();
    }
}
