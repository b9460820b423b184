// How the page names an issuer (the API's IssuerNaming): by its verified identity — its id, and the name
// its own DID document gives — and the name a badge gives its issuer only labelled as the badge's own
// statement: anyone can write any name there.

/** The issuer as verified: the name its own DID document gives, with its id; or its id alone. */
export function verifiedIssuer(issuer) {
  return issuer.verifiedName ? `${issuer.verifiedName} (${issuer.id})` : issuer.id;
}

/** The name the badge gives its issuer, when it says something the verified name does not; else null. */
export function statedIssuerName(issuer) {
  return issuer.statedName && issuer.statedName !== issuer.verifiedName ? issuer.statedName : null;
}

/** Both on one line: the verified issuer, then the badge's own naming, labelled. */
export function issuerLine(issuer) {
  const stated = statedIssuerName(issuer);
  return stated ? `${verifiedIssuer(issuer)}; "${stated}" as stated by the badge` : verifiedIssuer(issuer);
}
