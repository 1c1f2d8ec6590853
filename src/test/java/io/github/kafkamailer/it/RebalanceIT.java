package io.github.kafkamailer.it;

import static io.github.kafkamailer.it.MailerHarness.config;
import static io.github.kafkamailer.it.MailerHarness.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.kafkamailer.app.ProcessSettings;
import io.github.kafkamailer.model.Status;
import io.github.kafkamailer.model.StatusEvent;
import io.github.kafkamailer.smtp.FaultySmtpServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A normal rebalance while emails are in flight sends none of them twice (CONTRACT: duplicates after a crash only):
 * a second instance joins while the first waits for a slow server's replies; the tasks that move hand what they
 * had in flight over to their new owner, which records it instead of sending it again.
 */
class RebalanceIT {
    private static final int PARTITIONS = 4;
    private static final int TENANTS_PER_PARTITION = 2;
    private static final int EMAILS_PER_TENANT = 5;

    @TempDir
    Path dir;

    private final FaultySmtpServer smtp = new FaultySmtpServer().start();
    private final List<MailerHarness> mailers = new ArrayList<>();

    @AfterEach
    void tearDown() {
        mailers.forEach(MailerHarness::close);
        smtp.close();
    }

    /** Tenants whose emails go to every partition of the by-tenant topic, as the producer's partitioner puts them. */
    private static List<String> tenantsOnEveryPartition() {
        List<String> tenants = new ArrayList<>();
        int[] perPartition = new int[PARTITIONS];
        for (int i = 0; tenants.size() < PARTITIONS * TENANTS_PER_PARTITION; i++) {
            String t = "t" + i;
            int p = Utils.toPositive(Utils.murmur2(t.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
            if (perPartition[p] < TENANTS_PER_PARTITION) {
                perPartition[p]++;
                tenants.add(t);
            }
        }
        return tenants;
    }

    private static boolean ownsASendingTask(MailerHarness m) {
        return m.app().streams().metadataForLocalThreads().stream()
                .flatMap(t -> t.activeTasks().stream())
                .anyMatch(t -> t.topicPartitions().stream().anyMatch(tp -> tp.topic().endsWith("-by-tenant-repartition")));
    }

    @Test
    void shouldSendEachEmailOnceWhenTasksMoveWhileItsSendIsInFlight() throws Exception {
        // Each message is taken at once and confirmed 1.5 s later: every tenant has one in flight nearly always.
        smtp.delayDataReply(Duration.ofMillis(1500));
        MailerHarness a = new MailerHarness(dir.resolve("a")).withProperty(ProcessSettings.TOPIC_PARTITIONS,
                Integer.toString(PARTITIONS));
        mailers.add(a);
        List<String> tenants = tenantsOnEveryPartition();
        a.start(); // creates the topics, with their partitions
        for (String t : tenants) {
            a.publishConfig(t, config(smtp.port(), ""));
        }
        List<String> ids = new ArrayList<>();
        for (String t : tenants) {
            for (int i = 0; i < EMAILS_PER_TENANT; i++) {
                String id = t + "-e" + i;
                ids.add(id);
                a.publishEmail(id, email(id, "\"tenant\":\"" + t + "\""));
            }
        }
        MailerHarness.TopicReader statuses = a.reader(a.topics.status());
        await().atMost(90, TimeUnit.SECONDS).until(() -> smtp.receivedCount() >= tenants.size());

        // A second instance joins mid-run: sending tasks move to it while their sends wait for the server.
        MailerHarness b = new MailerHarness(dir.resolve("b"), a).withProperty(ProcessSettings.TOPIC_PARTITIONS,
                Integer.toString(PARTITIONS));
        mailers.add(b);
        b.start();
        await().atMost(120, TimeUnit.SECONDS).until(() -> ownsASendingTask(b));

        await().atMost(180, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(500)).until(() -> statuses.statuses()
                .stream().filter(s -> s.status() == Status.SENT).map(StatusEvent::id).distinct().count() == ids.size());
        // Whatever was going to be sent twice would be by now; the count stays one per email for a while.
        await("one message per email at the server, for 5 s: no email sent a second time")
                .during(5, TimeUnit.SECONDS).atMost(30, TimeUnit.SECONDS)
                .until(() -> smtp.receivedCount() == ids.size());

        Map<String, Long> perSubject = smtp.subjects().stream()
                .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
        assertThat(perSubject).as("messages at the server per email").hasSize(ids.size())
                .allSatisfy((subject, n) -> assertThat(n).as(subject).isEqualTo(1L));
        Map<String, Long> sentPerId = statuses.statuses().stream().filter(s -> s.status() == Status.SENT)
                .collect(Collectors.groupingBy(StatusEvent::id, Collectors.counting()));
        assertThat(sentPerId).hasSize(ids.size()).allSatisfy((id, n) -> assertThat(n).as(id).isEqualTo(1L));
        assertThat(a.fatal).isEmpty();
        assertThat(b.fatal).isEmpty();
    }
}
