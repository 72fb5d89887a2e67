/**
 * The gateway's release version, shown in the OpenAPI document and by `GET /health`.
 * A constant rather than a read of package.json so Workers bundles stay free of filesystem access;
 * test/api/docs.test.ts fails when the two drift apart.
 */
export const gatewayVersion = "0.1.0";
