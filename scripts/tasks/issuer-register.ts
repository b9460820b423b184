export { registerAction as default } from "./issuer-actions.js";
