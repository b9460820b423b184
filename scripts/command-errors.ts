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

/** What a file-system failure on a path the user gave means, in a few words. */
const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: "no such file or folder",
  ENOTDIR: "a part of the path is not a folder",
  EEXIST: "a file is in the way (a folder was expected)",
  EISDIR: "it is a folder (a file was expected)",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
};

/** A file-system failure on a named path (reading an input, writing an --out) as a CommandError. */
function fileProblem(error: unknown): CommandError | undefined {
  const { code, path } = error as { code?: string; path?: string };
  if (typeof code !== "string" || typeof path !== "string" || !(code in FILE_PROBLEMS)) return undefined;
  return new CommandError("file-error", `${path}: ${FILE_PROBLEMS[code]}`);
}

/**
 * Hardhat's HHE7 ("Configuration Variable "SEPOLIA_RPC_URL" not found"), met when a network such as sepolia
 * is used before its variables are stored, as a sentence saying which `keystore set` to run.
 */
function missingConfigurationVariable(error: unknown): CommandError | undefined {
  const message = error instanceof Error ? error.message : "";
  const variable = /Configuration Variable "([A-Z0-9_]+)" not found/.exec(message)?.[1];
  if (variable === undefined) return undefined;
  return new CommandError(
    "missing-configuration-variable",
    `the configuration variable ${variable} is not set: store it with \`npx hardhat keystore set ${variable}\` (it asks for the value and keeps it encrypted), or set it in the environment`,
  );
}

/**
 * Runs a command's work; a CommandError — or a file-system failure on a path, which is the user's to fix
 * too — becomes a printed message and an exit code.
 */
export async function runCommand(json: boolean, work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (caught) {
    const error = fileProblem(caught) ?? missingConfigurationVariable(caught) ?? caught;
    if (!(error instanceof CommandError)) throw error;
    if (json) console.log(JSON.stringify({ error: { code: error.code, message: error.message } }));
    else console.error(`Error: ${error.message}`);
    process.exitCode = error.exitCode;
  }
}
