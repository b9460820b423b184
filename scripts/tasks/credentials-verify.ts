export { verifyAction as default } from "./credentials-actions.js";
