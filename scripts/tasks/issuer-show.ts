export { showAction as default } from "./issuer-actions.js";
