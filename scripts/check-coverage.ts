/**
 * Fails unless every contract under contracts/ has 100% line and statement coverage — test doubles under
 * contracts/mocks/ aside (they exist for the tests; what they cover is not what a user relies on) — and
 * unless the registry itself is in the report, so that the rule cannot pass on an empty table.
 * Lines come from coverage/lcov.info; statements only from the table Hardhat prints (its lcov has no
 * statement records), so both are read.
 *
 * Usage: node scripts/check-coverage.ts <hardhat test log> <lcov.info>
 */
import { readFileSync } from "node:fs";

const [logPath, lcovPath] = process.argv.slice(2);
if (!logPath || !lcovPath) {
  console.error("usage: node scripts/check-coverage.ts <hardhat test log> <lcov.info>");
  process.exit(2);
}

interface FileCoverage {
  file: string;
  linePercent: number;
  statementPercent: number;
}

// Rows look like: ║ contracts/CredentialRegistry.sol │ 100.00 │ 100.00 │ - ║
const rowPattern = /║\s*(contracts\/\S+\.sol)\s*│\s*([\d.]+)\s*│\s*([\d.]+)\s*│/;
const table: FileCoverage[] = readFileSync(logPath, "utf8")
  .split("\n")
  .map((line) => rowPattern.exec(line))
  .filter((match) => match !== null)
  .map((match) => ({ file: match[1], linePercent: Number(match[2]), statementPercent: Number(match[3]) }));

const lcovFiles = readFileSync(lcovPath, "utf8").split("end_of_record").flatMap((record) => {
  const file = /^SF:(.+)$/m.exec(record)?.[1];
  const found = Number(/^LF:(\d+)$/m.exec(record)?.[1]);
  const hit = Number(/^LH:(\d+)$/m.exec(record)?.[1]);
  return file ? [{ file, found, hit }] : [];
});

const isMock = (file: string) => file.startsWith("contracts/mocks/");
const REQUIRED = "contracts/CredentialRegistry.sol";

const problems: string[] = [];
if (table.length === 0) problems.push("no coverage table for contracts/ found in the test log");
else if (!table.some((row) => row.file === REQUIRED)) problems.push(`${REQUIRED} is missing from the coverage table`);
for (const row of table.filter((entry) => !isMock(entry.file))) {
  if (row.linePercent < 100 || row.statementPercent < 100) {
    problems.push(`${row.file}: lines ${row.linePercent}%, statements ${row.statementPercent}%`);
  }
}
for (const record of lcovFiles.filter((entry) => entry.file.startsWith("contracts/") && !isMock(entry.file))) {
  if (record.hit < record.found) problems.push(`${record.file}: ${record.hit} of ${record.found} lines run (lcov)`);
}

if (problems.length > 0) {
  console.error(`Contract coverage is below 100%:\n  ${problems.join("\n  ")}`);
  process.exit(1);
}
const counted = table.filter((row) => !isMock(row.file)).length;
console.log(`Contract coverage: 100% of lines and statements in ${counted} file(s) (contracts/mocks/ not counted).`);
