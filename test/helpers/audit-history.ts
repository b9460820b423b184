/**
 * A registry history with every kind of event, built with the registry's own functions: issuers
 * suspended, reinstated and withdrawn, an operator added and removed, batches revoked in part and whole,
 * suspensions set and lifted, a relayed signature, two months apart.
 */
import type { NetworkConnection } from "hardhat/types/network";

import { deployRegistryWithIssuers, rootOf, signDelegation } from "./registry.js";

/** A history with every kind of event: see test/audit/rebuild.ts. */
export async function buildAuditHistory(connection: NetworkConnection) {
  const { networkHelpers } = connection;
  const context = await deployRegistryWithIssuers(connection);
  const { registry, accreditor, university, universityOperator, employer, relayer } = context;
  await registry.connect(universityOperator).anchor(rootOf("cohort-a"), 600);
  await registry.connect(university).revoke(rootOf("cohort-a"), 0, 0b1011n, 1);
  await registry.connect(university).suspend(rootOf("cohort-a"), 2, 0b11n, 7);
  await registry.connect(universityOperator).unsuspend(rootOf("cohort-a"), 2, 0b01n, 0);
  await networkHelpers.time.increase(40 * 86_400);
  await registry.connect(employer).anchor(rootOf("security-1"), 3);
  await registry.connect(employer).revokeBatch(rootOf("security-1"), 3);
  await registry.connect(accreditor).suspendIssuer(university.address, 7);
  await registry.connect(accreditor).reinstateIssuer(university.address, 0);
  await registry.connect(university).removeOperator(universityOperator.address);
  const signed = await signDelegation({ registry, action: "Anchor", key: university, fields: { root: rootOf("relayed"), count: 10 } });
  await registry.connect(relayer).anchorBySig(rootOf("relayed"), 10, signed);
  await registry.connect(accreditor).withdrawIssuer(employer.address, 6);
  return context;
}

