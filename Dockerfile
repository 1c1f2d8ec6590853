# The mailer as a container image:
#   docker build -t kafka-mailer .
#   docker run -p 8080:8080 -e KAFKA_BOOTSTRAP_SERVERS=kafka-1:9092 kafka-mailer
#   docker run --rm kafka-mailer send --bootstrap-servers kafka-1:9092 ...     (any CLI command)
# The base images are build arguments: Docker users keep the public defaults below; CI (./run-tests) passes
# Debian images it made with mmdebstrap, and MAVEN_FLAGS=-o with its Maven repository mounted, because no
# registry can be reached there. README.md, "Docker", says more.
ARG BUILD_IMAGE=maven:3.9.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre-noble

# --- Build stage ---------------------------------------------------------------------------------------------
FROM ${BUILD_IMAGE} AS build
# Extra Maven flags: -o (offline, with a repository mounted at /root/.m2), -s settings.xml for a mirror, ...
ARG MAVEN_FLAGS=""
WORKDIR /src
COPY pom.xml .
COPY topics topics
COPY src/main src/main
# target/mailer.jar, the production jar, with the RocksDB natives of Linux only (x86_64, aarch64); not the demo
# jar (mailer.demo.skip). Tests are neither compiled nor run here: ./run-tests runs them, against this image.
RUN mvn -B -ntp $MAVEN_FLAGS -Dmaven.test.skip=true -Dmailer.demo.skip=true -Plinux-natives package

# --- Runtime stage -------------------------------------------------------------------------------------------
FROM ${RUNTIME_IMAGE}
# A user of its own, with numeric ids so that an orchestrator can check it is not root (runAsNonRoot). Written
# straight into /etc/passwd and /etc/group: no useradd needed, so any base with a shell will do (Ubuntu, Debian
# minbase, ...). It owns only the state directory: the jar and the config are root's, read-only to the process.
RUN echo 'mailer:x:10001:' >> /etc/group \
 && echo 'mailer:x:10001:10001:kafka-mailer:/app:/usr/sbin/nologin' >> /etc/passwd \
 && mkdir -p /app/config /app/state \
 && chown 10001:10001 /app/state
WORKDIR /app
COPY --from=build /src/target/mailer.jar /app/mailer.jar
COPY config/mailer.properties /app/config/mailer.properties
USER 10001:10001
# In a container the HTTP server (/metrics, /health, /ready) must listen on every interface for
# `docker run -p 8080:8080` to reach it; outside a container it binds loopback. A flag or another -e wins.
# JAVA_OPTS: extra JVM flags, after the image's own (so they win).
ENV MAILER_HTTP_BIND=0.0.0.0 JAVA_OPTS=""
# Kafka Streams keeps the pending emails here (RocksDB): mount a volume to keep them across containers.
VOLUME ["/app/state"]
EXPOSE 8080
# The heap takes 60 % of the container's memory limit: RocksDB, metaspace and thread stacks live outside it.
# On OutOfMemoryError the JVM exits at once (its supervisor restarts it; nothing pending is lost) rather than
# limping on. JAVA_OPTS comes after, so `-e JAVA_OPTS=-XX:MaxRAMPercentage=50` overrides. `exec` makes java
# PID 1, which gets docker stop's SIGTERM and shuts down cleanly. The arguments are the CLI's: the CMD below,
# or whatever follows the image's name in `docker run`.
ENTRYPOINT ["sh", "-c", "exec java -XX:MaxRAMPercentage=60 -XX:+ExitOnOutOfMemoryError $JAVA_OPTS -cp /app/mailer.jar io.github.kafkamailer.cli.MailerCli \"$@\"", "mailer"]
CMD ["run", "--config", "/app/config/mailer.properties", "--state-dir", "/app/state"]
