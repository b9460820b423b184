/**
 * GENERATED from contexts/stack-v1.jsonld by test/lib/signature/stack-context.generate.ts: do not edit;
 * edit the .jsonld and run `node test/lib/signature/stack-context.generate.ts` (a test checks they agree).
 */
export const STACK_CONTEXT_DOCUMENT: Record<string, unknown> = {
  "@context": {
    "@protected": true,
    "crs": "https://credential-registry.example/vocab#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "anchoredCredential": {
      "@id": "crs:anchoredCredential",
      "@context": {
        "@protected": true,
        "role": {
          "@id": "crs:role"
        },
        "credentialHash": {
          "@id": "crs:credentialHash"
        },
        "chainId": {
          "@id": "crs:chainId",
          "@type": "xsd:integer"
        },
        "registry": {
          "@id": "crs:registry"
        },
        "root": {
          "@id": "crs:root"
        },
        "leafIndex": {
          "@id": "crs:leafIndex",
          "@type": "xsd:integer"
        },
        "merklePath": {
          "@id": "crs:merklePath",
          "@container": "@list"
        },
        "pathwayId": {
          "@id": "crs:pathwayId",
          "@type": "@id"
        },
        "name": {
          "@id": "crs:name"
        },
        "credentialId": {
          "@id": "crs:credentialId",
          "@type": "@id"
        },
        "achievementId": {
          "@id": "crs:achievementId",
          "@type": "@id"
        },
        "achievementName": {
          "@id": "crs:achievementName"
        },
        "issuerId": {
          "@id": "crs:issuerId",
          "@type": "@id"
        },
        "issuedAt": {
          "@id": "crs:issuedAt",
          "@type": "xsd:dateTime"
        },
        "stack": {
          "@id": "crs:stack",
          "@context": {
            "pathway": {
              "@id": "crs:stackPathway"
            },
            "components": {
              "@id": "crs:stackComponents",
              "@container": "@set"
            }
          }
        }
      }
    }
  }
};
