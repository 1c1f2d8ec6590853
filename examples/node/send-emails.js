// A producer of the mailer in Node.js (kafkajs): publishes a templated email and a plain one to mail.outbox,
// each with the record key equal to its id, then follows mail.status until both are SENT.
//
//   cd examples/node && npm ci && node send-emails.js [BOOTSTRAP_SERVERS]
//
// Settings: BOOTSTRAP_SERVERS (if no argument; default 127.0.0.1:9092), OUTBOX_TOPIC (mail.outbox),
// STATUS_TOPIC (mail.status), TIMEOUT_SECONDS (120). Exit 0 when both are SENT, 1 otherwise.
const crypto = require('crypto');
const { Kafka, Partitioners, logLevel } = require('kafkajs');

const bootstrap = process.argv[2] || process.env.BOOTSTRAP_SERVERS || '127.0.0.1:9092';
const outbox = process.env.OUTBOX_TOPIC || 'mail.outbox';
const statusTopic = process.env.STATUS_TOPIC || 'mail.status';
const timeoutSeconds = Number(process.env.TIMEOUT_SECONDS || 120);
const suffix = crypto.randomUUID().slice(0, 8);

// A templated email: the mailer renders the tenant's template "invoice" with data when it sends it.
const invoice = {
  id: `invoice-${suffix}`,
  to: ['bob@example.com'],
  template: 'invoice',
  data: {
    number: '2026-0042',
    customer: { name: 'Bob' },
    total: 'EUR 120.00',
    lines: [{ item: 'Consulting', amount: 'EUR 120.00' }],
  },
};
// A plain email: subject and body as they are.
const welcome = {
  id: `welcome-${suffix}`,
  to: ['bob@example.com'],
  subject: 'Welcome, Bob',
  text: 'Hello Bob, your account is ready.',
};
const ids = [invoice.id, welcome.id];

async function main() {
  const kafka = new Kafka({ clientId: 'send-emails', brokers: bootstrap.split(','), logLevel: logLevel.WARN });

  // Follow the status topic from its current end, taken before anything is published.
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(statusTopic);
  await admin.disconnect();

  const latest = {};
  let finish;
  const done = new Promise((resolve) => { finish = resolve; });
  const consumer = kafka.consumer({ groupId: `send-emails-${suffix}` });
  await consumer.connect();
  await consumer.subscribe({ topics: [statusTopic] });
  await consumer.run({
    eachMessage: async ({ message }) => {
      const key = message.key && message.key.toString();
      if (!ids.includes(key)) return;
      const event = JSON.parse(message.value.toString());
      latest[key] = event.status;
      console.log(`${key}: ${event.status}${event.error ? ` (${event.error})` : ''}`);
      if (event.status === 'DEAD_LETTERED') finish(`${key} was dead-lettered: ${event.error}`);
      if (ids.every((id) => latest[id] === 'SENT')) finish(null);
    },
  });
  for (const { partition, offset } of ends) consumer.seek({ topic: statusTopic, partition, offset });

  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  // The record key must equal the event's id.
  await producer.send({
    topic: outbox,
    acks: -1,
    messages: [invoice, welcome].map((email) => ({ key: email.id, value: JSON.stringify(email) })),
  });
  await producer.disconnect();
  console.log(`published ${ids.join(' ')}`);

  const timer = setTimeout(() => finish(`not every email was SENT within ${timeoutSeconds} s; `
    + `last statuses: ${JSON.stringify(latest)}`), timeoutSeconds * 1000);
  const failure = await done;
  clearTimeout(timer);
  await consumer.disconnect();
  if (failure) throw new Error(failure);
  console.log('both emails SENT');
}

main().then(() => process.exit(0), (e) => {
  console.error(`FAILED: ${e.message}`);
  process.exit(1);
});
