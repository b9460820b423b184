export { hashAction as default } from "./credentials-actions.js";
