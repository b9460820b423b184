export { statusPublishAction as default } from "./credentials-actions.js";
