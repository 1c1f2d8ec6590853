#!/usr/bin/python3
"""A producer of the mailer in Python (confluent-kafka): publishes a templated email and a plain one to
mail.outbox, each with the record key equal to its id, then follows mail.status until both are SENT.

    python3 examples/python/send_emails.py [BOOTSTRAP_SERVERS]

Settings: BOOTSTRAP_SERVERS (if no argument; default 127.0.0.1:9092), OUTBOX_TOPIC (mail.outbox),
STATUS_TOPIC (mail.status), TIMEOUT_SECONDS (120). Exit 0 when both are SENT, 1 otherwise.
"""
import json
import os
import sys
import time
import uuid

from confluent_kafka import Consumer, Producer, TopicPartition

bootstrap = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("BOOTSTRAP_SERVERS", "127.0.0.1:9092")
outbox = os.environ.get("OUTBOX_TOPIC", "mail.outbox")
status_topic = os.environ.get("STATUS_TOPIC", "mail.status")
timeout = int(os.environ.get("TIMEOUT_SECONDS", "120"))
suffix = uuid.uuid4().hex[:8]

# A templated email: the mailer renders the tenant's template "invoice" with data when it sends it.
invoice = {
    "id": "invoice-" + suffix,
    "to": ["bob@example.com"],
    "template": "invoice",
    "data": {
        "number": "2026-0042",
        "customer": {"name": "Bob"},
        "total": "EUR 120.00",
        "lines": [{"item": "Consulting", "amount": "EUR 120.00"}],
    },
}
# A plain email: subject and body as they are.
welcome = {
    "id": "welcome-" + suffix,
    "to": ["bob@example.com"],
    "subject": "Welcome, Bob",
    "text": "Hello Bob, your account is ready.",
}
ids = [invoice["id"], welcome["id"]]

# Follow the status topic from its current end, placed there before anything is published.
consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "send-emails-" + suffix,
                     "enable.auto.commit": False})
partitions = consumer.list_topics(status_topic, timeout=30).topics[status_topic].partitions
if not partitions:
    sys.exit("FAILED: topic %s does not exist: is the mailer running?" % status_topic)
ends = [TopicPartition(status_topic, p, consumer.get_watermark_offsets(TopicPartition(status_topic, p), timeout=30)[1])
        for p in partitions]
consumer.assign(ends)

producer = Producer({"bootstrap.servers": bootstrap, "acks": "all"})
failures = []
for email in (invoice, welcome):
    # The record key must equal the event's id.
    producer.produce(outbox, key=email["id"], value=json.dumps(email),
                     on_delivery=lambda err, msg: err and failures.append(str(err)))
if producer.flush(30) > 0 or failures:
    sys.exit("FAILED: could not publish to %s: %s" % (outbox, failures or "timed out"))
print("published", *ids)

latest = {}
deadline = time.monotonic() + timeout
while time.monotonic() < deadline:
    record = consumer.poll(0.5)
    if record is None or record.error() or record.key() is None:
        continue
    key = record.key().decode()
    if key not in ids:
        continue
    event = json.loads(record.value())
    latest[key] = event["status"]
    print("%s: %s%s" % (key, event["status"], " (%s)" % event["error"] if event.get("error") else ""))
    if event["status"] == "DEAD_LETTERED":
        sys.exit("FAILED: %s was dead-lettered: %s" % (key, event.get("error")))
    if all(latest.get(i) == "SENT" for i in ids):
        print("both emails SENT")
        consumer.close()
        sys.exit(0)
consumer.close()
sys.exit("FAILED: not every email was SENT within %d s; last statuses: %s" % (timeout, latest))
