/**
 * A registry history (2.x) with every kind of event, built with the registry's own functions: issuers
 * suspended, reinstated and withdrawn; operators added, removed and declared compromised; a control
 * transfer proposed, cancelled, proposed again and accepted; a controller declared compromised by the
 * accreditor and control recovered; batches revoked in part and whole; suspensions set and lifted by the
 * operator that anchored; relayed signatures with keyed nonces and a nonce invalidated; two months apart.
 * The hot operator anchors a genuine batch, then (40 days later, as a thief) a forged one; the declaration
 * since the forgery cuts off the forged batch only.
 */
import type { NetworkConnection } from "hardhat/types/network";

import { deployRegistryWithIssuers, rootOf, signDelegation } from "./registry.js";

export async function buildAuditHistory(connection: NetworkConnection) {
  const { networkHelpers, ethers } = connection;
  const context = await deployRegistryWithIssuers(connection);
  const { registry, accreditor, university, universityOperator, employer, relayer, stranger, universityId, employerId } = context;
  const [, , , , , , , newUniversityController, hotOperator, newEmployerController] = await ethers.getSigners();
  const latestTime = async () => (await ethers.provider.getBlock("latest"))!.timestamp;

  await registry.connect(universityOperator).anchor(universityId, rootOf("cohort-a"), 600);
  await registry.connect(university).revoke(universityId, rootOf("cohort-a"), 0, 0b1011n, 1);
  await registry.connect(university).suspend(universityId, rootOf("cohort-a"), 2, 0b11n, 7);
  await registry.connect(universityOperator).unsuspend(universityId, rootOf("cohort-a"), 2, 0b01n, 0);
  await registry.connect(university).addOperator(universityId, hotOperator.address);
  await registry.connect(hotOperator).anchor(universityId, rootOf("genuine-by-hot-key"), 20);
  await networkHelpers.time.increase(40 * 86_400);

  await registry.connect(employer).anchor(employerId, rootOf("security-1"), 3);
  await registry.connect(employer).revokeBatch(employerId, rootOf("security-1"), 3);
  await registry.connect(accreditor).suspendIssuer(universityId, 7);
  await registry.connect(accreditor).reinstateIssuer(universityId, 0);
  await registry.connect(university).removeOperator(universityId, universityOperator.address);
  const signed = await signDelegation({ registry, action: "Anchor", key: university, nonceKey: 7n, fields: { issuerId: universityId, root: rootOf("relayed"), count: 10 } });
  await registry.connect(relayer).anchorBySig(universityId, rootOf("relayed"), 10, signed);
  await registry.connect(stranger).invalidateNonce(3n);

  // The hot key is stolen: a forgery, then the controller declares the key compromised since it.
  await registry.connect(hotOperator).anchor(universityId, rootOf("forged"), 1);
  const forgedAt = await latestTime();
  await registry.connect(university).declareKeyCompromised(universityId, hotOperator.address, forgedAt);

  // Rotation: proposed, cancelled, proposed again, accepted.
  await registry.connect(university).transferControl(universityId, newUniversityController.address);
  await registry.connect(university).transferControl(universityId, ethers.ZeroAddress);
  await registry.connect(university).transferControl(universityId, newUniversityController.address);
  await registry.connect(newUniversityController).acceptControl(universityId);
  await registry.connect(newUniversityController).anchor(universityId, rootOf("after-rotation"), 5);

  // The employer's controller is stolen: the accreditor declares it compromised, recovers control, withdraws.
  const employerStart = (await registry.getKey(employerId, employer.address)).addedAt;
  await registry.connect(accreditor).declareKeyCompromised(employerId, employer.address, employerStart);
  await registry.connect(accreditor).recoverControl(employerId, newEmployerController.address);
  await registry.connect(accreditor).withdrawIssuer(employerId, 6);
  return { ...context, newUniversityController, hotOperator, newEmployerController, forgedAt };
}
