// A route: the single description of an endpoint. The local gateway, the CDK stack and the OpenAPI document are
// all built from the table of these in functions/routes.ts.
import type * as z from 'zod';
import type { Role } from '../auth/roles.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RouteResponse {
  description: string;
  schema?: z.ZodType;
  /** Defaults to application/json. */
  contentType?: string;
}

export interface RouteDefinition<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  M extends boolean = boolean,
> {
  operationId: string;
  method: HttpMethod;
  /** API Gateway style path with `{param}` segments. */
  path: string;
  /** Repository-relative path of the handler module (exports `handler`); the CDK entry point. */
  handler: string;
  /** One line: the README's table and the operation's title. */
  summary: string;
  /**
   * What the operation does and what a caller must know to use it well. Required, so a route cannot be added
   * undocumented: the OpenAPI description is this, then who may call it (from `roles` and `access`), then its
   * errors (from `responses`).
   */
  description: string;
  /**
   * The object-level rule on top of the role list, in a reader's words ("a patient: only their own
   * appointments"). Routes with a `patientIdParam` get the patient rule said for them; the route-table test
   * requires this wherever the `patient` role is allowed without one.
   */
  access?: string;
  tag: string;
  /** `public` routes skip the authorizer (health, the OpenAPI document, the docs page). */
  auth: 'cognito' | 'public';
  /** Groups allowed to call the route at all; object-level checks happen in the use case's policy. */
  roles: readonly Role[];
  /**
   * What the function may do to the table: drives the least-privilege grant in CDK. `read` routes still append
   * audit records (PutItem on `AUDIT#` keys only). `describe`: DescribeTable only, no item (the health probes).
   */
  tableAccess: 'none' | 'describe' | 'read' | 'write';
  /**
   * What the function may do in the exchange's FHIR store (HealthLake in AWS): drives the least-privilege
   * `healthlake:` grant on the tenant's one datastore, and the exchange environment, in CDK. Absent: nothing.
   * `read`: read and search. `write`: read, search, create, update, delete and batch bundles (backfill).
   * `export`: start and follow bulk export jobs into the tenant's export bucket. `export-status`: follow them only.
   */
  fhirAccess?: 'read' | 'write' | 'export' | 'export-status';
  /**
   * Routes that hand files to the clearinghouse (billing's batch submission): in AWS they get EDI_BUCKET and may put
   * objects under its outbound/ prefix, nothing else of the bucket.
   */
  ediOutbound?: boolean;
  /** POST routes that honour `Idempotency-Key`. */
  idempotent?: boolean;
  /** Routes that change an existing record and require `If-Match` (428 when absent, 412 when stale). */
  requiresIfMatch?: M;
  /** Routes that check `If-Match` when it is sent (412 when stale) but do not require it. */
  acceptsIfMatch?: boolean;
  /**
   * PHI routes name what they touch, so denials are audited even before the use case runs. With
   * `patientIdParam` the stack checks the principal against that patient; without it only the role is checked
   * here, and a use case that returns a patient's data must call authorize() on the record itself (after
   * `touchesPatient()`, so a denial or failure is filed under that patient). A `patientId` in the query or body
   * also names the patient the request touches, for the audit trail.
   */
  audit?: { resourceType: string; action: string; patientIdParam?: string };
  /**
   * `bodyContentType`: a route whose body is not JSON (an X12 file) names its media type; the body reaches the
   * schema as text. `maxBodyBytes`: a larger limit than the stack's 256 KB for such files.
   */
  request: { params?: P; query?: Q; body?: B; bodyContentType?: string; maxBodyBytes?: number };
  /**
   * A realistic request: the sample event in events/ and the OpenAPI request example are made from it. The
   * response example is built from the response schema and these values (shared/openapi-examples.ts) unless
   * `response` gives one; a test parses every response example with its schema.
   */
  example: {
    params?: Record<string, string>;
    query?: Record<string, string>;
    body?: unknown;
    headers?: Record<string, string>;
    response?: unknown;
  };
  responses: Record<number, RouteResponse>;
}

/** Identity function that keeps the schemas' types for the handler. */
export function defineRoute<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  M extends boolean = false,
>(route: RouteDefinition<P, Q, B, M>): RouteDefinition<P, Q, B, M> {
  return route;
}

// biome-ignore lint/suspicious/noExplicitAny: the route table holds routes of every schema type.
export type AnyRoute = RouteDefinition<any, any, any, boolean>;
