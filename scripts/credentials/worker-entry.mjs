// Entry of a badge worker thread. Hardhat loads TypeScript through tsx in the main thread only, so a
// worker registers tsx itself before loading the TypeScript worker module.
import { register } from "tsx/esm/api";

register();
await import("./badge-worker.ts");
