export { extractAction as default } from "./baked-badge-actions.js";
