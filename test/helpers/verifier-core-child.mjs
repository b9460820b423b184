/**
 * Runs the Digital Credentials Consortium's verifier (verifier-core, the engine of VerifierPlus and
 * the Learner Credential Wallet) on one credential, as its own process: the credential on stdin, the
 * result as one JSON line on stdout. A process of its own because the certificate of the tests'
 * HTTPS server is trusted through NODE_EXTRA_CA_CERTS, which Node reads only at start-up, so
 * verifier-core fetches did:web documents over real, checked TLS.
 *
 * The tests are offline: a fetch to any host but 127.0.0.1 / localhost is refused at once (rather
 * than waiting for DNS), which verifier-core meets only for the Open Badges JSON schema it fetches
 * from purl.imsglobal.org ("additionalInformation", not part of its verdict) and for contexts it
 * does not bundle. The process ends by itself after VERIFIER_CORE_TIMEOUT_MS.
 *
 * It runs only when started by verifier-core.ts (VERIFIER_CORE_CHILD=1): `hardhat test` loads every
 * .mjs under test/ as a test file, and there it must do nothing (not read stdin, not exit).
 */
if (process.env.VERIFIER_CORE_CHILD === "1") {
  const timeoutMs = Number(process.env.VERIFIER_CORE_TIMEOUT_MS ?? 20_000);
  const timer = setTimeout(() => {
    process.stdout.write(`${JSON.stringify({ timedOut: true, timeoutMs })}\n`);
    process.exit(124);
  }, timeoutMs);

  const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);
  const realFetch = globalThis.fetch;
  const refused = [];
  globalThis.fetch = (input, init) => {
    const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
    if (!LOOPBACK.has(url.hostname)) {
      refused.push(url.href);
      return Promise.reject(new TypeError(`offline test: no fetch to ${url.href}`));
    }
    return realFetch(input, init);
  };

  let input = "";
  for await (const chunk of process.stdin) input += chunk;

  const { verifyCredential } = await import("@digitalcredentials/verifier-core");
  const result = await verifyCredential({ credential: JSON.parse(input), knownDIDRegistries: [] });
  clearTimeout(timer);

  /** Errors carry Error objects (stack traces) that JSON drops; keep their name and message. */
  const errors = result.errors?.map((error) => ({ name: error.name, message: error.message }));
  const log = result.log?.map((entry) => ({ id: entry.id, valid: entry.valid, ...(entry.error ? { error: { name: entry.error.name, message: entry.error.message } } : {}) }));
  process.stdout.write(`${JSON.stringify({ log, errors, refusedFetches: refused })}\n`);
  process.exit(0);
}
