# The mailer as a container image. Not built in CI (no Docker engine there); see README.md, "Operating it".
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
COPY topics topics
COPY src/main src/main
RUN mvn -B -ntp -DskipTests package

FROM eclipse-temurin:17-jre
WORKDIR /app
COPY --from=build /src/target/mailer.jar /app/mailer.jar
COPY config/mailer.properties /app/config/mailer.properties
RUN mkdir -p /app/state
EXPOSE 8080
ENTRYPOINT ["java", "-jar", "/app/mailer.jar"]
CMD ["run", "--config", "/app/config/mailer.properties"]
