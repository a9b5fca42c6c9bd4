// Turns a route's zod request schemas into what API Gateway validates before invoking the function: a JSON
// Schema draft-04 body model, and the list of required path and query parameters.
// https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html
import * as z from 'zod';
import type { AnyRoute } from '#shared/http/route.ts';

type JsonSchema = Record<string, unknown>;

/**
 * Keywords that describe without constraining, or that API Gateway's validator handles differently from zod.
 */
const DROPPED_KEYWORDS = ['$schema', 'format', 'default', 'description', 'examples', 'title'];

interface ZodInternals {
  _zod: { def: { type: string; coerce?: boolean; checks?: { _zod: { def: { check: string } } }[] } };
}

/**
 * The gateway must never reject what the handler accepts: zod stays the authority (with its per-field problem
 * details), the gateway only turns away what zod would certainly refuse. So constraints zod checks on a value
 * it has first rewritten (trim, toUpperCase) or coerced are dropped here, and so is `format` (zod's own
 * pattern for the same rule is kept, and API Gateway's format checks are not zod's).
 */
function loosen(ctx: { zodSchema: unknown; jsonSchema: JsonSchema }): void {
  const def = (ctx.zodSchema as ZodInternals)._zod.def;
  const json = ctx.jsonSchema;
  for (const keyword of DROPPED_KEYWORDS) delete json[keyword];
  const rewritesValue = def.checks?.some((c) => c._zod.def.check === 'overwrite') ?? false;
  if (rewritesValue) {
    for (const keyword of ['pattern', 'minLength', 'maxLength', 'enum']) delete json[keyword];
  }
  if (def.coerce) {
    for (const keyword of Object.keys(json)) delete json[keyword];
  }
}

/**
 * A draft-04 JSON Schema for API Gateway, from a zod schema's input side. Throws on anything API Gateway
 * cannot take.
 */
export function bodyModelSchema(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, {
    target: 'draft-04',
    io: 'input',
    unrepresentable: 'any',
    reused: 'inline',
    cycles: 'throw',
    override: loosen,
  }) as JsonSchema;
  const text = JSON.stringify(json);
  // Models may only $ref other models of the same API by URL; the route schemas are self-contained.
  if (text.includes('"$ref"')) throw new Error('Request body schemas must not contain $ref');
  return { $schema: 'http://json-schema.org/draft-04/schema#', ...json };
}

/**
 * `method.request.path.<name>` and `method.request.querystring.<name>` entries: true when required. API
 * Gateway only checks presence; types and formats stay with zod.
 */
export function requestParameters(route: AnyRoute): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const name of route.path.match(/\{(\w+)\}/g) ?? [])
    out[`method.request.path.${name.slice(1, -1)}`] = true;
  const query = route.request.query;
  if (query) {
    const json = z.toJSONSchema(query, {
      target: 'draft-04',
      io: 'input',
      unrepresentable: 'any',
    }) as JsonSchema;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const name of Object.keys((json.properties as JsonSchema | undefined) ?? {})) {
      out[`method.request.querystring.${name}`] = required.has(name);
    }
  }
  return out;
}

/** API Gateway model names: alphanumeric only. */
export function modelName(route: AnyRoute): string {
  return `${route.operationId.replace(/[^A-Za-z0-9]/g, '')}Body`;
}
