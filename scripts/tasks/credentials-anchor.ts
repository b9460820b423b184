export { anchorAction as default } from "./credentials-actions.js";
