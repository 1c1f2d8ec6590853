package io.github.kafkamailer.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BenchOptionsTest {
    @Test
    void shouldRunThePooledServicesAfterTheMailerByDefault() {
        assertThat(BenchOptions.parse(new String[0]).only()).containsExactly(Contender.MAILER_1, Contender.MAILER_4,
                Contender.POOLED_1, Contender.POOLED_4, Contender.LIMIT_1, Contender.LIMIT_4, Contender.NAIVE);
    }

    @Test
    void shouldChooseThePooledServicesByNameOrShortNameInTheDocumentedOrder() {
        BenchOptions o = BenchOptions.parse(new String[] {"--only", "p4,pooled-1,M4"});
        assertThat(o.only()).containsExactly(Contender.MAILER_4, Contender.POOLED_1, Contender.POOLED_4);
        assertThat(Contender.POOLED_4.connections).isEqualTo(4);
        assertThat(Contender.POOLED_1.readsKafka).isTrue();
    }

    @Test
    void shouldDescribeThePooledServicesInTheHelp() {
        assertThat(BenchOptions.USAGE).contains("POOLED-1, POOLED-4").contains("P1, P4");
    }

    @Test
    void shouldTakeTheNormalBacklogOfThePriorityScenario() {
        assertThat(BenchOptions.parse(new String[0]).priority()).isZero();
        assertThat(BenchOptions.parse(new String[] {"--priority", "20,000"}).priority()).isEqualTo(20_000);
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--priority"}))
                .hasMessageContaining("--priority needs a value");
        assertThat(BenchOptions.USAGE).contains("--priority N").contains("HIGH");
    }

    @Test
    void shouldTakeTheTemplatedComparison() {
        assertThat(BenchOptions.parse(new String[0]).template()).isFalse();
        assertThat(BenchOptions.parse(new String[] {"--template", "--emails", "500"}).template()).isTrue();
        assertThat(BenchOptions.USAGE).contains("--template");
    }

    @Test
    void takesProcessSettingsOfTheMailerRuns() {
        assertThat(BenchOptions.parse(new String[0]).mailerProperties()).isEmpty();
        assertThat(BenchOptions.parse(new String[] {"--mailer-property", "num.stream.threads=2",
                "--mailer-property", "mailer.batch.size=100"}).mailerProperties())
                .containsExactly("num.stream.threads=2", "mailer.batch.size=100");
        assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--mailer-property", "no-equals"}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KEY=VALUE");
    }
}
