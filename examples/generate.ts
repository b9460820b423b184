/**
 * Synthetic Open Badges 3.0 credentials for tests and benchmarks. `syntheticBadge(index)` is pure and
 * deterministic: the same seed and index always give the same badge, byte for byte, so a test or a
 * benchmark can regenerate its input instead of storing it. Each badge has the shape of the hand-written
 * samples in `examples/badges/` (an OpenBadgeCredential with issuer profile, achievement, criteria,
 * alignment and evidence) and about 3 KB of pretty-printed JSON, so hashing and batching costs resemble
 * those of real badges. Only `node:` built-ins are imported, so the file runs as a script under Node 22's
 * type stripping:
 *
 *   node examples/generate.ts 1000 [--out DIR] [--seed S] [--json]
 */
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";

export interface SyntheticBadgeOptions {
  /** Varies every id; two seeds give disjoint sets of badges. Default "synthetic". */
  seed?: string;
  issuerId?: string;
  issuerName?: string;
  /** ISO 8601 date-time with Z. Default "2026-01-15T09:00:00Z". */
  validFrom?: string;
}

export interface SyntheticBadge {
  "@context": string[];
  id: string;
  type: string[];
  name: string;
  description: string;
  issuer: { id: string; type: string[]; name: string; url: string };
  validFrom: string;
  credentialSubject: {
    id: string;
    type: string[];
    achievement: {
      id: string;
      type: string[];
      achievementType: string;
      name: string;
      description: string;
      criteria: { narrative: string };
      image: { id: string; type: string };
      alignment: {
        type: string[];
        targetName: string;
        targetUrl: string;
        targetFramework: string;
        targetCode: string;
      }[];
      tag: string[];
      creditsAvailable: number;
      fieldOfStudy: string;
    };
  };
  evidence: { type: string[]; id: string; name: string; narrative: string }[];
}

interface AchievementTemplate {
  slug: string;
  name: string;
  fieldOfStudy: string;
  topics: string;
  task: string;
  tags: string[];
  alignment: { targetName: string; targetUrl: string; targetFramework: string; targetCode: string };
}

const DEFAULT_SEED = "synthetic";
const DEFAULT_ISSUER_ID = "did:web:academy.example";
const DEFAULT_ISSUER_NAME = "Synthetic Skills Academy";
const DEFAULT_VALID_FROM = "2026-01-15T09:00:00Z";
const DEFAULT_OUT_DIR = fileURLToPath(new URL("./generated/", import.meta.url));
const PROGRESS_MIN_COUNT = 10_000;
const WRITE_CONCURRENCY = 64;

const ESCO_DATA_ANALYST = {
  targetName: "data analyst",
  targetUrl: "http://data.europa.eu/esco/occupation/d3edb8f8-3a06-47a0-8fb9-9b212c006aa2",
  targetFramework: "ESCO",
  targetCode: "d3edb8f8-3a06-47a0-8fb9-9b212c006aa2",
};
const ESCO_DATA_SCIENTIST = {
  targetName: "data scientist",
  targetUrl: "http://data.europa.eu/esco/occupation/258e46f9-0075-4a2e-adae-1ff0477e0f30",
  targetFramework: "ESCO",
  targetCode: "258e46f9-0075-4a2e-adae-1ff0477e0f30",
};
const NICE_RESOURCE_CENTER = "https://www.nist.gov/itl/applied-cybersecurity/nice/nice-framework-resource-center";

const ACHIEVEMENTS: readonly AchievementTemplate[] = [
  {
    slug: "data-analytics-foundations",
    name: "Data Analytics Foundations",
    fieldOfStudy: "Data Analytics",
    topics: "framing a question, sourcing and cleaning tabular data, exploratory analysis, descriptive statistics and clear charts",
    task: "an analytics project on a public data set",
    tags: ["data analytics", "descriptive statistics", "data cleaning"],
    alignment: ESCO_DATA_ANALYST,
  },
  {
    slug: "sql-for-analysts",
    name: "SQL for Analysts",
    fieldOfStudy: "Data Analytics",
    topics: "filtering and aggregation, joins, common table expressions, window functions and reading query plans",
    task: "a practical examination against an unseen relational database",
    tags: ["SQL", "relational databases", "window functions"],
    alignment: ESCO_DATA_ANALYST,
  },
  {
    slug: "statistical-modelling-python",
    name: "Statistical Modelling with Python",
    fieldOfStudy: "Statistics",
    topics: "linear and logistic regression, model diagnostics, cross-validation and regularisation in Python",
    task: "a reproducible modelling project compared on held-out data",
    tags: ["statistics", "regression", "Python"],
    alignment: ESCO_DATA_SCIENTIST,
  },
  {
    slug: "secure-coding-practitioner",
    name: "Secure Coding Practitioner",
    fieldOfStudy: "Application Security",
    topics: "input validation, parameterised queries, access control, secrets management and security code review",
    task: "a remediation lab on a deliberately vulnerable service",
    tags: ["secure coding", "OWASP Top 10", "code review"],
    alignment: {
      targetName: "Secure Software Development",
      targetUrl: NICE_RESOURCE_CENTER,
      targetFramework: "NICE Workforce Framework for Cybersecurity",
      targetCode: "DD-WRL-003",
    },
  },
  {
    slug: "incident-response-fundamentals",
    name: "Incident Response Fundamentals",
    fieldOfStudy: "Security Operations",
    topics: "triage and severity classification, evidence preservation, containment, recovery and post-incident review",
    task: "a tabletop exercise simulating a ransomware outbreak",
    tags: ["incident response", "triage", "security operations"],
    alignment: {
      targetName: "Incident Response",
      targetUrl: NICE_RESOURCE_CENTER,
      targetFramework: "NICE Workforce Framework for Cybersecurity",
      targetCode: "PD-WRL-003",
    },
  },
];

/**
 * A UUID in version-4 layout whose bits come from SHA-256 of seed and index rather than from randomness,
 * so ids are stable across runs yet unique for practical purposes.
 */
function deterministicUuid(seed: string, index: number): string {
  const digest = createHash("sha256").update(`${seed}:${index}`).digest();
  digest[6] = (digest[6]! & 0x0f) | 0x40;
  digest[8] = (digest[8]! & 0x3f) | 0x80;
  const hex = digest.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The https origin of the issuer's site: the issuer id itself, or the host of a did:web. */
function issuerSite(issuerId: string): string {
  if (issuerId.startsWith("did:web:")) {
    const [host] = issuerId.slice("did:web:".length).split(":");
    return `https://${decodeURIComponent(host!)}`;
  }
  return new URL(issuerId).origin;
}

/**
 * One synthetic, valid OpenBadgeCredential. The achievement cycles through five templates by index; the
 * subject is `did:example:learner-<index>`.
 *
 * @example
 * const badge = syntheticBadge(1, { seed: "bench" });
 * badge.id; // "urn:uuid:…", the same on every run
 */
export function syntheticBadge(index: number, options: SyntheticBadgeOptions = {}): SyntheticBadge {
  if (!Number.isSafeInteger(index) || index < 0) {
    throw new RangeError(`index must be a non-negative integer, got ${index}`);
  }
  const seed = options.seed ?? DEFAULT_SEED;
  const issuerId = options.issuerId ?? DEFAULT_ISSUER_ID;
  const issuerName = options.issuerName ?? DEFAULT_ISSUER_NAME;
  const validFrom = options.validFrom ?? DEFAULT_VALID_FROM;
  const site = issuerSite(issuerId);
  const template = ACHIEVEMENTS[index % ACHIEVEMENTS.length]!;
  const achievementUrl = `${site}/achievements/${template.slug}`;
  const cohort = 1 + (index % 12);

  return {
    "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
    id: `urn:uuid:${deterministicUuid(seed, index)}`,
    type: ["VerifiableCredential", "OpenBadgeCredential"],
    name: template.name,
    description:
      `Micro-credential awarded by ${issuerName} for completing the ${template.name} programme ` +
      `(cohort ${cohort}) and passing its assessment.`,
    issuer: { id: issuerId, type: ["Profile"], name: issuerName, url: site },
    validFrom,
    credentialSubject: {
      id: `did:example:learner-${index}`,
      type: ["AchievementSubject"],
      achievement: {
        id: achievementUrl,
        type: ["Achievement"],
        achievementType: "MicroCredential",
        name: template.name,
        description:
          `A practical programme covering ${template.topics}. Learners work through weekly guided exercises ` +
          `with feedback from tutors, then apply what they have learned in ${template.task}. The programme ` +
          `takes about 75 hours of study and is designed for working professionals.`,
        criteria: {
          narrative:
            `The learner has completed every weekly exercise, passed the knowledge check with at least 70%, ` +
            `and completed ${template.task}. The assessed work is marked against the published rubric by two ` +
            `assessors and must reach the 'Competent' level on every criterion; a short review with an ` +
            `assessor confirms that the work is the learner's own.`,
        },
        image: { id: `${achievementUrl}/image.png`, type: "Image" },
        alignment: [{ type: ["Alignment"], ...template.alignment }],
        tag: template.tags,
        creditsAvailable: 3,
        fieldOfStudy: template.fieldOfStudy,
      },
    },
    evidence: [
      {
        type: ["Evidence"],
        id: `${site}/evidence/${seed}/${index}`,
        name: `Assessed work: ${template.name}`,
        narrative:
          `Submission for ${template.task}, with the assessors' rubric scores and written feedback. ` +
          `Marked 'Competent' or above on every criterion.`,
      },
    ],
  };
}

/** Badges for indexes 1…count, so that the n-th badge is `syntheticBadge(n)` and file `badge-00000n.json`. */
export function syntheticBadges(count: number, options: SyntheticBadgeOptions = {}): SyntheticBadge[] {
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(`count must be a non-negative integer, got ${count}`);
  }
  return Array.from({ length: count }, (_, offset) => syntheticBadge(offset + 1, options));
}

class UsageError extends Error {
  override readonly name = "UsageError";
}

const USAGE = "usage: node examples/generate.ts N [--out DIR] [--seed S] [--json]";

interface GenerateCommand {
  count: number;
  outDir: string;
  seed: string;
  json: boolean;
}

function parseCommand(argv: string[]): GenerateCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: "string" },
        seed: { type: "string", default: DEFAULT_SEED },
        json: { type: "boolean", default: false },
      },
    });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new UsageError(`expected exactly one count N\n${USAGE}`);
  const countText = positionals[0]!;
  const count = Number(countText);
  if (!/^\d+$/.test(countText) || !Number.isSafeInteger(count) || count < 1) {
    throw new UsageError(`N must be a positive integer, got "${countText}"\n${USAGE}`);
  }
  return {
    count,
    outDir: values.out === undefined ? DEFAULT_OUT_DIR : resolve(values.out),
    seed: values.seed,
    json: values.json,
  };
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Writes badges 1…count as DIR/badge-000001.json…; returns the total bytes written. */
async function writeBadges(command: GenerateCommand): Promise<number> {
  await mkdir(command.outDir, { recursive: true });
  const showProgress = command.count >= PROGRESS_MIN_COUNT;
  const progressStep = Math.ceil(command.count / 10);
  let totalBytes = 0;
  for (let first = 1; first <= command.count; first += WRITE_CONCURRENCY) {
    const last = Math.min(first + WRITE_CONCURRENCY - 1, command.count);
    const writes: Promise<void>[] = [];
    for (let index = first; index <= last; index++) {
      const text = `${JSON.stringify(syntheticBadge(index, { seed: command.seed }), null, 2)}\n`;
      totalBytes += Buffer.byteLength(text);
      const fileName = `badge-${String(index).padStart(6, "0")}.json`;
      writes.push(writeFile(resolve(command.outDir, fileName), text));
    }
    await Promise.all(writes);
    if (showProgress && (Math.floor(last / progressStep) > Math.floor((first - 1) / progressStep) || last === command.count)) {
      process.stderr.write(`… ${last} / ${command.count} badges written\n`);
    }
  }
  return totalBytes;
}

async function main(argv: string[]): Promise<void> {
  let command: GenerateCommand;
  try {
    command = parseCommand(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    if (argv.includes("--json")) console.log(JSON.stringify({ error: { code: error.name, message: error.message } }));
    else console.error(`Error: ${error.message}`);
    process.exitCode = 2;
    return;
  }
  const bytes = await writeBadges(command);
  if (command.json) console.log(JSON.stringify({ count: command.count, out: command.outDir, bytes }));
  else console.log(`Wrote ${command.count} synthetic badges to ${command.outDir} (${formatBytes(bytes)}).`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
