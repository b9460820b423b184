export { recoverAction as default } from "./issuer-actions.js";
