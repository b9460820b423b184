/**
 * What the audit's rebuilt state costs in memory, without a node: feeds the rebuild (lib/audit) a history of
 * N anchors and R one-credential revocations (env N, R; default 1,000,000 and 100,000), in multicall-sized
 * blocks, then reports the heap and typed-array bytes the state holds after a full GC, per event.
 * Run: `node --expose-gc --import tsx bench/audit-state-size.ts`. (bench:audit measures the whole audit.)
 */
import { getAddress, keccak256, toBeHex } from "ethers";

import { Rebuild } from "../lib/audit/audit.js";
import { issuerIdOfProfile } from "../lib/credential/profile-id.js";

const collect = (globalThis as { gc?: () => void }).gc;
if (!collect) throw new Error("run with node --expose-gc --import tsx bench/audit-state-size.ts");
const anchors = Number(process.env.N ?? 1_000_000);
const revocations = Number(process.env.R ?? 100_000);

collect();
const before = process.memoryUsage();
const rebuild = new Rebuild();
const accreditor = getAddress(`0x${"11".repeat(20)}`);
const controller = getAddress(`0x${"22".repeat(20)}`);
const profileId = "did:web:bench.example";
const issuerId = issuerIdOfProfile(profileId);
let blockNumber = 1;
let timestamp = 1_700_000_000;
let logIndex = 0;
const place = () => ({ blockNumber, logIndex: logIndex++, transactionHash: `0x${blockNumber.toString(16).padStart(64, "0")}`, timestamp });
const nextBlock = () => {
  blockNumber++;
  timestamp += 2;
  logIndex = 0;
};
rebuild.apply({ kind: "RoleGranted", role: keccak256(new TextEncoder().encode("ACCREDITOR_ROLE")), account: accreditor, sender: accreditor, ...place() });
nextBlock();
rebuild.apply({ kind: "IssuerRegistered", issuerId, profileId, controller, accreditor, ...place() });
const rootOf = (index: number) => keccak256(toBeHex(index + 1, 32));
for (let index = 0; index < anchors; index++) {
  if (index % 540 === 0) nextBlock();
  rebuild.apply({ kind: "Anchored", issuerId, root: rootOf(index), actingKey: controller, count: 1 + (index % 1000), ...place() });
}
for (let index = 0; index < revocations; index++) {
  if (index % 400 === 0) nextBlock();
  rebuild.apply({ kind: "CredentialsRevoked", issuerId, root: rootOf(index), wordIndex: 0n, mask: 1n, reason: 1, actor: controller, ...place() });
}
collect();
const after = process.memoryUsage();
const MB = 1024 * 1024;
const events = rebuild.state.timeline.length;
const held = after.heapUsed - before.heapUsed + (after.arrayBuffers - before.arrayBuffers);
console.log(
  JSON.stringify({
    events,
    findings: rebuild.state.findings.length,
    heapMB: Math.round((after.heapUsed - before.heapUsed) / MB),
    typedArraysMB: Math.round((after.arrayBuffers - before.arrayBuffers) / MB),
    bytesPerEvent: Math.round(held / events),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  }),
);
