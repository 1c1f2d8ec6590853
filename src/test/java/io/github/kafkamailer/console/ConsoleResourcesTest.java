package io.github.kafkamailer.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's pages and scripts take every path from the server (mailer.console.base.path), so the console can
 * live under any base path: none of them names the default one.
 */
class ConsoleResourcesTest {
    private static final Path RESOURCES = Path.of("src", "main", "resources", "console");

    @Test
    void shouldNotHardCodeTheDefaultBasePathInAnyPageOrScript() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(RESOURCES)) {
            files = s.filter(f -> f.toString().matches(".*\\.(js|html|css)")).sorted().toList();
        }
        assertThat(files).extracting(f -> f.getFileName().toString()).contains("api.js", "app.html", "login.html");
        for (Path f : files) {
            List<String> lines = Files.readAllLines(f);
            for (int i = 0; i < lines.size(); i++) {
                assertThat(lines.get(i)).as("%s line %d names the console's path: take it from the server",
                        f.getFileName(), i + 1).doesNotContain(ConsoleSettings.DEFAULT_BASE_PATH);
            }
        }
    }

    @Test
    void shouldLetTheServerFillInTheBasePathOfEveryPage() throws IOException {
        for (String page : List.of("app.html", "login.html")) {
            String html = Files.readString(RESOURCES.resolve(page));
            assertThat(html).as(page).contains("<meta name=\"console-base\" content=\"" + AdminConsole.BASE_PLACEHOLDER
                    + "\">");
            assertThat(html.lines().filter(l -> l.matches(".*(src|href)=\"/.*"))).as(page + ": absolute links")
                    .isEmpty();
        }
    }
}
