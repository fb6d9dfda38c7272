// Validates docs/events/asyncapi.yaml with the AsyncAPI parser (0 errors, 0 warnings), then checks that every
// recorded event fixture of test-support (what the real relays wrote: topic, key, headers, value) is described by it:
// its topic is a channel, its CloudEvents type a message of that channel, its headers and value valid against that
// message's schemas (JSON Schema 2020-12, Ajv). Run by ./mvnw verify (api-contract/pom.xml).
import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Parser, fromFile } from "@asyncapi/parser";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const root = new URL("../", import.meta.url);
const documentPath = fileURLToPath(new URL("docs/events/asyncapi.yaml", root));
const { document, diagnostics } = await fromFile(new Parser(), documentPath).parse();
const severities = ["error", "warning", "information", "hint"];
const problems = diagnostics.filter((d) => d.severity <= 1);
for (const d of diagnostics) {
  console.log(`[asyncapi] ${severities[d.severity]} ${d.code}: ${d.message} at /${d.path.join("/")}`);
}
if (document === undefined || problems.length > 0) {
  console.error(`[asyncapi] ${documentPath}: ${problems.length} errors or warnings`);
  process.exit(1);
}
console.log(`[asyncapi] ${documentPath}: valid; ${document.channels().length} channels, `
    + `${document.operations().length} operations, ${document.messages().length} messages`);

// The recorded fixtures against the document.
const failures = [];
const fixtures = new URL("test-support/src/main/resources/event-records/", root);
let checked = 0;
for (const context of readdirSync(fixtures)) {
  for (const file of readdirSync(new URL(`${context}/`, fixtures))) {
    const record = JSON.parse(readFileSync(new URL(`${context}/${file}`, fixtures), "utf8"));
    const where = `event-records/${context}/${file}`;
    const channel = document.channels().all().find((c) => c.address() === record.topic);
    if (channel === undefined) {
      failures.push(`${where}: topic ${record.topic} is no channel`);
      continue;
    }
    const message = channel.messages().all().find((m) => m.title() === record.value.type);
    if (message === undefined) {
      failures.push(`${where}: type ${record.value.type} is no message of ${record.topic}`);
      continue;
    }
    const headers = Object.fromEntries(record.headers.map((h) => [h.key, h.value]));
    const check = (what, schema, value) => {
      // One validator per schema: the dereferenced schemas repeat the same $id (the envelope) in every message.
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats(ajv);
      const validate = ajv.compile(schema);
      if (!validate(value)) {
        failures.push(`${where}: ${what}: ${ajv.errorsText(validate.errors)}`);
      }
    };
    check("headers", message.headers().json(), headers);
    const payload = message.payload().json();
    check("value", payload.schemaFormat === undefined ? payload : payload.schema, record.value);
    check("key", message.bindings().get("kafka").value().key, record.key);
    if (record.key !== record.value.subject) {
      failures.push(`${where}: key ${record.key} is not the subject ${record.value.subject}`);
    }
    checked++;
  }
}
if (failures.length > 0) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log(`[asyncapi] ${checked} recorded event fixtures match their channel's message (headers, key, envelope, data)`);
