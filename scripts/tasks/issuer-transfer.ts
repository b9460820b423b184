export { transferAction as default } from "./issuer-actions.js";
