/**
 * How commands (Hardhat tasks) report failures: a `CommandError` is the user's to fix (bad input,
 * wrong network), so it is printed as one plain line (or a JSON object with --json) and sets a
 * non-zero exit code, without a stack trace. Anything else is a bug and propagates to Hardhat.
 */
export class CommandError extends Error {
  override readonly name: string = "CommandError";
  /** Stable identifier for scripts reading --json output. */
  readonly code: string;
  readonly exitCode: number;

  constructor(code: string, message: string, exitCode = 2) {
    super(message);
    this.code = code;
    this.exitCode = exitCode;
  }
}

// Output piped into `head` or `grep -q` may be closed early: that ends the command quietly, not with a trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

/** Runs a command's work; a CommandError becomes a printed message and an exit code. */
export async function runCommand(json: boolean, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    if (!(error instanceof CommandError)) throw error;
    if (json) console.log(JSON.stringify({ error: { code: error.code, message: error.message } }));
    else console.error(`Error: ${error.message}`);
    process.exitCode = error.exitCode;
  }
}
