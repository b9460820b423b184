export { didCreateAction as default } from "./issuer-actions.js";
