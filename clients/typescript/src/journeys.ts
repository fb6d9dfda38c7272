// The convention and partnership journeys replayed with the generated TypeScript client (openapi-typescript types,
// openapi-fetch calls), through the gateway, as a partner's Node code would drive them. Nothing here is typed by hand:
// every request and response type comes from the services' documents, so a document that does not say what the
// server does fails the compilation (tsc --strict) or an assertion below.
//
// Run by system-tests (TypeScriptClientJourneyTest) with the stack's gateway and real Keycloak tokens:
//   GATEWAY_URL, UESL_TOKEN, DELEGUE_TOKEN, DELEGUE_SUBJECT, DELEGUE_USERNAME, REGION, COLLECTIVITE_SIREN,
//   CIL_ID, FILIALE_ID (fresh SIRENs: this journey makes its own CIL world).
// The last line printed is a JSON summary of the outcomes, which the Java test checks against the system.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import createClient, { type Client } from "openapi-fetch";
import type { paths as TerritoriesPaths } from "../target/generated/territories.js";
import type { paths as ConventionsPaths, components as Conventions } from "../target/generated/conventions.js";
import type { paths as PartnershipsPaths } from "../target/generated/partnerships.js";

function env(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`environment variable ${name} is required`);
  }
  return value;
}

const gateway = env("GATEWAY_URL");
const region = env("REGION");
const collectivite = env("COLLECTIVITE_SIREN");
const territory = `EPCI:${collectivite}`;
const cil = env("CIL_ID");
const filiale = env("FILIALE_ID");
const run = randomUUID().slice(0, 8);

function client<Paths extends {}>(token: string): Client<Paths> {
  return createClient<Paths>({ baseUrl: gateway, headers: { Authorization: `Bearer ${token}` } });
}

const uesl = {
  territories: client<TerritoriesPaths>(env("UESL_TOKEN")),
  conventions: client<ConventionsPaths>(env("UESL_TOKEN")),
  partnerships: client<PartnershipsPaths>(env("UESL_TOKEN")),
};
const delegue = {
  conventions: client<ConventionsPaths>(env("DELEGUE_TOKEN")),
  partnerships: client<PartnershipsPaths>(env("DELEGUE_TOKEN")),
};

/** What openapi-fetch answers: the typed body of a success, or the typed error and the response. */
interface Outcome<T, E> {
  data?: T;
  error?: E;
  response: Response;
}

/** The body of a success, or a failure naming the call, its status and the problem the server sent. */
function ok<T, E>(call: string, outcome: Outcome<T, E>): T {
  if (outcome.data === undefined) {
    throw new Error(`${call} answered ${outcome.response.status}: ${JSON.stringify(outcome.error)}`);
  }
  log(`${call} -> ${outcome.response.status}`);
  return outcome.data;
}

function etagOf(call: string, response: Response): string {
  const etag = response.headers.get("ETag");
  assert.ok(etag, `${call}: no ETag`);
  return etag;
}

function log(line: string): void {
  console.log(`[ts-journey] ${line}`);
}

/** How long a cross-service effect may take (system-tests' Awaits): a first read model, then one event. */
const FIRST_READ_MODEL = 300;
const EVENT = 90;

/** Polls a call until the predicate holds: cross-service effects arrive through Kafka, not synchronously. */
async function until<T, E>(what: string, call: () => Promise<Outcome<T, E>>,
    done: (o: Outcome<T, E>) => boolean, seconds = EVENT): Promise<Outcome<T, E>> {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const outcome = await call();
    if (done(outcome)) {
      return outcome;
    }
    if (Date.now() > deadline) {
      throw new Error(`gave up waiting (${seconds} s): ${what}; last answer ${outcome.response.status} `
          + JSON.stringify(outcome.error ?? outcome.data));
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function world(): Promise<void> {
  const t = uesl.territories;
  const registered = ok("registerCil", await t.POST("/api/territories/cils", {
    params: { header: { "Idempotency-Key": randomUUID() } },
    body: { id: cil, name: `CIL Forez ${cil}` },
  }));
  assert.equal(registered.parentCilId ?? null, null);
  const sub = ok("registerCil (filiale)", await t.POST("/api/territories/cils", {
    params: { header: { "Idempotency-Key": randomUUID() } },
    body: { id: filiale, name: `Filiale Forez ${filiale}`, parentCilId: cil },
  }));
  assert.equal(sub.parentCilId, cil);
  const presence = ok("addCilPresence", await t.POST("/api/territories/cils/{id}/presences", {
    params: { path: { id: cil }, header: { "Idempotency-Key": randomUUID() } },
    body: { territoryId: territory, since: "2010-01-01", reason: "Collecte auprès des entreprises du Forez" },
  }));
  assert.equal(presence.present, true);

  // The conférence régionale lists both; created without If-Match when it does not exist yet.
  const current = await t.GET("/api/territories/regional-conferences/{region}", { params: { path: { region } } });
  const members = new Set<string>(current.data?.memberCilIds ?? []);
  if (current.data === undefined) {
    assert.equal(current.response.status, 404, "regional conference");
  }
  members.add(cil).add(filiale);
  const conference = ok("setRegionalConference", await t.PUT("/api/territories/regional-conferences/{region}", {
    params: {
      path: { region },
      // No If-Match the first time: the PUT creates the conference when absent.
      header: current.data === undefined ? {} : { "If-Match": etagOf("getRegionalConference", current.response) },
    },
    body: { memberCilIds: [...members], reason: "CIL présents en région" },
  }));
  assert.ok(conference.memberCilIds?.includes(cil));

  const subject = env("DELEGUE_SUBJECT");
  const assigned = await t.GET("/api/territories/delegues/{region}", { params: { path: { region } } });
  if (assigned.data?.subject !== subject) {
    const header = assigned.data === undefined ? {} : { "If-Match": etagOf("getDelegue", assigned.response) };
    ok("assignDelegue", await t.PUT("/api/territories/delegues/{region}", {
      params: { path: { region }, header },
      body: { subject, username: env("DELEGUE_USERNAME"), since: "2011-01-01", reason: "Nomination du délégué" },
    }));
  }
}

const CANVAS = ["CIL_INTERVENTIONS_OFFRE", "VALORISATION_EMPLOI_MOBILITE", "ENGAGEMENTS_COLLECTIVITE_OFFRE",
  "ENGAGEMENTS_COLLECTIVITE_INSTANCES"];

function canvas(): Conventions["schemas"]["Section"][] {
  return CANVAS.map((code) => ({ code, title: code, text: `Engagements sur le territoire : ${code}` }));
}

async function conventionJourney(): Promise<{ conventionId: string; status: string; actions: string[] }> {
  const c = uesl.conventions;
  const campaignId = `ts-${run}`;
  const campaign = ok("createCampaign", await c.POST("/api/conventions/campaigns", {
    params: { header: { "Idempotency-Key": randomUUID() } },
    body: { campaignId, name: "Expérimentation 2012 (client TypeScript)", year: 2012, cap: 5, evaluationYear: 2014 },
  }));
  assert.equal(campaign.campaignId, campaignId);

  const templateId = `charte-ts-${run}`;
  const template = ok("publishTemplate", await c.POST("/api/conventions/templates", {
    params: { header: { "Idempotency-Key": randomUUID() } },
    body: { templateId, name: "Charte territoriale type", kind: "TERRITORIALE", sections: canvas(),
      suggestedDevices: ["CONSTRUCTION_PLUS_PLAI_PLS"] },
  }));
  assert.equal(template.version, 1);

  const key = randomUUID();
  const proposed = ok("proposeConvention", await until("conventions-service knows the territory",
      () => delegue.conventions.POST("/api/conventions", {
        params: { header: { "Idempotency-Key": key } },
        body: { campaignId, territoryId: territory, kind: "TERRITORIALE", templateId, templateVersion: 1,
          title: "Charte territoriale (client TypeScript)" },
      }), (o) => o.response.status !== 422, FIRST_READ_MODEL));
  const id = proposed.conventionId;
  assert.ok(id, "conventionId");
  assert.equal(proposed.status, "DRAFT");
  assert.equal(proposed.regionCode, region);
  assert.equal(proposed.content?.sections?.length, 4);

  const etag = async (): Promise<string> => {
    const read = await c.GET("/api/conventions/{id}", { params: { path: { id } } });
    ok("getConvention", read);
    return etagOf("getConvention", read.response);
  };

  const negotiating = ok("startConventionNegotiation", await until("the CIL is known in the conférence régionale",
      async () => c.POST("/api/conventions/{id}/negotiation", {
        params: { path: { id }, header: { "If-Match": await etag() } },
        body: { reason: "Concertation en conférence régionale" },
      }), (o) => o.response.status !== 422));
  assert.equal(negotiating.status, "IN_NEGOTIATION");

  const envelope = ok("setEnvelope", await c.POST("/api/conventions/envelopes", {
    params: { header: { "Idempotency-Key": randomUUID() } },
    body: { cilId: cil, product: "PASS_FONCIER", year: 2014, amount: 50 },
  }));
  assert.equal(envelope.remaining, 50);
  const envelopeId = envelope.envelopeId;
  assert.ok(envelopeId, "envelopeId");

  const content: Conventions["schemas"]["ConventionContent"] = {
    title: "Charte territoriale (client TypeScript)",
    periodStartYear: 2012,
    periodEndYear: 2014,
    sections: canvas(),
    devices: ["CONSTRUCTION_PLUS_PLAI_PLS"],
    objectives: [{ indicator: "CONSTRUCTION_NEUVE", publicPrioritaire: "JEUNES_SALARIES", year: 2014, target: 40 }],
    signatories: [
      { partyType: "CIL", partyId: cil, name: "CIL Forez", presentOnly: false },
      { partyType: "COLLECTIVITE", partyId: collectivite, name: "La collectivité", presentOnly: false },
    ],
    commitments: [{ cilId: cil, product: "PASS_FONCIER", year: 2014, amount: 30, collective: false,
      prescriber: "CIL" }],
    reservationCosts: [{ category: "PLUS", unitCostEuros: 18000 }],
    communicationPlan: { needsStudies: "Restitution annuelle des études de besoins",
      financingPublicity: "Panneaux de chantier mentionnant Action Logement" },
    actions: [
      { partyKey: `CIL:${cil}`, device: "CONSTRUCTION_PLUS_PLAI_PLS", publics: ["JEUNES_SALARIES"],
        description: "Construction PLUS/PLAI/PLS" },
      { partyKey: `COLLECTIVITE:${collectivite}`, device: "MISE_A_DISPOSITION_FONCIER",
        publics: ["JEUNES_SALARIES"], description: "Mise à disposition de foncier" },
    ],
    ueslSignatureRequested: false,
  };
  // CilPresenceChanged may still be on its way: R-07 refuses (422) until it is applied.
  const revised = ok("reviseConventionContent", await until("the CIL is known present on the territory (R-07)",
      async () => c.PUT("/api/conventions/{id}/content", {
        params: { path: { id }, header: { "If-Match": await etag() } },
        body: content,
      }), (o) => o.response.status !== 422));
  assert.ok(revised.content?.objectives?.[0]?.objectiveId, "objectiveId");
  const afterCommitment = ok("getEnvelope", await c.GET("/api/conventions/envelopes/{id}",
      { params: { path: { id: envelopeId } } }));
  assert.equal(afterCommitment.remaining, 20);

  const submitted = ok("submitConventionForSignature", await c.POST("/api/conventions/{id}/submission", {
    params: { path: { id }, header: { "If-Match": await etag() } },
    body: { reason: "Contenu complet" },
  }));
  assert.equal(submitted.status, "READY_FOR_SIGNATURE");
  const signed = ok("signConvention", await c.POST("/api/conventions/{id}/signature", {
    params: { path: { id }, header: { "If-Match": await etag() } },
    body: { signedOn: "2012-09-14", reason: "Signature à l'hôtel de la collectivité" },
  }));
  assert.equal(signed.status, "SIGNED");
  assert.equal(signed.signedOn, "2012-09-14");

  await until("territories-service shows the territory covered (ConventionSigned)",
      () => uesl.territories.GET("/api/territories/territories/{id}", { params: { path: { id: territory } } }),
      (o) => o.data?.coveredByConventions?.includes(id) === true);
  log("territory covered by the convention");

  const actions: string[] = [];
  for (let page = 0, pages = 1; page < pages; page++) {
    const history = ok("getConventionHistory", await c.GET("/api/conventions/{id}/history",
        { params: { path: { id }, query: { page, size: 2 } } }));
    pages = history.totalPages;
    actions.push(...history.items.map((entry) => entry.action ?? ""));
  }
  for (const expected of ["PROPOSED", "NEGOTIATION_STARTED", "REVISED", "SUBMITTED_FOR_SIGNATURE", "SIGNED"]) {
    assert.ok(actions.includes(expected), `history ${actions.join(",")} lacks ${expected}`);
  }
  return { conventionId: id, status: signed.status, actions };
}

const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"
    + "% Projet de convention CIL (client TypeScript)\n%%EOF\n");

async function partnershipJourney(): Promise<{ agreementId: string; status: string; actions: string[] }> {
  const p = uesl.partnerships;
  const key = randomUUID();
  const create = () => p.POST("/api/partnerships/agreements", {
    params: { header: { "Idempotency-Key": key } },
    body: { partyType: "CIL", cilId: cil, filialeId: filiale, collectiviteId: collectivite,
      object: "Logement des apprentis du Forez", startDate: "2026-02-01", durationMonths: 24, exclusivity: true,
      exclusivityScope: "Logement des apprentis",
      investments: [{ kind: "SUBVENTION", amount: 180000, description: "Subvention à 30 PLAI apprentis" }] },
  });
  // Refused (422) until partnerships-service has learnt the CIL, its filiale and the collectivité from the events.
  const created = ok("createAgreement", await until("partnerships-service knows the CIL and its filiale", create,
      (o) => o.response.status !== 422, FIRST_READ_MODEL));
  const id = created.id;
  assert.ok(id, "agreement id");
  assert.equal(created.status, "DRAFT");
  assert.equal(created.filialeId, filiale);
  assert.equal(created.regionCode, region);
  assert.equal(ok("createAgreement (retry)", await create()).id, id, "a retry with the same key is the same agreement");

  const etag = async (): Promise<string> => {
    const read = await p.GET("/api/partnerships/agreements/{id}", { params: { path: { id } } });
    ok("getAgreement", read);
    return etagOf("getAgreement", read.response);
  };

  const early = await p.POST("/api/partnerships/agreements/{id}/submit",
      { params: { path: { id }, header: { "If-Match": await etag() } } });
  assert.equal(early.response.status, 422);
  assert.equal(early.error?.rule, "R-22");
  log("submission without the draft refused: R-22");

  const uploaded = ok("uploadDraftDocument", await p.POST("/api/partnerships/agreements/{id}/documents", {
    params: { path: { id }, header: { "Idempotency-Key": randomUUID() } },
    body: { file: new Blob([PDF], { type: "application/pdf" }) },
    bodySerializer(body) {
      const form = new FormData();
      form.append("file", body.file, "projet-convention.pdf");
      return form;
    },
  }));
  assert.equal(uploaded.version, 1);
  const downloaded = ok("downloadDraftDocument", await p.GET(
      "/api/partnerships/agreements/{id}/documents/{version}/content",
      { params: { path: { id, version: 1 } }, parseAs: "arrayBuffer" }));
  assert.deepEqual(new Uint8Array(downloaded), PDF, "the draft reads back byte for byte");

  const submitted = ok("submitAgreement", await p.POST("/api/partnerships/agreements/{id}/submit",
      { params: { path: { id }, header: { "If-Match": await etag() } } }));
  assert.equal(submitted.status, "PENDING_UESL_APPROVAL");
  assert.equal(submitted.exclusivityApproval, "PENDING");
  assert.equal(submitted.investmentOpinion, "PENDING");

  const inbox = ok("listDelegueNotifications", await until("the délégué's inbox holds the draft",
      () => delegue.partnerships.GET("/api/partnerships/notifications",
          { params: { query: { page: 0, size: 200, unread: true } } }),
      (o) => o.data?.items.some((n) => n.agreementId === id) === true));
  const notification = inbox.items.find((n) => n.agreementId === id);
  assert.ok(notification?.id, "notification");
  assert.equal(notification.cilId, cil);
  const notificationId = notification.id;
  const unread = await delegue.partnerships.GET("/api/partnerships/notifications/{id}",
      { params: { path: { id: notificationId } } });
  ok("getDelegueNotification", unread);
  const read = ok("markDelegueNotificationRead", await delegue.partnerships.POST(
      "/api/partnerships/notifications/{id}/read",
      { params: { path: { id: notificationId }, header: { "If-Match": etagOf("getDelegueNotification", unread.response) } } }));
  assert.equal(read.read, true);

  const refused = await p.POST("/api/partnerships/agreements/{id}/sign", {
    params: { path: { id }, header: { "If-Match": await etag() } },
    body: { signedOn: "2026-03-02" },
  });
  assert.equal(refused.response.status, 422);
  assert.equal(refused.error?.rule, "R-21");
  log("signature before the UESL's decisions refused: R-21");

  const granted = ok("decideExclusivityApproval", await p.POST("/api/partnerships/agreements/{id}/exclusivity-approval", {
    params: { path: { id }, header: { "If-Match": await etag() } },
    body: { granted: true, reasons: "Aucun autre CIL présent sur ce public" },
  }));
  assert.equal(granted.exclusivityApproval, "GRANTED");
  const approved = ok("giveInvestmentOpinion", await p.POST("/api/partnerships/agreements/{id}/investment-opinion", {
    params: { path: { id }, header: { "If-Match": await etag() } },
    body: { favourable: true, opinion: "Montant cohérent avec le programme" },
  }));
  assert.equal(approved.status, "APPROVED");
  const signed = ok("signAgreement", await p.POST("/api/partnerships/agreements/{id}/sign", {
    params: { path: { id }, header: { "If-Match": await etag() } },
    body: { signedOn: "2026-03-02", reason: "Signature au conseil métropolitain" },
  }));
  assert.equal(signed.status, "SIGNED");
  assert.equal(signed.signedOn, "2026-03-02");
  assert.equal(signed.endedOn, null);

  const actions: string[] = [];
  for (let page = 0, pages = 1; page < pages; page++) {
    const history = ok("agreementHistory", await p.GET("/api/partnerships/agreements/{id}/history",
        { params: { path: { id }, query: { page, size: 2 } } }));
    pages = history.totalPages;
    actions.push(...history.items.map((entry) => entry.action ?? ""));
  }
  assert.ok(actions.length >= 6, `history ${actions.join(",")}`);
  return { agreementId: id, status: signed.status, actions };
}

await world();
const convention = await conventionJourney();
const partnership = await partnershipJourney();
console.log(JSON.stringify({ convention, partnership }));
