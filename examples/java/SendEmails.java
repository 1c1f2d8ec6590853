// A producer of the mailer in Java: publishes a templated email and a plain one to mail.outbox, each with the
// record key equal to its id, then follows mail.status until both are SENT.
//
//   java -cp CLASSPATH examples/java/SendEmails.java [BOOTSTRAP_SERVERS]
//
// CLASSPATH holds kafka-clients and jackson-databind (the mailer's own target/mailer.jar has both).
// Settings: BOOTSTRAP_SERVERS (if no argument; default 127.0.0.1:9092), OUTBOX_TOPIC (mail.outbox),
// STATUS_TOPIC (mail.status), TIMEOUT_SECONDS (120). Exit 0 when both are SENT, 1 otherwise.

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

public class SendEmails {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        String bootstrap = args.length > 0 ? args[0] : env("BOOTSTRAP_SERVERS", "127.0.0.1:9092");
        String outbox = env("OUTBOX_TOPIC", "mail.outbox");
        String status = env("STATUS_TOPIC", "mail.status");
        Duration timeout = Duration.ofSeconds(Long.parseLong(env("TIMEOUT_SECONDS", "120")));
        String suffix = UUID.randomUUID().toString().substring(0, 8);

        // A templated email: the mailer renders the tenant's template "invoice" with data when it sends it.
        Map<String, Object> invoice = Map.of(
                "id", "invoice-" + suffix,
                "to", List.of("bob@example.com"),
                "template", "invoice",
                "data", Map.of(
                        "number", "2026-0042",
                        "customer", Map.of("name", "Bob"),
                        "total", "EUR 120.00",
                        "lines", List.of(Map.of("item", "Consulting", "amount", "EUR 120.00"))));
        // A plain email: subject and body as they are.
        Map<String, Object> welcome = Map.of(
                "id", "welcome-" + suffix,
                "to", List.of("bob@example.com"),
                "subject", "Welcome, Bob",
                "text", "Hello Bob, your account is ready.");

        int exitCode;
        try (KafkaConsumer<String, String> statuses = statusConsumer(bootstrap, status);
             KafkaProducer<String, String> producer = producer(bootstrap)) {
            for (Map<String, Object> email : List.of(invoice, welcome)) {
                String id = (String) email.get("id");
                // The record key must equal the event's id.
                producer.send(new ProducerRecord<>(outbox, id, JSON.writeValueAsString(email))).get();
                System.out.println("published " + id);
            }
            exitCode = awaitSent(statuses, List.of((String) invoice.get("id"), (String) welcome.get("id")), timeout);
        }
        System.exit(exitCode);
    }

    /** Follows the status topic until every id is SENT (0), one is DEAD_LETTERED or the time is up (1). */
    static int awaitSent(KafkaConsumer<String, String> statuses, List<String> ids, Duration timeout)
            throws Exception {
        Map<String, String> latest = new HashMap<>();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, String> r : statuses.poll(Duration.ofMillis(500))) {
                if (!ids.contains(r.key())) {
                    continue;
                }
                JsonNode event = JSON.readTree(r.value());
                String s = event.path("status").asText();
                latest.put(r.key(), s);
                System.out.println(r.key() + ": " + s + (event.hasNonNull("error") ? " (" + event.get("error").asText() + ")" : ""));
                if (s.equals("DEAD_LETTERED")) {
                    System.err.println("FAILED: " + r.key() + " was dead-lettered: " + event.path("error").asText());
                    return 1;
                }
            }
            if (ids.stream().allMatch(id -> "SENT".equals(latest.get(id)))) {
                System.out.println("both emails SENT");
                return 0;
            }
        }
        System.err.println("FAILED: not every email was SENT within " + timeout.toSeconds() + " s; last statuses: " + latest);
        return 1;
    }

    static KafkaProducer<String, String> producer(String bootstrap) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    }

    /** A consumer placed at the end of every partition of the status topic, before anything is published. */
    static KafkaConsumer<String, String> statusConsumer(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("enable.auto.commit", "false");
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        if (partitions.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " does not exist: is the mailer running?");
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // resolves the end offsets now, not at the first poll
        return consumer;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
