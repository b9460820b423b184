/**
 * Fault injection for the crash-resume tests: when CREDENTIAL_REGISTRY_FAILPOINT names a point the
 * anchor command passes, the process kills itself there (SIGKILL: no cleanup, like a power cut).
 * Unset in normal use, it does nothing.
 */
export type Failpoint = "after-journal" | "after-send" | "after-anchored" | "mid-write";

export function failpoint(name: Failpoint): void {
  if (process.env.CREDENTIAL_REGISTRY_FAILPOINT === name) process.kill(process.pid, "SIGKILL");
}
