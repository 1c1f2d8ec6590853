package io.github.kafkamailer.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.kafkamailer.app.ProcessSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The image's recipe, read (no Docker engine here): a non-root user, the JVM flags a container needs, the
 * dependencies in a layer of their own, and an HTTP server reachable through {@code docker run -p 8080:8080}.
 */
class DockerfileTest {
    @Test
    void shouldPinEveryBaseImage() {
        for (Dockerfile.Stage stage : Dockerfile.stages()) {
            assertThat(stage.image()).as("FROM of stage " + stage.name())
                    .matches("[a-z0-9./_-]+:[A-Za-z0-9._-]+").doesNotEndWith(":latest");
        }
    }

    @Test
    void shouldRunAsAnUnprivilegedUserThatOwnsOnlyTheStateDirectory() {
        Dockerfile.Stage runtime = Dockerfile.runtime();
        String user = runtime.last("USER").arguments();
        // Numeric, so that an orchestrator can tell it is not root without reading /etc/passwd.
        assertThat(user).matches("\\d+(:\\d+)?");
        String uid = user.split(":")[0];
        assertThat(Integer.parseInt(uid)).isPositive();
        String setup = runtime.all("RUN").stream().map(Dockerfile.Instruction::arguments).reduce("", String::concat);
        assertThat(setup).contains("useradd").contains("--uid " + uid).contains("chown mailer:mailer /app/state");
        // Nothing runs as root after the switch, and the files copied in stay root's (no --chown).
        int userAt = runtime.indexOf("USER", user);
        assertThat(runtime.instructions().subList(userAt, runtime.instructions().size()))
                .noneMatch(i -> i.keyword().equals("RUN") || i.keyword().equals("USER") && !i.arguments().equals(user));
        assertThat(runtime.all("COPY")).noneMatch(i -> i.arguments().contains("--chown"));
    }

    @Test
    void shouldStartJavaAsPidOneWithTheContainerFlagsAndLetJavaOptsOverrideThem() throws IOException {
        List<String> entrypoint = Dockerfile.runtime().last("ENTRYPOINT").execForm();
        assertThat(entrypoint.subList(0, 2)).containsExactly("sh", "-c");
        String command = entrypoint.get(2);
        // exec: java replaces the shell, so docker stop's SIGTERM reaches the JVM and its shutdown hook.
        assertThat(command).startsWith("exec java ");
        Matcher ram = Pattern.compile("-XX:MaxRAMPercentage=(\\d+(?:\\.\\d+)?) ").matcher(command);
        assertThat(ram.find()).as("MaxRAMPercentage set").isTrue();
        // Room outside the heap for RocksDB, metaspace and thread stacks.
        assertThat(Double.parseDouble(ram.group(1))).isBetween(40.0, 75.0);
        assertThat(command).contains(" -XX:+ExitOnOutOfMemoryError ");
        // Later flags win in HotSpot: JAVA_OPTS after the defaults can change them.
        assertThat(command.indexOf("$JAVA_OPTS")).isGreaterThan(command.indexOf("-XX:+ExitOnOutOfMemoryError"));
        // The arguments (CMD or docker run's) reach the CLI one by one, spaces kept.
        assertThat(command).endsWith(" \"$@\"");
        assertThat(entrypoint).hasSize(4);
        String pom = Files.readString(Path.of("pom.xml"));
        Matcher main = Pattern.compile("<mainClass>([^<]+)</mainClass>").matcher(pom);
        assertThat(main.find()).isTrue();
        assertThat(command).contains(" " + main.group(1) + " ");
        // The class path wildcard is java's to expand, not the shell's: quoted.
        assertThat(command).contains("-cp '/app/lib/*:/app/mailer.jar'");
    }

    @Test
    void shouldKeepTheDependenciesInALayerOfTheirOwn() {
        Dockerfile.Stage build = Dockerfile.stage("build");
        int pom = build.indexOf("COPY", "pom.xml ");
        int resolve = build.indexOf("RUN", "mvn ");
        int sources = build.indexOf("COPY", "src/main ");
        assertThat(pom).isNotNegative();
        assertThat(build.instructions().get(resolve).arguments()).contains(":go-offline")
                .contains(":copy-dependencies").contains("-DincludeScope=runtime").contains("-DoutputDirectory=/deps");
        assertThat(pom).isLessThan(resolve);
        assertThat(resolve).isLessThan(sources);

        Dockerfile.Stage runtime = Dockerfile.runtime();
        int deps = runtime.indexOf("COPY", "--from=build /deps/ /app/lib/");
        int classes = runtime.indexOf("COPY", "--from=build /mailer-classes.jar /app/mailer.jar");
        assertThat(deps).as("dependencies copied").isNotNegative();
        assertThat(classes).as("the mailer's classes copied after them").isGreaterThan(deps);
    }

    @Test
    void shouldKeepTheBuildOutputAndLocalStateOutOfTheBuildContext() throws IOException {
        List<String> ignored = Files.readAllLines(Path.of(".dockerignore")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertThat(ignored).contains("target/", "mailer-state/", ".git/");
        // ... but nothing the Dockerfile copies.
        for (Dockerfile.Instruction copy : Dockerfile.stages().stream().flatMap(s -> s.all("COPY").stream()).toList()) {
            String[] words = copy.arguments().split("\\s+");
            if (!words[0].startsWith("--from=")) {
                for (int i = 0; i < words.length - 1; i++) {
                    String source = words[i];
                    assertThat(ignored).as(source).noneMatch(pattern -> source.startsWith(pattern.replace("*", "")));
                }
            }
        }
    }

    @Test
    void shouldListenOnEveryInterfaceInTheContainerOnTheExposedPort() {
        Dockerfile.Stage runtime = Dockerfile.runtime();
        Map<String, String> env = runtime.env();
        assertThat(env).containsEntry("MAILER_HTTP_BIND", "0.0.0.0");
        // The image's default command, with its default config file (every line commented out) and its ENV.
        ProcessSettings settings = ProcessSettings.load(Path.of("config", "mailer.properties"), true, Map.of(), env);
        assertThat(settings.httpBind()).isEqualTo("0.0.0.0");
        assertThat(runtime.all("EXPOSE")).extracting(Dockerfile.Instruction::arguments)
                .containsExactly(String.valueOf(settings.httpPort()));
        List<String> cmd = runtime.last("CMD").execForm();
        assertThat(cmd.get(0)).isEqualTo("run");
        assertThat(cmd.get(cmd.indexOf("--state-dir") + 1)).isEqualTo("/app/state");
        assertThat(runtime.last("VOLUME").execForm()).containsExactly("/app/state");
    }
}
