// What a use case answers: a status, a body and headers, and the ETag that carries a record's version. Services
// return these; the HTTP stack (handler.ts) serialises them. Kept apart from the middleware so that services
// depend on this small module, not on the stack.

export interface HttpResult {
  status: number;
  /** JSON-serialised unless `raw` is given. */
  body?: unknown;
  raw?: string;
  /** `raw` is base64 of a binary body (a PDF): API Gateway decodes it for clients that accept its type. */
  base64?: boolean;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Strong ETag for a record version. */
export function etag(version: number): string {
  return `"${version}"`;
}

/** A record answered with its ETag (and Location when it was just created). */
export function recordResult(status: number, record: { version: number }, location?: string): HttpResult {
  return {
    status,
    body: record,
    headers: { ETag: etag(record.version), ...(location ? { Location: location } : {}) },
  };
}
