export { stackAction as default } from "./pathway-actions.js";
