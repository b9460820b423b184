/**
 * Checks a real response against the service's own OpenAPI document: the schema declared for that
 * route, method and status must accept the body. Used by the API tests on every response they get.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import { expect } from "chai";

import { openApiDocument } from "../../server/openapi.js";

const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });

type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> }> };

export function expectConformsToOpenApi(method: "get" | "post", route: string, status: number, contentType: string, body: unknown): void {
  const paths = openApiDocument.paths as unknown as Record<string, Record<string, Operation>>;
  const operation = paths[route]?.[method];
  expect(operation, `${method.toUpperCase()} ${route} is not in the OpenAPI document`).to.not.equal(undefined);
  const response = operation.responses[String(status)];
  expect(response, `${method.toUpperCase()} ${route} answered ${status}, which the OpenAPI document does not list`).to.not.equal(undefined);
  const mediaType = contentType.split(";")[0].trim();
  const declared = response.content?.[mediaType];
  expect(declared, `${route} ${status}: ${mediaType} is not a declared content type`).to.not.equal(undefined);
  const validate = ajv.compile({ ...declared!.schema, components: openApiDocument.components });
  const valid = validate(body);
  expect(valid, `${method.toUpperCase()} ${route} ${status}: ${ajv.errorsText(validate.errors)}`).to.equal(true);
}
