/**
 * The API described in OpenAPI 3.1 (JSON Schema 2020-12), served at /openapi.json. A test checks every
 * route's real responses against these schemas, so the document cannot drift from the code.
 */
import { CHECK_ORDER, ISSUER_STATUS_NAMES, STATUS_PRIORITY } from "../lib/verify/verify.js";
import { PROBLEMS, PROBLEM_TYPE_BASE } from "./problems.js";

const hex32 = { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" } as const;
const address = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } as const;
const dateTime = { type: "string", format: "date-time" } as const;
const nullable = <T extends object>(schema: T) => ({ oneOf: [schema, { type: "null" }] }) as const;
const issuerParameter = (name: string, where: "path" | "query") =>
  ({
    name,
    in: where,
    required: true,
    description: "The issuer: its canonical profile id (a DID or an https URL, URL-encoded) or its issuer id, keccak256 of the profile id (0x and 64 hex digits)",
    schema: { type: "string", minLength: 1 },
  }) as const;
const chainIdParameter = { name: "chainId", in: "query", required: false, schema: { type: "integer" } } as const;
/** An anchor's facts, as every answer that shows one gives them. */
const anchorFacts = {
  issuerId: { ...hex32, description: "The issuer identity the batch is anchored under: keccak256(utf8(profile id))" },
  actingKey: { ...address, description: "The issuer's key (controller or operator) that anchored the batch" },
  anchoredAt: dateTime,
  count: { type: "integer", minimum: 1 },
  batchRevoked: { type: "boolean" },
} as const;
const compromiseFacts = {
  keyCompromised: { type: "boolean", description: "The acting key was declared compromised since a time at or before the anchor: the batch reads revoked (key-compromise)" },
  keyCompromisedSince: { ...nullable(dateTime), description: "Since when the acting key is declared compromised; null when never" },
} as const;
/** An issuer's identity and standing, as a verdict shows it. */
const issuerFacts = {
  profileId: { type: ["string", "null"], description: "The issuer's profile id (the badge's issuer.id)" },
  issuerId: hex32,
  controller: { ...nullable(address), description: "The issuer's controller key now; null while it has none (declared compromised, not yet recovered)" },
  status: { enum: [...ISSUER_STATUS_NAMES] },
  statusSince: dateTime,
  statusReason: { type: "string" },
} as const;
const freshness = {
  chainReadAt: { type: ["string", "null"], format: "date-time", description: "When the block of the oldest chain read the answer rests on was read from the node" },
  chainBlock: {
    type: ["object", "null"],
    required: ["chainId", "number", "hash", "timestamp"],
    properties: { chainId: { type: "integer" }, number: { type: "integer", minimum: 0 }, hash: hex32, timestamp: dateTime },
    description: "The block that oldest read was made at (number, hash, the block's time); null when the answer read nothing",
  },
  cacheTtlSeconds: { type: "integer", minimum: 0, description: "Answers rest on chain reads at most this old" },
} as const;

/** A GET lookup's answers: the found value, or a problem (bad input, unknown, rate limited, chain unreadable). */
const lookupResponses = (description: string, schema: string) => ({
  "200": { description, content: { "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } } },
  "400": problem(["malformed-request"]),
  "404": problem(["not-found"]),
  "429": problem(["rate-limited"]),
  "503": problem(["chain-unavailable"]),
});

/** A POST route's problems with its body: unreadable (`badRequest` kinds), too large, wrong type; rate limited. */
const bodyProblems = (badRequest: Array<keyof typeof PROBLEMS>) => ({
  "400": problem(badRequest),
  "413": problem(["payload-too-large"]),
  "415": problem(["unsupported-media-type"]),
  "429": problem(["rate-limited"]),
});

const problem = (kinds: Array<keyof typeof PROBLEMS>) => ({
  description: kinds.map((kind) => `${PROBLEMS[kind].status} ${PROBLEMS[kind].title}`).join("; "),
  content: { "application/problem+json": { schema: { $ref: "#/components/schemas/Problem" } } },
});

export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "credential-registry verifier",
    version: "1.0.0",
    description:
      "Checks Open Badges 3.0 credentials, and credentials anchored alone by their hash, against the CredentialRegistry " +
      "on the configured EVM chains, and their issuers' Data Integrity signatures (eddsa-rdfc-2022, eddsa-jcs-2022, " +
      "Ed25519Signature2020) with keys of issuer.id (did:key, did:web, https controller documents). A correctly signed badge " +
      "with no anchor proof is `unanchored` (another platform's badge, in no registry this verifier trusts). " +
      "Fails closed: when a chain cannot be read the answer is `unavailable` (503), never `valid`.",
  },
  paths: {
    "/v1/credentials/verify": {
      post: {
        summary: "Verify a credential",
        description:
          "Body: `{ \"verifiableCredential\": {…} }` or the credential itself (JSON, up to MAX_BODY_BYTES), or a baked badge: a PNG or " +
          "SVG image carrying the credential as Open Badges 3.0 specifies (up to MAX_IMAGE_BYTES); the answer then also holds the " +
          "credential found in it (`bakedCredential`). An image that is not a readable baked badge — damaged, hostile, or carrying " +
          "no credential or not one — is a 400 `bad-image` problem. Every verdict is 200 but `unavailable` (503). " +
          "A stacked credential verified alone has its components' claims (achievement, learner, issuer) reported as `claimed`: to " +
          "confirm them, send the stack with its components to /v1/presentations/verify.",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                oneOf: [
                  { type: "object", required: ["verifiableCredential"], properties: { verifiableCredential: {} } },
                  { type: "object", description: "An OpenBadgeCredential" },
                ],
              },
            },
            "image/png": { schema: { type: "string", contentMediaType: "image/png", description: "A PNG with an iTXt chunk `openbadgecredential`" } },
            "image/svg+xml": { schema: { type: "string", contentMediaType: "image/svg+xml", description: "An SVG with an `<openbadges:credential>` element" } },
          },
        },
        responses: {
          "200": { description: "The verdict and its checks", content: { "application/json": { schema: { $ref: "#/components/schemas/VerificationResult" } } } },
          "503": { description: "A chain could not be read: status `unavailable`", content: { "application/json": { schema: { $ref: "#/components/schemas/VerificationResult" } } } },
          ...bodyProblems(["malformed-request", "bad-image"]),
        },
      },
    },
    "/v1/presentations/verify": {
      post: {
        summary: "Verify a portfolio: a VerifiablePresentation, a ClrCredential-shaped bundle or a JSON array of credentials",
        description:
          "Every credential is verified as by /v1/credentials/verify; all the chain reads they need are made together first (one multicall per chain per 500 reads). " +
          "The answer adds a summary (counts by status, one subject or several, the issuers) and the skills the valid credentials show. " +
          "Each credential is verified with the others at hand: a stacked credential's component found in the portfolio (by its hash) " +
          "has its claims confirmed against the badge itself — learner, achievement, name, issuer — or refuted (the stack is then " +
          "`stack-incomplete`); a component not sent stays `claimed` by the stack's issuer. A pathway document (type `CredentialPathway`) " +
          "sent among the credentials is not verified as one: it lets the stack check re-check the pathway's rule over the confirmed " +
          "components. A credential nested more than 64 levels deep, or an association more than 8, is a 400 problem. " +
          "200, or 503 when any credential's chain could not be read. At most MAX_PRESENTATION_SIZE credentials (default 100).",
        requestBody: {
          required: true,
          content: {
            "application/json": {
              schema: {
                oneOf: [
                  { type: "object", description: "A W3C VC 2.0 VerifiablePresentation", required: ["type", "verifiableCredential"] },
                  { type: "object", description: "A CLR 2.0 ClrCredential: credentials in credentialSubject.verifiableCredential", required: ["type", "credentialSubject"] },
                  { type: "array", description: "Credentials" },
                ],
              },
            },
          },
        },
        responses: {
          "200": { description: "Each credential's result, the summary and the skills", content: { "application/json": { schema: { $ref: "#/components/schemas/PresentationResult" } } } },
          "503": { description: "A chain could not be read: some results are `unavailable`", content: { "application/json": { schema: { $ref: "#/components/schemas/PresentationResult" } } } },
          ...bodyProblems(["malformed-request"]),
        },
      },
    },
    "/v1/hashes/{hash}": {
      get: {
        summary: "The standing of a credential the issuer anchored alone (a batch of one), by its credential hash",
        description:
          "The root of a batch of one is leafHash(0, hash). Anchors are per issuer, so the issuer is required: only its anchor is read, " +
          "and another issuer anchoring the same root says nothing about this credential. Without ?issuer= the answer is a 400 problem.",
        parameters: [{ name: "hash", in: "path", required: true, schema: hex32 }, issuerParameter("issuer", "query"), chainIdParameter],
        responses: lookupResponses("Anchored by that issuer", "HashStatus"),
      },
    },
    "/v1/anchors/{issuerId}/{root}": {
      get: {
        summary: "A batch anchored by an issuer: acting key, time, count, batch revoked",
        parameters: [
          { name: "issuerId", in: "path", required: true, schema: hex32 },
          { name: "root", in: "path", required: true, schema: hex32 },
          chainIdParameter,
        ],
        responses: lookupResponses("The anchor", "Anchor"),
      },
    },
    "/v1/issuers/{profileIdOrIssuerId}": {
      get: {
        summary: "A registered issuer: profile id, controller, operators, compromised keys, status and since when",
        parameters: [issuerParameter("profileIdOrIssuerId", "path"), chainIdParameter],
        responses: lookupResponses("The issuer", "Issuer"),
      },
    },
    "/healthz": {
      get: {
        summary: "The process is alive",
        responses: { "200": { description: "Alive", content: { "application/json": { schema: { type: "object", required: ["status"], properties: { status: { const: "ok" } } } } } } },
      },
    },
    "/readyz": {
      get: {
        summary: "Every configured chain answers and has the registry's code",
        responses: {
          "200": { description: "Ready", content: { "application/json": { schema: { $ref: "#/components/schemas/Readiness" } } } },
          "503": { description: "A chain is not ready", content: { "application/json": { schema: { $ref: "#/components/schemas/Readiness" } } } },
        },
      },
    },
    "/metrics": { get: { summary: "Prometheus metrics", responses: { "200": { description: "Prometheus text format", content: { "text/plain": { schema: { type: "string" } } } } } } },
    "/openapi.json": { get: { summary: "This document", responses: { "200": { description: "OpenAPI 3.1", content: { "application/json": { schema: { type: "object" } } } } } } },
    "/": { get: { summary: "The verification page", responses: { "200": { description: "HTML", content: { "text/html": { schema: { type: "string" } } } } } } },
  },
  components: {
    schemas: {
      Check: {
        type: "object",
        required: ["name", "result", "detail"],
        properties: { name: { enum: [...CHECK_ORDER] }, result: { enum: ["pass", "fail", "skip"] }, detail: { type: "string" } },
      },
      VerificationResult: {
        allOf: [
          { $ref: "#/components/schemas/VerificationResultCore" },
          {
            type: "object",
            required: ["chainReadAt", "cacheTtlSeconds"],
            properties: {
              ...freshness,
              bakedCredential: { type: "object", description: "Only when the body was a baked badge image: the credential found in it, as it is there" },
            },
          },
        ],
      },
      VerificationResultCore: {
        type: "object",
        required: ["verified", "status", "checks", "warnings", "errors", "credentialHash", "anchor", "issuer", "credential", "stack", "signature", "statusLists", "statusChange"],
        properties: {
          verified: { type: "boolean" },
          status: { enum: ["valid", ...STATUS_PRIORITY] },
          checks: { type: "array", items: { $ref: "#/components/schemas/Check" }, minItems: CHECK_ORDER.length, maxItems: CHECK_ORDER.length },
          warnings: { type: "array", items: { type: "string" } },
          errors: { type: "array", items: { type: "string" } },
          credentialHash: { oneOf: [hex32, { type: "null" }] },
          anchor: {
            oneOf: [
              { $ref: "#/components/schemas/AnchorFacts" },
              { type: "null" },
            ],
          },
          issuer: {
            oneOf: [
              { $ref: "#/components/schemas/IssuerFacts" },
              { type: "null" },
            ],
          },
          credential: {
            oneOf: [
              {
                type: "object",
                required: ["id", "name", "issuer", "subjectId", "achievementName", "achievementDescription", "achievementId", "achievementType", "alignments", "issuerId", "validFrom", "validUntil"],
                properties: {
                  id: { type: "string" },
                  name: { type: ["string", "null"] },
                  issuer: { $ref: "#/components/schemas/IssuerNaming" },
                  subjectId: { type: ["string", "null"] },
                  achievementName: { type: "string" },
                  achievementDescription: { type: "string" },
                  achievementId: { type: "string" },
                  achievementType: { type: ["string", "null"] },
                  alignments: { type: "array", items: { $ref: "#/components/schemas/Alignment" } },
                  issuerId: { type: "string" },
                  validFrom: { type: "string" },
                  validUntil: { type: ["string", "null"] },
                },
              },
              { type: "null" },
            ],
          },
          stack: { oneOf: [{ $ref: "#/components/schemas/StackResult" }, { type: "null" }] },
          signature: {
            description: "Who signed the badge, when its Data Integrity signature verified; null otherwise",
            oneOf: [
              {
                type: "object",
                required: ["signers", "signerName"],
                properties: {
                  signers: {
                    type: "array",
                    items: {
                      type: "object",
                      required: ["verificationMethod", "controller", "cryptosuite"],
                      properties: { verificationMethod: { type: "string" }, controller: { type: "string" }, cryptosuite: { type: "string" } },
                    },
                  },
                  signerName: { type: ["string", "null"], description: "The name the signer's own DID / controller document gives (never the badge's own claim)" },
                },
              },
              { type: "null" },
            ],
          },
          statusLists: {
            description:
              "The badge's credentialStatus entries and, once the chain was read, what each published Bitstring Status List says beside the chain. " +
              "The chain decides the status; a list that disagrees, cannot be read or is not the issuer's gives a warning",
            type: "array",
            items: { $ref: "#/components/schemas/StatusListComparison" },
          },
          statusChange: {
            description: "For a credential its issuer revoked or suspended (or whose batch it revoked): when, why and by whom, from the registry's event; null otherwise",
            oneOf: [
              {
                type: "object",
                additionalProperties: false,
                required: ["change", "reason", "at", "actor", "transactionHash", "blockNumber"],
                properties: {
                  change: { enum: ["revoked", "suspended", "batch-revoked"] },
                  reason: { type: "string" },
                  at: { type: "string", format: "date-time" },
                  actor: address,
                  transactionHash: hex32,
                  blockNumber: { type: "integer" },
                },
              },
              { type: "null" },
            ],
          },
        },
      },
      StatusListComparison: {
        type: "object",
        additionalProperties: false,
        required: ["url", "purpose", "index", "listSays", "chainSays", "agrees", "listSignature", "note"],
        properties: {
          url: { type: ["string", "null"], description: "The entry's statusListCredential" },
          purpose: { type: ["string", "null"], description: "The entry's statusPurpose" },
          index: { type: ["integer", "null"], minimum: 0 },
          listSays: { type: ["boolean", "null"], description: "The list's bit at the index (true: revoked / suspended); null when not read" },
          chainSays: { type: ["boolean", "null"], description: "The chain's answer for the purpose; null for an entry not compared" },
          agrees: { type: ["boolean", "null"] },
          listSignature: { enum: ["verified", "unsigned", "invalid", "unchecked", null] },
          note: { type: ["string", "null"], description: "Why the entry was not compared, or why its list could not be read" },
        },
      },
      PresentationResult: {
        type: "object",
        required: ["kind", "results", "summary", "skills", "associations", "chainReadAt", "cacheTtlSeconds"],
        properties: {
          kind: { enum: ["presentation", "clr", "array"] },
          results: { type: "array", items: { $ref: "#/components/schemas/VerificationResultCore" } },
          summary: {
            type: "object",
            required: ["total", "verified", "byStatus", "sameSubject", "subjects", "issuers"],
            properties: {
              total: { type: "integer" },
              verified: { type: "integer" },
              byStatus: { type: "object", additionalProperties: { type: "integer" } },
              sameSubject: { type: "boolean" },
              subjects: { type: "array", items: { type: "string" } },
              issuers: {
                type: "array",
                items: {
                  allOf: [{ $ref: "#/components/schemas/IssuerNaming" }, { type: "object", required: ["issuerId"], properties: { issuerId: nullable(hex32) } }],
                },
              },
            },
          },
          skills: {
            type: "array",
            items: {
              type: "object",
              required: ["achievementId", "name", "achievementType", "issuer", "alignments", "credentialIds"],
              properties: {
                achievementId: { type: "string" },
                name: { type: "string" },
                achievementType: { type: ["string", "null"] },
                issuer: { $ref: "#/components/schemas/IssuerNaming" },
                alignments: { type: "array", items: { $ref: "#/components/schemas/Alignment" } },
                credentialIds: { type: "array", items: { type: "string" } },
              },
            },
          },
          associations: { type: "array", description: "A CLR bundle's associations, as sent" },
          ...freshness,
        },
      },
      Alignment: {
        type: "object",
        required: ["targetName", "targetUrl", "targetFramework", "targetCode"],
        properties: { targetName: { type: "string" }, targetUrl: { type: "string" }, targetFramework: { type: ["string", "null"] }, targetCode: { type: ["string", "null"] } },
      },
      StackEntry: {
        type: "object",
        required: ["status", "detail", "credentialHash"],
        properties: {
          status: { enum: ["valid", "revoked", "suspended", "unknown-anchor", "tampered", "unsupported-chain", "untrusted-registry", "unavailable"] },
          detail: { type: "string" },
          credentialHash: hex32,
        },
      },
      IssuerNaming: {
        type: "object",
        description:
          "Who issued a badge: `id` is its issuer.id (the identity the anchor and the signature are checked under); `verifiedName` the name " +
          "the issuer's own DID / controller document gives, when the badge's signature verified with a key of it; `statedName` the name " +
          "the badge gives itself — anyone can write any name there: show it only as \"as stated by the badge\", never as who issued it.",
        required: ["id", "verifiedName", "statedName"],
        properties: { id: { type: "string" }, verifiedName: { type: ["string", "null"] }, statedName: { type: ["string", "null"] } },
      },
      StackResult: {
        type: "object",
        description:
          "A stacked credential's pathway and components, each with its standing on chain; a component that is itself a stack has its own tree. " +
          "The chain checks a component's hash only; what its reference says of it is confirmed only when the component was at hand.",
        required: ["pathway", "components", "confirmation", "rule"],
        properties: {
          confirmation: {
            type: "object",
            description: "How many components of this tree, at every depth, are confirmed, only claimed, and refuted",
            required: ["confirmed", "claimed", "refuted"],
            properties: { confirmed: { type: "integer" }, claimed: { type: "integer" }, refuted: { type: "integer" } },
          },
          rule: {
            type: "object",
            description: "The pathway's rule re-checked over the confirmed components only, when the pathway document was at hand",
            required: ["checked", "met", "detail"],
            properties: { checked: { type: "boolean" }, met: { type: ["boolean", "null"] }, detail: { type: "string" } },
          },
          pathway: {
            allOf: [{ $ref: "#/components/schemas/StackEntry" }, { type: "object", required: ["pathwayId", "name"], properties: { pathwayId: { type: "string" }, name: { type: "string" } } }],
          },
          components: {
            type: "array",
            items: {
              allOf: [
                { $ref: "#/components/schemas/StackEntry" },
                {
                  type: "object",
                  required: ["credentialId", "achievementId", "achievementName", "issuerId", "issuedAt", "confirmation", "confirmationDetail", "claimedBy", "stack"],
                  properties: {
                    confirmation: {
                      enum: ["confirmed", "claimed", "refuted"],
                      description:
                        "confirmed: the component was at hand, its hash the one referenced, valid on its own, its learner, achievement and issuer as " +
                        "stated; claimed: only the stack's issuer (`claimedBy`) says what it is and whose; refuted: at hand, and it says otherwise",
                    },
                    confirmationDetail: { type: "string" },
                    claimedBy: { type: "string", description: "The profile id of the issuer whose stack states this component" },
                    credentialId: { type: "string" },
                    achievementId: { type: "string" },
                    achievementName: { type: "string" },
                    issuerId: { type: "string" },
                    issuedAt: { type: "string" },
                    stack: { oneOf: [{ $ref: "#/components/schemas/StackResult" }, { type: "null" }] },
                  },
                },
              ],
            },
          },
        },
      },
      HashStatus: {
        type: "object",
        required: ["credentialHash", "status", "detail", "warnings", "anchor", "issuer", "chainReadAt", "cacheTtlSeconds"],
        properties: {
          credentialHash: hex32,
          status: { enum: ["valid", "revoked", "suspended"] },
          detail: { type: "string" },
          warnings: { type: "array", items: { type: "string" } },
          anchor: { $ref: "#/components/schemas/AnchorFacts" },
          issuer: { $ref: "#/components/schemas/IssuerFacts" },
          ...freshness,
        },
      },
      AnchorFacts: {
        type: "object",
        additionalProperties: false,
        required: ["chainId", "registry", "root", "leafIndex", "issuerId", "actingKey", "anchoredAt", "count", "batchRevoked", "keyCompromised", "keyCompromisedSince"],
        properties: { chainId: { type: "integer" }, registry: address, root: hex32, leafIndex: { type: "integer" }, ...anchorFacts, ...compromiseFacts },
      },
      IssuerFacts: {
        type: "object",
        additionalProperties: false,
        required: ["profileId", "issuerId", "controller", "status", "statusSince", "statusReason"],
        properties: issuerFacts,
      },
      Anchor: {
        type: "object",
        additionalProperties: false,
        required: ["chainId", "registry", "issuerId", "root", "actingKey", "anchoredAt", "count", "batchRevoked", "chainReadAt", "cacheTtlSeconds"],
        properties: { chainId: { type: "integer" }, registry: address, root: hex32, ...anchorFacts, ...freshness },
      },
      Issuer: {
        type: "object",
        additionalProperties: false,
        required: [
          "chainId",
          "registry",
          "profileId",
          "issuerId",
          "controller",
          "proposedController",
          "status",
          "statusReason",
          "registeredAt",
          "statusSince",
          "operators",
          "compromisedKeys",
          "chainReadAt",
          "cacheTtlSeconds",
        ],
        properties: {
          chainId: { type: "integer" },
          registry: address,
          profileId: { type: ["string", "null"], description: "As registered (from the IssuerRegistered event)" },
          issuerId: hex32,
          controller: issuerFacts.controller,
          proposedController: { ...nullable(address), description: "A controller proposed by transferControl and not accepted yet" },
          status: { enum: ["active", "suspended", "withdrawn"] },
          statusReason: { type: "string" },
          registeredAt: dateTime,
          statusSince: dateTime,
          operators: {
            type: "array",
            description: "The operators (hot keys) now, rebuilt from the issuer's OperatorAdded / OperatorRemoved / KeyCompromised events",
            items: { type: "object", additionalProperties: false, required: ["key", "addedAt"], properties: { key: address, addedAt: dateTime } },
          },
          compromisedKeys: {
            type: "array",
            description: "Every key declared compromised: its anchors from `since` read revoked",
            items: { type: "object", additionalProperties: false, required: ["key", "since", "declaredBy"], properties: { key: address, since: dateTime, declaredBy: address } },
          },
          ...freshness,
        },
      },
      Readiness: {
        type: "object",
        required: ["status", "chains"],
        properties: {
          status: { enum: ["ready", "unavailable"] },
          chains: { type: "array", items: { type: "object", required: ["chainId", "registry", "ready"], properties: { chainId: { type: "integer" }, registry: address, ready: { type: "boolean" }, chainIdVerified: { type: "boolean" }, head: { type: ["object", "null"], properties: { number: { type: "integer" }, hash: hex32, ageSeconds: { type: "integer" } } }, endpoints: { type: "object", properties: { healthy: { type: "integer" }, total: { type: "integer" } } }, problem: { type: "string" } } } },
          trust: { type: "array", description: "The trust policy per registry: the issuer patterns pinned to it ({id} or {prefix}), and whether it is trusted for its own issuers (registered on it, pinned nowhere, and registered on no other configured registry)", items: { type: "object", required: ["chainId", "registry", "pinned", "ownIssuers"], properties: { chainId: { type: "integer" }, registry: address, pinned: { type: "array", items: { type: "object" } }, ownIssuers: { type: "boolean" } } } },
        },
      },
      Problem: {
        type: "object",
        description: `RFC 9457 problem details; \`type\` is ${PROBLEM_TYPE_BASE}<kind>, one of: ${Object.keys(PROBLEMS).join(", ")}`,
        required: ["type", "title", "status", "detail"],
        properties: {
          type: { enum: Object.keys(PROBLEMS).map((kind) => `${PROBLEM_TYPE_BASE}${kind}`) },
          title: { type: "string" },
          status: { type: "integer" },
          detail: { type: "string" },
          instance: { type: "string" },
        },
      },
    },
  },
} as const;
