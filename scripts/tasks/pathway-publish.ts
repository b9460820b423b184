export { publishAction as default } from "./pathway-actions.js";
