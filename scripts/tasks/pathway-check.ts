export { checkAction as default } from "./pathway-actions.js";
