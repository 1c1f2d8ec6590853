package io.github.kafkamailer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * NAIVE, the benchmark's lower reference: what a hand-written service does. A KafkaConsumer poll loop, each
 * record parsed with Jackson into a MIME message and sent with the static {@code Transport.send} (a new SMTP
 * connection per email, default sockets), offsets committed after each polled batch. No state, no retries, no
 * status: the least any mailer does.
 *
 * <p>Child process of {@link BenchMain}; runs until it is stopped.
 */
public final class NaiveConsumer {
    private NaiveConsumer() {
    }

    public static void main(String[] args) throws Exception {
        Args a = Args.parse(args, "--bootstrap-servers", "--topic", "--group", "--host", "--port", "--postmaster");
        Properties c = ReferenceClients.outboxConsumer(a.get("--bootstrap-servers"), a.get("--group"));
        Properties m = new Properties();
        m.put("mail.smtp.host", a.get("--host"));
        m.put("mail.smtp.port", a.get("--port"));
        Session session = Session.getInstance(m);
        String postmaster = a.get("--postmaster");
        ObjectMapper json = new ObjectMapper();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(a.get("--topic")));
            while (true) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                for (ConsumerRecord<String, byte[]> r : records) {
                    try {
                        JsonNode e = json.readTree(r.value());
                        Transport.send(PlainMessages.build(session, e, postmaster));
                    } catch (Exception e) {
                        System.err.println("Failed " + r.key() + ": " + e);
                    }
                }
                if (!records.isEmpty()) {
                    consumer.commitSync();
                }
            }
        }
    }
}
