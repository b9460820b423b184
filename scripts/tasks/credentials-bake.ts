export { bakeAction as default } from "./baked-badge-actions.js";
