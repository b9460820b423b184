/**
 * Deploys the CredentialRegistry. Parameters (all optional): `admin` (DEFAULT_ADMIN_ROLE) and
 * `accreditor` (ACCREDITOR_ROLE); both default to the deploying account.
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

export default buildModule("CredentialRegistryModule", (m) => {
  const deployer = m.getAccount(0);
  const admin = m.getParameter("admin", deployer);
  const accreditor = m.getParameter("accreditor", deployer);
  const registry = m.contract("CredentialRegistry", [admin, accreditor]);
  return { registry };
});
