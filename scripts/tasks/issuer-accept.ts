export { acceptAction as default } from "./issuer-actions.js";
