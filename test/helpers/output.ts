/**
 * Captures what a command prints (console.log / console.error) and the exit code it sets, restoring
 * both afterwards, so task tests can assert on the user-visible output.
 */
export interface CapturedOutput {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export async function captureOutput(run: () => Promise<unknown>): Promise<CapturedOutput> {
  const original = { log: console.log, error: console.error, exitCode: process.exitCode };
  const stdout: string[] = [];
  const stderr: string[] = [];
  console.log = (...parts: unknown[]) => stdout.push(parts.join(" "));
  console.error = (...parts: unknown[]) => stderr.push(parts.join(" "));
  process.exitCode = 0;
  try {
    await run();
    return { stdout: stdout.join("\n"), stderr: stderr.join("\n"), exitCode: Number(process.exitCode ?? 0) };
  } finally {
    console.log = original.log;
    console.error = original.error;
    process.exitCode = original.exitCode;
  }
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a rejection, but the promise resolved");
}
