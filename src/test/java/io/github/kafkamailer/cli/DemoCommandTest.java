package io.github.kafkamailer.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintStream;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * {@code mailer demo} finds the demo by name, as the production jar (which leaves it out) needs; PackagingIT
 * runs that jar's {@code demo} for real.
 */
class DemoCommandTest {
    @Test
    void shouldSayWhereTheDemoIsWhenThisJarHasNone() {
        assertThatThrownBy(() -> new DemoCommand("io.github.kafkamailer.embedded.NoSuchDemo").call())
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("the demo is not in this jar: run ./mailer demo, or java -jar target/mailer-demo.jar demo");
    }

    @Test
    void shouldFindTheDemosEntryPointByTheNameItLooksFor() throws Exception {
        var run = Class.forName(DemoCommand.DEMO_CLASS)
                .getMethod("runUntilStopped", Path.class, int.class, int.class, PrintStream.class);
        assertThat(Modifier.isStatic(run.getModifiers())).isTrue();
    }
}
