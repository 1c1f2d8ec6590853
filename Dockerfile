# The mailer as a container image:
#   docker build -t kafka-mailer .
#   docker run -p 8080:8080 -e KAFKA_BOOTSTRAP_SERVERS=kafka-1:9092 kafka-mailer
# Not built in CI (no Docker engine there): DockerfileTest reads it and DockerEntrypointIT runs its entrypoint
# line; README.md, "Operating it", says more.

# --- Build stage ---------------------------------------------------------------------------------------------
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
# The dependencies and plugins are resolved in a layer that depends on pom.xml alone: a change to the sources
# rebuilds from here on without downloading them again. /deps gets the jars the mailer runs with.
COPY pom.xml .
RUN mvn -B -ntp -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:go-offline \
 && mvn -B -ntp -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory=/deps
COPY topics topics
COPY src/main src/main
# The plain jar (the mailer's own classes; target/mailer.jar is the same plus every dependency).
RUN mvn -B -ntp -q -Dmaven.test.skip=true package \
 && cp target/kafka-mailer-*.jar /mailer-classes.jar

# --- Runtime stage -------------------------------------------------------------------------------------------
FROM eclipse-temurin:17-jre-noble
# A user of its own, with numeric ids so that an orchestrator can check it is not root (runAsNonRoot). It owns
# only the state directory: the jars and the config are root's, read-only to the process.
RUN groupadd --system --gid 10001 mailer \
 && useradd --system --uid 10001 --gid mailer --home-dir /app --no-create-home --shell /usr/sbin/nologin mailer \
 && mkdir -p /app/state \
 && chown mailer:mailer /app/state
WORKDIR /app
# Dependencies first, in their own layer: it changes only when pom.xml does, so a new version of the mailer
# ships (and pulls) as a small layer of its own classes.
COPY --from=build /deps/ /app/lib/
COPY --from=build /mailer-classes.jar /app/mailer.jar
COPY config/mailer.properties /app/config/mailer.properties
USER 10001:10001
# In a container the HTTP server (/metrics, /health, /ready) must listen on every interface for
# `docker run -p 8080:8080` to reach it; outside a container it binds loopback. A flag or another -e wins.
ENV MAILER_HTTP_BIND=0.0.0.0
# Kafka Streams keeps the pending emails here (RocksDB): mount a volume to keep them across containers.
VOLUME ["/app/state"]
EXPOSE 8080
# The heap takes 60 % of the container's memory limit: RocksDB, metaspace and thread stacks live outside it.
# On OutOfMemoryError the JVM exits at once (its supervisor restarts it; nothing pending is lost) rather than
# limping on. JAVA_OPTS comes after, so `-e JAVA_OPTS=-XX:MaxRAMPercentage=50` overrides. `exec` makes java
# PID 1, which gets docker stop's SIGTERM and shuts down cleanly.
ENTRYPOINT ["sh", "-c", "exec java -XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError $JAVA_OPTS -cp '/app/lib/*:/app/mailer.jar' io.github.kafkamailer.cli.MailerCli \"$@\"", "mailer"]
CMD ["run", "--config", "/app/config/mailer.properties", "--state-dir", "/app/state"]
