package io.github.kafkamailer;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.properties.HasOwner;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependencies point one way: the model knows nothing of Kafka, JSON or mail; transports know nothing of
 * Kafka; the topology sees transports only through their interface; the CLI, HTTP and the demo sit on top.
 */
@AnalyzeClasses(packages = "io.github.kafkamailer", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
    private static final String BASE = "io.github.kafkamailer";

    @ArchTest
    static final ArchRule modelDependsOnNothingOfOurs = noClasses().that().resideInAPackage(BASE + ".model..")
            .should().dependOnClassesThat().resideInAnyPackage(BASE + ".json..", BASE + ".transport..",
                    BASE + ".topology..", BASE + ".failure..", BASE + ".metrics..", BASE + ".app..", BASE + ".cli..",
                    BASE + ".http..", BASE + ".embedded..", BASE + ".sending..", BASE + ".admin..", BASE + ".probe..",
                    BASE + ".console..", BASE + ".template..", "org.apache.kafka..", "jakarta.mail..",
                    "com.fasterxml..", "com.github.mustachejava..");

    /** Templates compile and render from the model alone: the lanes, the CLI and the console use them alike. */
    @ArchTest
    static final ArchRule templatesKnowOnlyTheModel = noClasses().that().resideInAPackage(BASE + ".template..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "jakarta.mail..",
                    BASE + ".json..", BASE + ".transport..", BASE + ".topology..", BASE + ".sending..",
                    BASE + ".app..", BASE + ".cli..", BASE + ".http..", BASE + ".console..", BASE + ".admin..");

    /**
     * The topology is the engine's wiring inside Kafka Streams: only the composition root builds and queries it.
     * What others need of it (topic and store names) is contract, in {@code model}; what it needs of them comes in
     * through interfaces the app fills.
     */
    @ArchTest
    static final ArchRule onlyTheAppDependsOnTheTopology = noClasses().that()
            .resideOutsideOfPackages(BASE + ".app..", BASE + ".topology..")
            .should().dependOnClassesThat().resideInAPackage(BASE + ".topology..");

    /** Production sends through the lanes; senders on the calling thread are test doubles, kept in test sources. */
    @ArchTest
    static final ArchRule productionSendsThroughTheLanesOnly = classes().that()
            .implement(io.github.kafkamailer.sending.SenderFactory.class)
            .should().haveFullyQualifiedName(io.github.kafkamailer.sending.SenderLanes.class.getName());

    /** One configured JSON mapper, in {@code json}: everyone else reads and writes through its readers and writers. */
    @ArchTest
    static final ArchRule onlyTheJsonPackageMakesAMapper = noClasses().that().resideOutsideOfPackage(BASE + ".json..")
            .should().callConstructorWhere(JavaCall.Predicates.target(HasOwner.Predicates.With.owner(
                    JavaClass.Predicates.assignableTo(ObjectMapper.class))))
            .orShould().callMethod(ObjectMapper.class, "copy")
            .because("each mapper of its own drifts from the shared configuration");

    @ArchTest
    static final ArchRule transportsKnowNothingOfKafka = noClasses().that().resideInAPackage(BASE + ".transport..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", BASE + ".topology..",
                    BASE + ".app..", BASE + ".cli..");

    @ArchTest
    static final ArchRule topologySeesOnlyTheTransportInterface = noClasses().that().resideInAPackage(BASE + ".topology..")
            .should().dependOnClassesThat().resideInAnyPackage(BASE + ".transport.smtp..", BASE + ".transport.oauth..",
                    BASE + ".transport.graph..", "jakarta.mail..", BASE + ".app..", BASE + ".cli..", BASE + ".http..");

    /** Failure handling is shared below the topology: classes, kinds, headers, backoff; no Streams, no mail. */
    @ArchTest
    static final ArchRule failureHandlingSitsBelowTransportsAndTopology = noClasses().that()
            .resideInAPackage(BASE + ".failure..")
            .should().dependOnClassesThat().resideInAnyPackage(BASE + ".transport..", BASE + ".topology..",
                    BASE + ".json..", BASE + ".metrics..", "org.apache.kafka.streams..", "jakarta.mail..");

    /** The sending engine drives transports through their interface and knows nothing of Kafka. */
    @ArchTest
    static final ArchRule sendingEngineKnowsNothingOfKafka = noClasses().that().resideInAPackage(BASE + ".sending..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", BASE + ".topology..",
                    BASE + ".transport.smtp..", BASE + ".transport.oauth..", BASE + ".transport.graph..",
                    "jakarta.mail..");

    @ArchTest
    static final ArchRule nothingBelowDependsOnTheTopLayers = noClasses().that().resideInAnyPackage(BASE + ".model..",
                    BASE + ".json..", BASE + ".transport..", BASE + ".sending..", BASE + ".topology..", BASE + ".failure..",
                    BASE + ".metrics..")
            .should().dependOnClassesThat().resideInAnyPackage(BASE + ".app..", BASE + ".cli..", BASE + ".http..",
                    BASE + ".embedded..", BASE + ".console..");

    /** The console is a layer of its own: the composition root mounts it on the HTTP server, not the reverse. */
    @ArchTest
    static final ArchRule consoleSitsBesideTheOtherTopLayers = noClasses().that().resideInAPackage(BASE + ".console..")
            .should().dependOnClassesThat().resideInAnyPackage(BASE + ".app..", BASE + ".cli..", BASE + ".http..",
                    BASE + ".embedded..");

    /** What admins do (CLI and console alike) is a library below them: Kafka clients, no picocli, no HTTP. */
    @ArchTest
    static final ArchRule adminToolsSitBelowTheCliAndTheConsole = noClasses().that().resideInAPackage(BASE + ".admin..")
            .should().dependOnClassesThat().resideInAnyPackage(BASE + ".cli..", BASE + ".http..", BASE + ".console..",
                    BASE + ".app..", BASE + ".embedded..", "picocli..", "org.apache.kafka.streams.processor..",
                    "com.sun.net.httpserver..");

    /**
     * The demo (embedded broker and SMTP server) is left out of the production jar, target/mailer.jar: nothing
     * else may link it, or that jar would fail with a missing class. The CLI's {@code demo} looks it up by name.
     */
    @ArchTest
    static final ArchRule nothingOutsideTheDemoDependsOnIt = noClasses().that()
            .resideOutsideOfPackage(BASE + ".embedded..")
            .should().dependOnClassesThat().resideInAPackage(BASE + ".embedded..");

    /** Nor may anything else use the broker's or GreenMail's classes, which that jar leaves out too. */
    @ArchTest
    static final ArchRule onlyTheDemoUsesTheBrokerAndGreenMail = noClasses().that()
            .resideOutsideOfPackage(BASE + ".embedded..")
            .should().dependOnClassesThat().resideInAnyPackage("kafka..", "scala..", "com.icegreen..",
                    "org.apache.kafka.metadata..", "org.apache.kafka.raft..", "org.apache.kafka.storage..",
                    "org.apache.kafka.coordinator..", "org.apache.kafka.image..", "org.apache.kafka.controller..");

    /** A config test talks to mail servers and identity, never to Kafka. */
    @ArchTest
    static final ArchRule probesKnowNothingOfKafka = noClasses().that().resideInAPackage(BASE + ".probe..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", BASE + ".topology..",
                    BASE + ".admin..", BASE + ".cli..", BASE + ".http..", BASE + ".console..", BASE + ".app..",
                    "picocli..");

    /** The bounce reader sits beside the transports: it reads a mailbox and parses reports, the topology writes. */
    @ArchTest
    static final ArchRule bounceReaderKnowsNothingOfKafka = noClasses().that().resideInAPackage(BASE + ".bounce..")
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", BASE + ".topology..",
                    BASE + ".sending..", BASE + ".admin..", BASE + ".cli..", BASE + ".http..", BASE + ".console..",
                    BASE + ".app..");
}
