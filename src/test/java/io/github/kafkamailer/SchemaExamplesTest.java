package io.github.kafkamailer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.ValidationMessage;
import io.github.kafkamailer.model.TopicNames;
import io.github.kafkamailer.testing.TopicSchemas;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps README.md's JSON examples and the schemas in {@code topics/} honest with each other.
 *
 * <p>An example in README.md is a fenced {@code ```json} block whose opening fence is on the line right after a
 * marker comment naming its schema:
 *
 * <pre>
 * &lt;!-- example: email-event --&gt;
 * ```json
 * {"id": "...", ...}
 * ```
 * </pre>
 *
 * The names are {@code email-event}, {@code config-record}, {@code status-event} and {@code template-record}, for
 * {@code topics/NAME.schema.json}. Every marked block must be valid, README.md must have at least one for each
 * schema, and a marker that names no schema or marks no {@code ```json} block is an error. Unmarked blocks are
 * not checked (fragments, invalid examples on purpose).
 *
 * <p>The contract twin, docs/CONTRACT.md, needs no markers: each of its {@code ```json} blocks is checked against
 * the schema of the section it stands in ("Email event", "Template record", ...). The JSON files in
 * {@code examples/} are checked too, and the producers there must name the example template and every variable
 * it uses. Each schema's {@code $id} is the raw URL of its own file in the repository named by pom.xml's
 * {@code <url>}, so that a producer who meets the {@code $id} finds the file.
 *
 * <p>The second half feeds the schemas invalid documents, each a valid one with a single thing broken, so a
 * schema that accepts everything can't pass for a good one.
 */
class SchemaExamplesTest {

    static final List<String> SCHEMAS = List.of("email-event", "config-record", "status-event", "template-record");

    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*example:\\s*(\\S*)\\s*-->\\s*$");
    private static final Pattern OPENING_FENCE = Pattern.compile("^\\s*```\\s*json\\s*$");
    private static final Pattern CLOSING_FENCE = Pattern.compile("^\\s*```\\s*$");

    private static final ObjectMapper JSON = TopicSchemas.JSON;
    private static final JsonSchemaFactory FACTORY = TopicSchemas.FACTORY;
    private static final SchemaValidatorsConfig CONFIG = TopicSchemas.CONFIG;

    static Path projectRoot() {
        return TopicSchemas.projectRoot();
    }

    static Path schemaFile(String name) {
        return TopicSchemas.file(name);
    }

    static List<String> problems(String schemaName, JsonNode document) {
        return TopicSchemas.problems(schemaName, document);
    }

    // ---------------------------------------------------------------- README.md examples

    /** A marked block of README.md; {@code line} is the 1-based line of its opening fence. */
    record Example(String schema, int line, String json) {
    }

    /** What README.md's markers yield: the examples, and the markers that are wrong. */
    record Readme(List<Example> examples, List<String> markerErrors) {
    }

    static Readme readReadme() throws IOException {
        Path readme = projectRoot().resolve("README.md");
        assertThat(readme).as("README.md at the project root, whose JSON examples are checked").isRegularFile();
        List<String> lines = Files.readAllLines(readme, StandardCharsets.UTF_8);
        List<Example> examples = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher marker = MARKER.matcher(lines.get(i));
            if (!marker.matches()) {
                continue;
            }
            String name = marker.group(1);
            int markerLine = i + 1;
            if (!SCHEMAS.contains(name)) {
                errors.add("README.md:" + markerLine + ": marker names '" + name + "', not one of " + SCHEMAS);
                continue;
            }
            if (i + 1 >= lines.size() || !OPENING_FENCE.matcher(lines.get(i + 1)).matches()) {
                errors.add("README.md:" + markerLine + ": marker '" + name
                        + "' is not followed, on the very next line, by a ```json fence");
                continue;
            }
            int close = i + 2;
            while (close < lines.size() && !CLOSING_FENCE.matcher(lines.get(close)).matches()) {
                close++;
            }
            if (close >= lines.size()) {
                errors.add("README.md:" + (i + 2) + ": the ```json block of marker '" + name + "' is never closed");
                break;
            }
            examples.add(new Example(name, i + 2, String.join("\n", lines.subList(i + 2, close))));
            i = close;
        }
        return new Readme(examples, errors);
    }

    @TestFactory
    Stream<DynamicTest> everyMarkedReadmeExampleIsValid() throws IOException {
        Readme readme = readReadme();
        Stream<DynamicTest> markers = readme.markerErrors().stream()
                .map(error -> DynamicTest.dynamicTest(error, () -> fail(error)));
        Stream<DynamicTest> examples = readme.examples().stream().map(example -> DynamicTest.dynamicTest(
                example.schema() + " example at README.md:" + example.line(), () -> {
                    JsonNode document;
                    try {
                        document = JSON.readTree(example.json());
                    } catch (JsonProcessingException e) {
                        throw new AssertionError("README.md:" + example.line() + ": the " + example.schema()
                                + " example is not JSON: " + e.getOriginalMessage(), e);
                    }
                    assertThat(problems(example.schema(), document))
                            .as("README.md:%d: the %s example against topics/%s.schema.json",
                                    example.line(), example.schema(), example.schema())
                            .isEmpty();
                }));
        return Stream.concat(markers, examples);
    }

    @Test
    void readmeHasAnExampleForEverySchema() throws IOException {
        Set<String> covered = readReadme().examples().stream().map(Example::schema)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(covered)
                .as("schemas with at least one README.md example (marker line '<!-- example: NAME -->' "
                        + "right before a ```json fence)")
                .containsExactlyInAnyOrderElementsOf(SCHEMAS);
    }

    // ---------------------------------------------------------------- the schemas themselves

    static Stream<String> schemaNames() {
        return SCHEMAS.stream();
    }

    @ParameterizedTest
    @MethodSource("schemaNames")
    void schemaIsAValidDraft202012Schema(String name) throws IOException {
        JsonSchema metaSchema = FACTORY.getSchema(
                SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"), CONFIG);
        JsonNode schemaDocument = JSON.readTree(schemaFile(name).toFile());
        assertThat(metaSchema.validate(schemaDocument).stream().map(ValidationMessage::getMessage))
                .as("topics/%s.schema.json against the draft 2020-12 meta-schema", name)
                .isEmpty();
        assertThat(schemaDocument.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(schemaDocument.path("$id").asText()).endsWith("/" + name + ".schema.json");
    }

    @Test
    void everySchemaInTopicsIsChecked() throws IOException {
        try (Stream<Path> files = Files.list(projectRoot().resolve("topics"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".schema.json"))
                    .map(f -> f.substring(0, f.length() - ".schema.json".length())))
                    .as("topics/*.schema.json and the schemas this test checks (SCHEMAS)")
                    .containsExactlyInAnyOrderElementsOf(SCHEMAS);
        }
    }

    /** The raw-file address of the repository's main branch, from pom.xml's {@code <url>} (a GitHub repository). */
    static String rawBase() throws IOException {
        String pom = Files.readString(projectRoot().resolve("pom.xml"), StandardCharsets.UTF_8);
        Matcher url = Pattern.compile("(?m)^  <url>https://github\\.com/([^/<]+)/([^/<]+)</url>$").matcher(pom);
        assertThat(url.find()).as("pom.xml names the project's GitHub repository in <url>").isTrue();
        return "https://raw.githubusercontent.com/" + url.group(1) + "/" + url.group(2) + "/main/";
    }

    @ParameterizedTest
    @MethodSource("schemaNames")
    void schemaIdIsTheRawUrlOfItsOwnFileInTheRepository(String name) throws IOException {
        String id = JSON.readTree(schemaFile(name).toFile()).path("$id").asText();
        String base = rawBase();
        assertThat(id).as("$id of topics/%s.schema.json", name).startsWith(base);
        Path named = projectRoot().resolve(id.substring(base.length())).normalize();
        assertThat(named).as("the file $id %s names in the repository", id).isRegularFile();
        assertThat(named).as("$id %s names its own file", id).isEqualTo(schemaFile(name).normalize());
    }

    // ---------------------------------------------------------------- docs/CONTRACT.md examples

    /** Sections of docs/CONTRACT.md by the words their heading starts with, and the schema of their examples. */
    static final Map<String, String> CONTRACT_SECTIONS = Map.of(
            "Email event", "email-event", "Config record", "config-record", "Status event", "status-event",
            "Template record", "template-record");
    /** Sections whose records have no schema in topics/ (yet): their examples must still be JSON. */
    static final Set<String> CONTRACT_SECTIONS_WITHOUT_SCHEMA = Set.of("Suppression record");

    /** Every {@code ```json} block of docs/CONTRACT.md, named by the {@code ##} heading it stands under. */
    static List<Example> contractExamples() throws IOException {
        List<String> lines = Files.readAllLines(projectRoot().resolve("docs/CONTRACT.md"), StandardCharsets.UTF_8);
        List<Example> examples = new ArrayList<>();
        String section = "";
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("## ")) {
                section = lines.get(i).substring(3).trim();
            } else if (OPENING_FENCE.matcher(lines.get(i)).matches()) {
                int close = i + 1;
                while (close < lines.size() && !CLOSING_FENCE.matcher(lines.get(close)).matches()) {
                    close++;
                }
                examples.add(new Example(section, i + 1, String.join("\n", lines.subList(i + 1, close))));
                i = close;
            }
        }
        return examples;
    }

    @TestFactory
    Stream<DynamicTest> everyContractExampleIsValidAgainstItsSectionsSchema() throws IOException {
        List<Example> examples = contractExamples();
        Set<String> covered = examples.stream().map(e -> sectionSchema(e.schema())).filter(s -> s != null)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(covered)
                .as("schemas with an example in docs/CONTRACT.md")
                .contains("email-event", "status-event", "template-record");
        return examples.stream().map(example -> DynamicTest.dynamicTest(
                "docs/CONTRACT.md:" + example.line() + " (" + example.schema() + ")", () -> {
                    JsonNode document = JSON.readTree(example.json());
                    String schema = sectionSchema(example.schema());
                    if (schema == null) {
                        assertThat(CONTRACT_SECTIONS_WITHOUT_SCHEMA)
                                .as("docs/CONTRACT.md:%d: a JSON example in section '%s', which names no schema",
                                        example.line(), example.schema())
                                .anyMatch(example.schema()::startsWith);
                        return;
                    }
                    assertThat(problems(schema, document))
                            .as("docs/CONTRACT.md:%d: the example of '%s' against topics/%s.schema.json",
                                    example.line(), example.schema(), schema)
                            .isEmpty();
                }));
    }

    private static String sectionSchema(String heading) {
        return CONTRACT_SECTIONS.entrySet().stream().filter(e -> heading.startsWith(e.getKey()))
                .map(Map.Entry::getValue).findFirst().orElse(null);
    }

    // ---------------------------------------------------------------- examples/

    static final Map<String, String> EXAMPLE_FILES = Map.of(
            "email.json", "email-event", "config-smtp.json", "config-record",
            "invoice-template.json", "template-record");

    /** The producers in examples/, each of which publishes a templated email and a plain one. */
    static final List<String> EXAMPLE_PROGRAMS = List.of(
            "java/SendEmails.java", "python/send_emails.py", "node/send-emails.js", "shell/send-emails.sh");

    @TestFactory
    Stream<DynamicTest> everyJsonFileInExamplesIsValid() throws IOException {
        try (Stream<Path> files = Files.list(projectRoot().resolve("examples"))) {
            assertThat(files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json")))
                    .as("the JSON files of examples/ and the schemas they are checked against (EXAMPLE_FILES)")
                    .containsExactlyInAnyOrderElementsOf(EXAMPLE_FILES.keySet());
        }
        return EXAMPLE_FILES.entrySet().stream().map(e -> DynamicTest.dynamicTest("examples/" + e.getKey(), () ->
                assertThat(problems(e.getValue(), JSON.readTree(projectRoot().resolve("examples").resolve(e.getKey())
                        .toFile()))).as("examples/%s against topics/%s.schema.json", e.getKey(), e.getValue())
                        .isEmpty()));
    }

    /** The variables of a Mustache source: {@code {{a.b}}}, {@code {{{a}}}}, {@code {{#a}}}, {@code {{^a}}}. */
    static Set<String> variables(String mustache) {
        Matcher m = Pattern.compile("\\{\\{[{#^/]?\\s*([A-Za-z0-9_.]+)\\s*}?}}").matcher(mustache);
        Set<String> names = new TreeSet<>();
        while (m.find()) {
            names.addAll(List.of(m.group(1).split("\\.")));
        }
        return names;
    }

    @TestFactory
    Stream<DynamicTest> everyExampleProgramNamesTheExampleTemplateAndItsVariables() throws IOException {
        JsonNode template = JSON.readTree(projectRoot().resolve("examples/invoice-template.json").toFile());
        Set<String> variables = new TreeSet<>();
        for (String part : List.of("subject", "text", "html")) {
            variables.addAll(variables(template.path(part).asText()));
        }
        assertThat(variables).as("variables of examples/invoice-template.json").contains("number", "customer", "name");
        return EXAMPLE_PROGRAMS.stream().map(program -> DynamicTest.dynamicTest("examples/" + program, () -> {
            String source = Files.readString(projectRoot().resolve("examples").resolve(program), StandardCharsets.UTF_8);
            assertThat(source).as("examples/%s names the template of examples/invoice-template.json", program)
                    .containsPattern("[\"']?template[\"']?\\s*[:,]\\s*[\"']" + template.get("name").asText() + "[\"']");
            for (String variable : variables) {
                assertThat(source).as("examples/%s gives the template's variable '%s' in data", program, variable)
                        .containsPattern("[\"']?\\b" + variable + "\\b[\"']?\\s*[:,]");
            }
            assertThat(source).as("examples/%s defaults to the contract's topic names", program)
                    .contains(TopicNames.defaults().outbox(), TopicNames.defaults().status());
        }));
    }

    // ---------------------------------------------------------------- valid documents

    static final String EMAIL = """
            {"id": "inv-2026-0042", "tenant": "default", "from": "alice@example.com",
             "to": ["bob@example.com"], "cc": [], "bcc": [], "replyTo": ["alice@example.com"],
             "subject": "Invoice 2026-0042", "text": "Plain text body", "html": "<p>HTML body</p>",
             "attachments": [{"filename": "invoice.pdf", "contentType": "application/pdf",
                              "contentBase64": "JVBERi0xLjQK"}],
             "headers": {"X-Campaign": "november"}, "mode": "SEND", "createdAt": "2026-11-26T10:00:00Z"}
            """;

    static final String CONFIG_RECORD = """
            {"enabled": true, "smtpHost": "smtp.example.com", "smtpPort": 587, "smtpUser": "mailer",
             "smtpPassword": "${env:SMTP_PASSWORD}", "startTls": true,
             "postmaster": "donotreply@company.example", "forcePostmaster": true,
             "maxErrorSeconds": 86400, "campaignIntervalSeconds": 20, "retentionDays": 30,
             "skipPendingOnStart": false, "smtpConnections": 2, "maxEmailsPerMinute": 600}
            """;

    static final String STATUS = """
            {"id": "inv-2026-0042", "tenant": "default", "status": "SENT", "attempts": 1,
             "at": "2026-11-26T10:00:21Z", "transport": "SMTP", "error": null}
            """;

    static final String TEMPLATE = """
            {"tenant": "default", "name": "invoice", "subject": "Invoice {{number}}",
             "text": "Dear {{customer.name}},\\nplease find invoice {{number}}.",
             "html": "<p>Dear {{customer.name}},</p>"}
            """;

    static final Map<String, String> BASE = Map.of(
            "email-event", EMAIL, "config-record", CONFIG_RECORD, "status-event", STATUS,
            "template-record", TEMPLATE);

    static ObjectNode base(String schemaName) {
        try {
            return (ObjectNode) JSON.readTree(BASE.get(schemaName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static ObjectNode headers(ObjectNode email) {
        return email.withObjectProperty("headers");
    }

    static ObjectNode attachment(ObjectNode email) {
        return (ObjectNode) email.withArrayProperty("attachments").get(0);
    }

    static Arguments change(String schemaName, String what, Consumer<ObjectNode> change) {
        return Arguments.of(schemaName, what, change);
    }

    static Stream<Arguments> validVariants() {
        return Stream.of(
                change("email-event", "as given", d -> { }),
                change("email-event", "only the required fields, html only, one bcc", d -> {
                    d.retain("id", "subject", "html", "bcc");
                    d.putArray("bcc").add("carol@example.com");
                }),
                change("email-event", "addresses with display names", d -> {
                    d.put("from", "Alice Example <alice@example.com>");
                    d.putArray("to").add("\"Bob, Jr.\" <bob@example.com>");
                }),
                change("email-event", "a draft with no headers or attachments", d -> {
                    d.put("mode", "DRAFT");
                    d.remove(List.of("headers", "attachments"));
                }),
                change("email-event", "an attachment without content type", d ->
                        attachment(d).remove("contentType")),
                change("email-event", "createdAt with an offset", d -> d.put("createdAt", "2026-11-26T11:00:00+01:00")),
                change("email-event", "templated: template and data instead of subject, text and html", d -> {
                    d.remove(List.of("subject", "text", "html"));
                    d.put("template", "invoice");
                    d.putObject("data").put("number", "2026-0042").putObject("customer").put("name", "Bob");
                }),
                change("email-event", "templated without data", d -> {
                    d.remove(List.of("subject", "text", "html"));
                    d.put("template", "welcome.v2");
                }),
                change("template-record", "as given", d -> { }),
                change("template-record", "html only", d -> d.remove("text")),
                change("template-record", "text only, a name with dots and dashes", d -> {
                    d.remove("html");
                    d.put("name", "password-reset.v2");
                }),
                change("config-record", "as given", d -> { }),
                change("config-record", "forcePostmaster false and no postmaster", d -> {
                    d.put("forcePostmaster", false);
                    d.remove("postmaster");
                }),
                change("config-record", "the empty record with forcePostmaster false", d -> {
                    d.removeAll();
                    d.put("forcePostmaster", false);
                }),
                change("config-record", "Graph with its credentials", d -> {
                    d.put("useGraphApi", true);
                    d.put("tenantId", "contoso.onmicrosoft.com");
                    d.put("clientId", "00000000-0000-0000-0000-000000000001");
                    d.put("clientSecret", "${file:/run/secrets/graph}");
                    d.put("outlookSender", "Sales <sales@company.example>");
                    d.put("graphBaseUrl", "https://graph.microsoft.us/v1.0");
                    d.put("authorityHost", "https://login.microsoftonline.us");
                }),
                change("config-record", "OAuth with user and credentials", d -> {
                    d.put("useOAuth", true);
                    d.put("tenantId", "t");
                    d.put("clientId", "c");
                    d.put("clientSecret", "s");
                }),
                change("config-record", "implicit TLS without STARTTLS", d -> {
                    d.put("smtpSsl", true);
                    d.put("startTls", false);
                    d.put("smtpPort", 465);
                }),
                change("config-record", "unset fields as null", d -> {
                    d.putNull("maxEmailsPerMinute");
                    d.putNull("outlookSender");
                    d.putNull("tenantId");
                }),
                change("status-event", "as given", d -> { }),
                change("status-event", "dead-lettered invalid event, no transport", d -> {
                    d.put("status", "DEAD_LETTERED");
                    d.put("tenant", "unknown");
                    d.put("attempts", 0);
                    d.putNull("transport");
                    d.put("error", "not JSON");
                }),
                change("status-event", "skipped, without transport and error", d -> {
                    d.put("status", "SKIPPED");
                    d.put("attempts", 0);
                    d.remove(List.of("transport", "error"));
                }),
                change("status-event", "drafted through Graph", d -> {
                    d.put("status", "DRAFTED");
                    d.put("transport", "GRAPH");
                }));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("validVariants")
    void acceptsValidDocuments(String schemaName, String what, Consumer<ObjectNode> change) {
        ObjectNode document = base(schemaName);
        change.accept(document);
        assertThat(problems(schemaName, document)).as("%s (%s): %s", schemaName, what, document).isEmpty();
    }

    // ---------------------------------------------------------------- invalid documents

    static Stream<Arguments> invalidVariants() {
        return Stream.of(
                change("email-event", "no id", d -> d.remove("id")),
                change("email-event", "empty id", d -> d.put("id", "")),
                change("email-event", "no recipients: all lists empty", d -> d.putArray("to")),
                change("email-event", "no recipients: no lists", d -> d.remove(List.of("to", "cc", "bcc"))),
                change("email-event", "neither text nor html", d -> d.remove(List.of("text", "html"))),
                change("email-event", "no subject", d -> d.remove("subject")),
                change("email-event", "header value with CR LF",
                        d -> headers(d).put("X-Campaign", "november\r\nBcc: eve@example.com")),
                change("email-event", "header value ending in LF", d -> headers(d).put("X-Campaign", "nov\n")),
                change("email-event", "header name with CR LF", d -> headers(d).put("X-A\r\nBcc", "x")),
                change("email-event", "header value not a string", d -> headers(d).put("X-Count", 3)),
                change("email-event", "unknown field", d -> d.put("urgency", "high")),
                change("email-event", "unknown mode", d -> d.put("mode", "SEND_NOW")),
                change("email-event", "recipient that is no address", d -> d.putArray("to").add("bob")),
                change("email-event", "recipient with LF", d -> d.putArray("to").add("bob@example.com\n")),
                change("email-event", "to as a string, not a list", d -> d.put("to", "bob@example.com")),
                change("email-event", "attachment without content",
                        d -> attachment(d).remove("contentBase64")),
                change("email-event", "attachment without filename",
                        d -> attachment(d).remove("filename")),
                change("email-event", "attachment content not base64",
                        d -> attachment(d).put("contentBase64", "JVBERi0x...")),
                change("email-event", "attachment with an unknown field",
                        d -> attachment(d).put("size", 12)),
                change("email-event", "createdAt not an instant", d -> d.put("createdAt", "yesterday")),
                change("email-event", "template with a subject", d -> {
                    d.remove(List.of("text", "html"));
                    d.put("template", "invoice");
                }),
                change("email-event", "template with text", d -> {
                    d.remove(List.of("subject", "html"));
                    d.put("template", "invoice");
                }),
                change("email-event", "data without template", d -> d.putObject("data").put("number", "1")),
                change("email-event", "template name with a slash", d -> {
                    d.remove(List.of("subject", "text", "html"));
                    d.put("template", "default/invoice");
                }),
                change("email-event", "data not an object", d -> {
                    d.remove(List.of("subject", "text", "html"));
                    d.put("template", "invoice");
                    d.putArray("data").add(1);
                }),
                change("template-record", "no tenant", d -> d.remove("tenant")),
                change("template-record", "empty tenant", d -> d.put("tenant", "")),
                change("template-record", "no name", d -> d.remove("name")),
                change("template-record", "name with a slash", d -> d.put("name", "a/b")),
                change("template-record", "name of 101 characters", d -> d.put("name", "n".repeat(101))),
                change("template-record", "no subject", d -> d.remove("subject")),
                change("template-record", "neither text nor html", d -> d.remove(List.of("text", "html"))),
                change("template-record", "unknown field", d -> d.put("partials", "x")),
                change("template-record", "subject not a string", d -> d.put("subject", 42)),
                change("config-record", "unknown field", d -> d.put("smtpTimeout", 30)),
                change("config-record", "misspelt field", d -> d.put("useOauth", true)),
                change("config-record", "smtpPort 0", d -> d.put("smtpPort", 0)),
                change("config-record", "smtpPort 65536", d -> d.put("smtpPort", 65536)),
                change("config-record", "smtpPort as a string", d -> d.put("smtpPort", "587")),
                change("config-record", "enabled as a string", d -> d.put("enabled", "true")),
                change("config-record", "maxErrorSeconds negative", d -> d.put("maxErrorSeconds", -1)),
                change("config-record", "campaignIntervalSeconds 0", d -> d.put("campaignIntervalSeconds", 0)),
                change("config-record", "retentionDays 0", d -> d.put("retentionDays", 0)),
                change("config-record", "smtpConnections 0", d -> d.put("smtpConnections", 0)),
                change("config-record", "smtpConnections 17", d -> d.put("smtpConnections", 17)),
                change("config-record", "maxEmailsPerMinute 0", d -> d.put("maxEmailsPerMinute", 0)),
                change("config-record", "maxEmailsPerMinute a fraction", d -> d.put("maxEmailsPerMinute", 1.5)),
                change("config-record", "forcePostmaster default (true) and no postmaster", d -> {
                    d.remove("forcePostmaster");
                    d.remove("postmaster");
                }),
                change("config-record", "forcePostmaster true and postmaster null", d -> d.putNull("postmaster")),
                change("config-record", "forcePostmaster true and postmaster empty", d -> d.put("postmaster", "")),
                change("config-record", "postmaster that is no address", d -> d.put("postmaster", "donotreply")),
                change("config-record", "useGraphApi without clientSecret", d -> {
                    d.put("useGraphApi", true);
                    d.put("tenantId", "t");
                    d.put("clientId", "c");
                }),
                change("config-record", "useOAuth without tenantId", d -> {
                    d.put("useOAuth", true);
                    d.put("clientId", "c");
                    d.put("clientSecret", "s");
                }),
                change("config-record", "useOAuth with a null clientId", d -> {
                    d.put("useOAuth", true);
                    d.put("tenantId", "t");
                    d.putNull("clientId");
                    d.put("clientSecret", "s");
                }),
                change("config-record", "useOAuth without smtpUser", d -> {
                    d.put("useOAuth", true);
                    d.put("tenantId", "t");
                    d.put("clientId", "c");
                    d.put("clientSecret", "s");
                    d.remove("smtpUser");
                }),
                change("config-record", "smtpSsl with startTls", d -> d.put("smtpSsl", true)),
                change("config-record", "authorityHost over http", d -> d.put("authorityHost", "http://login.example")),
                change("config-record", "graphBaseUrl without host", d -> d.put("graphBaseUrl", "https://")),
                change("config-record", "graphBaseUrl null", d -> d.putNull("graphBaseUrl")),
                change("status-event", "unknown status", d -> d.put("status", "DELIVERED")),
                change("status-event", "unknown transport", d -> d.put("transport", "SES")),
                change("status-event", "unknown field", d -> d.put("kind", "PERMANENT")),
                change("status-event", "negative attempts", d -> d.put("attempts", -1)),
                change("status-event", "no at", d -> d.remove("at")),
                change("status-event", "no status", d -> d.remove("status")),
                change("status-event", "at not an instant", d -> d.put("at", "26/11/2026")),
                change("status-event", "SENT without transport", d -> d.putNull("transport")),
                change("status-event", "DRAFTED over SMTP", d -> d.put("status", "DRAFTED")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalidVariants")
    void rejectsInvalidDocuments(String schemaName, String what, Consumer<ObjectNode> change) {
        ObjectNode valid = base(schemaName);
        assertThat(problems(schemaName, valid)).as("the valid %s this case starts from", schemaName).isEmpty();
        change.accept(valid);
        assertThat(problems(schemaName, valid)).as("%s (%s) must be rejected: %s", schemaName, what, valid)
                .isNotEmpty();
    }
}
