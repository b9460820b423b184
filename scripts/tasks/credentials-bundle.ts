export { bundleAction as default } from "./pathway-actions.js";
