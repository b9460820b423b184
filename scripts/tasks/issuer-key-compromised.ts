export { keyCompromisedAction as default } from "./issuer-actions.js";
