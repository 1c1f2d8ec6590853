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
 * The image's recipe, read: base images as build arguments with pinned public defaults, the production jar built
 * without go-offline, a non-root user made without useradd, the JVM flags a container needs, and an HTTP server
 * reachable through {@code docker run -p 8080:8080}. ImageIT runs the image itself where podman runs.
 */
class DockerfileTest {
    @Test
    void shouldTakeItsBaseImagesFromBuildArgumentsWithPinnedPublicDefaults() {
        assertThat(Dockerfile.globalArgs())
                .containsEntry("BUILD_IMAGE", "maven:3.9.9-eclipse-temurin-17")
                .containsEntry("RUNTIME_IMAGE", "eclipse-temurin:17-jre-noble");
        assertThat(Dockerfile.stage("build").from()).isEqualTo("${BUILD_IMAGE}");
        assertThat(Dockerfile.runtime().from()).isEqualTo("${RUNTIME_IMAGE}");
        for (Dockerfile.Stage stage : Dockerfile.stages()) {
            assertThat(stage.image()).as("FROM of stage " + stage.name() + " with the defaults")
                    .matches("[a-z0-9./_-]+:[A-Za-z0-9._-]+").doesNotEndWith(":latest");
        }
    }

    @Test
    void shouldBuildTheProductionJarWithMavenFlagsOfTheCallersAndCopyOnlyIt() {
        Dockerfile.Stage build = Dockerfile.stage("build");
        assertThat(build.all("ARG")).extracting(Dockerfile.Instruction::arguments).contains("MAVEN_FLAGS=\"\"");
        String mvn = build.last("RUN").arguments();
        // No go-offline (it can't resolve every artifact); MAVEN_FLAGS=-o builds from a mounted repository.
        assertThat(mvn).startsWith("mvn -B -ntp $MAVEN_FLAGS ").contains(" -Dmaven.test.skip=true ")
                .contains(" -Plinux-natives ").endsWith(" package").doesNotContain("go-offline").doesNotContain("dependency:");
        assertThat(build.indexOf("COPY", "pom.xml ")).isLessThan(build.indexOf("RUN", "mvn "));
        assertThat(build.indexOf("COPY", "src/main ")).isLessThan(build.indexOf("RUN", "mvn "));

        // The runtime holds the jar and the default config, nothing else of the build.
        assertThat(Dockerfile.runtime().all("COPY")).extracting(Dockerfile.Instruction::arguments).containsExactly(
                "--from=build /src/target/mailer.jar /app/mailer.jar",
                "config/mailer.properties /app/config/mailer.properties");
    }

    @Test
    void shouldRunAsAnUnprivilegedUserThatOwnsOnlyTheStateDirectory() {
        Dockerfile.Stage runtime = Dockerfile.runtime();
        String user = runtime.last("USER").arguments();
        // Numeric, so that an orchestrator can tell it is not root without reading /etc/passwd.
        assertThat(user).matches("\\d+:\\d+");
        String uid = user.split(":")[0];
        String gid = user.split(":")[1];
        assertThat(Integer.parseInt(uid)).isPositive();
        String setup = runtime.all("RUN").stream().map(Dockerfile.Instruction::arguments).reduce("", String::concat);
        // Written into /etc/passwd and /etc/group: any base with a shell will do (Debian minbase, Ubuntu, ...).
        assertThat(setup).contains("'mailer:x:" + gid + ":' >> /etc/group")
                .contains("'mailer:x:" + uid + ":" + gid + ":").contains(">> /etc/passwd")
                .contains("chown " + uid + ":" + gid + " /app/state")
                .doesNotContain("useradd").doesNotContain("groupadd").doesNotContain("adduser");
        // Nothing runs as root after the switch, and the files copied in stay root's (no --chown).
        int userAt = runtime.indexOf("USER", user);
        assertThat(runtime.instructions().subList(userAt, runtime.instructions().size()))
                .noneMatch(i -> i.keyword().equals("RUN") || i.keyword().equals("USER") && !i.arguments().equals(user));
        assertThat(runtime.all("COPY")).noneMatch(i -> i.arguments().contains("--chown"));
    }

    @Test
    void shouldStartJavaAsPidOneWithTheContainerFlagsAndLetJavaOptsOverrideThem() throws ReflectiveOperationException {
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
        // The CLI's main class, from the one jar the image holds.
        Matcher main = Pattern.compile(" -cp /app/mailer\\.jar ([\\w.]+) ").matcher(command);
        assertThat(main.find()).as("-cp /app/mailer.jar MAIN").isTrue();
        assertThat(Class.forName(main.group(1)).getMethod("main", String[].class)).isNotNull();
        assertThat(Dockerfile.runtime().env()).containsKey("JAVA_OPTS");
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
