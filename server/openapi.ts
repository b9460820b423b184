/**
 * The API described in OpenAPI 3.1 (JSON Schema 2020-12), served at /openapi.json. A test checks every
 * route's real responses against these schemas, so the document cannot drift from the code.
 */
import { CHECK_ORDER, ISSUER_STATUS_NAMES, STATUS_PRIORITY } from "../lib/verify/verify.js";
import { PROBLEMS, PROBLEM_TYPE_BASE } from "./problems.js";

const hex32 = { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" } as const;
const address = { type: "string", pattern: "^0x[0-9a-fA-F]{40}$" } as const;
const dateTime = { type: "string", format: "date-time" } as const;
const freshness = {
  chainReadAt: { type: ["string", "null"], format: "date-time", description: "The oldest chain read the answer rests on" },
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
      "on the configured EVM chains. Fails closed: when a chain cannot be read the answer is `unavailable` (503), never `valid`.",
  },
  paths: {
    "/v1/credentials/verify": {
      post: {
        summary: "Verify a credential",
        description:
          "Body: `{ \"verifiableCredential\": {…} }` or the credential itself (JSON, up to MAX_BODY_BYTES), or a baked badge: a PNG or " +
          "SVG image carrying the credential as Open Badges 3.0 specifies (up to MAX_IMAGE_BYTES); the answer then also holds the " +
          "credential found in it (`bakedCredential`). An image that is not a readable baked badge — damaged, hostile, or carrying " +
          "no credential or not one — is a 400 `bad-image` problem. Every verdict is 200 but `unavailable` (503).",
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
        summary: "The standing of a credential anchored alone (a batch of one), by its credential hash",
        parameters: [{ name: "hash", in: "path", required: true, schema: hex32 }],
        responses: lookupResponses("Anchored", "HashStatus"),
      },
    },
    "/v1/anchors/{root}": {
      get: {
        summary: "An anchored batch",
        parameters: [
          { name: "root", in: "path", required: true, schema: hex32 },
          { name: "chainId", in: "query", required: false, schema: { type: "integer" } },
        ],
        responses: lookupResponses("The anchor", "Anchor"),
      },
    },
    "/v1/issuers/{address}": {
      get: {
        summary: "A registered issuer: profile id, status, since when",
        parameters: [
          { name: "address", in: "path", required: true, schema: address },
          { name: "chainId", in: "query", required: false, schema: { type: "integer" } },
        ],
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
        required: ["verified", "status", "checks", "warnings", "errors", "credentialHash", "anchor", "issuer", "credential", "stack"],
        properties: {
          verified: { type: "boolean" },
          status: { enum: ["valid", ...STATUS_PRIORITY] },
          checks: { type: "array", items: { $ref: "#/components/schemas/Check" }, minItems: CHECK_ORDER.length, maxItems: CHECK_ORDER.length },
          warnings: { type: "array", items: { type: "string" } },
          errors: { type: "array", items: { type: "string" } },
          credentialHash: { oneOf: [hex32, { type: "null" }] },
          anchor: {
            oneOf: [
              {
                type: "object",
                required: ["chainId", "registry", "root", "leafIndex", "issuer", "anchoredAt", "count", "batchRevoked"],
                properties: { chainId: { type: "integer" }, registry: address, root: hex32, leafIndex: { type: "integer" }, issuer: address, anchoredAt: dateTime, count: { type: "integer" }, batchRevoked: { type: "boolean" } },
              },
              { type: "null" },
            ],
          },
          issuer: {
            oneOf: [
              {
                type: "object",
                required: ["address", "profileId", "status", "statusSince", "statusReason"],
                properties: { address, profileId: { type: "string" }, status: { enum: [...ISSUER_STATUS_NAMES] }, statusSince: dateTime, statusReason: { type: "string" } },
              },
              { type: "null" },
            ],
          },
          credential: {
            oneOf: [
              {
                type: "object",
                required: ["id", "name", "issuerName", "subjectId", "achievementName", "achievementDescription", "achievementId", "achievementType", "alignments", "issuerId", "validFrom", "validUntil"],
                properties: {
                  id: { type: "string" },
                  name: { type: ["string", "null"] },
                  issuerName: { type: ["string", "null"] },
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
                items: { type: "object", required: ["id", "name", "address"], properties: { id: { type: "string" }, name: { type: ["string", "null"] }, address: { oneOf: [address, { type: "null" }] } } },
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
                issuer: { type: "object", required: ["id", "name"], properties: { id: { type: "string" }, name: { type: ["string", "null"] } } },
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
          status: { enum: ["valid", "revoked", "suspended", "unknown-anchor", "tampered", "issuer-mismatch", "unsupported-chain", "unavailable"] },
          detail: { type: "string" },
          credentialHash: hex32,
        },
      },
      StackResult: {
        type: "object",
        description: "A stacked credential's pathway and components, each with its standing on chain; a component that is itself a stack has its own tree.",
        required: ["pathway", "components"],
        properties: {
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
                  required: ["credentialId", "achievementId", "achievementName", "issuerId", "issuedAt", "stack"],
                  properties: {
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
          anchor: { type: "object", required: ["chainId", "registry", "root", "leafIndex", "issuer", "anchoredAt", "count", "batchRevoked"] },
          issuer: { type: "object", required: ["address", "status", "statusSince", "statusReason"] },
          ...freshness,
        },
      },
      Anchor: {
        type: "object",
        required: ["chainId", "registry", "root", "issuer", "anchoredAt", "count", "batchRevoked", "chainReadAt", "cacheTtlSeconds"],
        properties: { chainId: { type: "integer" }, registry: address, root: hex32, issuer: address, anchoredAt: dateTime, count: { type: "integer", minimum: 1 }, batchRevoked: { type: "boolean" }, ...freshness },
      },
      Issuer: {
        type: "object",
        required: ["chainId", "registry", "address", "profileId", "profileIdHash", "status", "statusReason", "registeredAt", "statusSince", "chainReadAt", "cacheTtlSeconds"],
        properties: {
          chainId: { type: "integer" },
          registry: address,
          address,
          profileId: { type: ["string", "null"] },
          profileIdHash: hex32,
          status: { enum: ["active", "suspended", "withdrawn"] },
          statusReason: { type: "string" },
          registeredAt: dateTime,
          statusSince: dateTime,
          ...freshness,
        },
      },
      Readiness: {
        type: "object",
        required: ["status", "chains"],
        properties: {
          status: { enum: ["ready", "unavailable"] },
          chains: { type: "array", items: { type: "object", required: ["chainId", "registry", "ready"], properties: { chainId: { type: "integer" }, registry: address, ready: { type: "boolean" } } } },
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
