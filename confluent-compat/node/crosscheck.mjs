// Cross-checks authstream's Java Avro serde and schema registry with Confluent's own JavaScript
// client (@confluentinc/schemaregistry) and kafkajs:
//   1. decode every record the Java serializer wrote to JAVA_TOPIC;
//   2. register the AuthEvent schema under JS_TOPIC-value and write JS_EVENT_JSON there with
//      Confluent's serializer, for the Java deserializer to read back.
// Prints one JSON object per line on stdout; the Java test (ConfluentJsCompatIT) checks them.
import { readFileSync } from 'node:fs';
// kafkajs logs retriable errors (e.g. a coordinator still loading) as ERROR; real failures throw.
import { Kafka, logLevel } from 'kafkajs';
import {
  AvroDeserializer, AvroSerializer, SchemaRegistryClient, SerdeType,
} from '@confluentinc/schemaregistry';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`environment variable ${name} is required`);
  return value;
};

const bootstrap = env('BOOTSTRAP_SERVERS');
const registryUrl = env('SCHEMA_REGISTRY_URL');
const javaTopic = env('JAVA_TOPIC');
const expected = Number(env('JAVA_RECORD_COUNT'));
const jsTopic = env('JS_TOPIC');
const jsEvent = JSON.parse(env('JS_EVENT_JSON'));
const schemaFile = env('AUTH_EVENT_AVSC');

const emit = (obj) => process.stdout.write(`${JSON.stringify(obj)}\n`);
const kafka = new Kafka({ clientId: 'authstream-compat', brokers: [bootstrap], logLevel: logLevel.NOTHING });
const registry = new SchemaRegistryClient({ baseURLs: [registryUrl] });

async function readJavaRecords() {
  const deserializer = new AvroDeserializer(registry, SerdeType.VALUE, {});
  const consumer = kafka.consumer({ groupId: `compat-${Date.now()}` });
  await consumer.connect();
  await consumer.subscribe({ topic: javaTopic, fromBeginning: true });
  let seen = 0;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${seen} of ${expected} records on ${javaTopic} within 60 s`)), 60_000);
    consumer.run({
      eachMessage: async ({ message, partition }) => {
        let value;
        try {
          value = await deserializer.deserialize(javaTopic, message.value);
        } catch (err) {
          // Fail with the decoder's own words instead of letting kafkajs retry the message.
          clearTimeout(timer);
          reject(new Error(`cannot decode offset ${message.offset} of ${javaTopic}: ${err.message}`));
          return;
        }
        emit({ kind: 'decoded', partition, offset: Number(message.offset), key: message.key?.toString(), value });
        seen += 1;
        if (seen === expected) {
          clearTimeout(timer);
          resolve();
        }
      },
    }).catch(reject);
  });
  await consumer.disconnect();
}

async function writeJsRecord() {
  const schema = readFileSync(schemaFile, 'utf8');
  const id = await registry.register(`${jsTopic}-value`, { schemaType: 'AVRO', schema });
  emit({ kind: 'registered', subject: `${jsTopic}-value`, id });
  const serializer = new AvroSerializer(registry, SerdeType.VALUE, { useLatestVersion: true });
  const bytes = await serializer.serialize(jsTopic, jsEvent);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await producer.send({ topic: jsTopic, acks: -1, messages: [{ key: jsEvent.userId, value: bytes }] });
  await producer.disconnect();
  emit({ kind: 'written', topic: jsTopic, schemaId: bytes.readInt32BE(1), magic: bytes[0] });
}

try {
  await readJavaRecords();
  await writeJsRecord();
  emit({ kind: 'done' });
} catch (err) {
  process.stderr.write(`crosscheck failed: ${err.stack ?? err}\n`);
  process.exit(1);
}
