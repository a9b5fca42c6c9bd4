// GET /docs and /docs/{asset}: Swagger UI served from the API itself (no CDN), rendering /openapi.json.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { NotFoundError } from '#shared/errors.ts';
import { httpHandler } from '#shared/http/handler.ts';
import { docsAsset, docsPage } from '../routes.ts';

/** The page links its files relative to itself, so it works under any stage prefix; `base` is that prefix. */
const page = (base: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Continuum API reference</title>
<link rel="stylesheet" href="${base}swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${base}swagger-ui-bundle.js"></script>
<script src="${base}init.js"></script>
</body>
</html>
`;

const INIT = `window.ui = SwaggerUIBundle({ url: new URL('openapi.json', document.baseURI.replace(/docs\\/?$/, '')).href, dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false });\n`;

/** In a Lambda bundle the assets sit beside the handler (copied at bundling); locally they come from node_modules. */
function assetDirectory(): string {
  if (process.env.DOCS_ASSETS_DIR) return process.env.DOCS_ASSETS_DIR;
  return dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
}

const cache = new Map<string, string>();
const TYPES: Record<string, string> = {
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui.css': 'text/css; charset=utf-8',
  'init.js': 'text/javascript; charset=utf-8',
};

const securityHeaders = {
  contentSecurityPolicy: {
    'default-src': "'none'",
    'script-src': "'self'",
    'style-src': "'self' 'unsafe-inline'",
    'img-src': "'self' data:",
    'connect-src': "'self'",
    'font-src': "'self'",
    sandbox: undefined,
    'require-trusted-types-for': undefined,
    'trusted-types': undefined,
    'upgrade-insecure-requests': undefined,
  },
} as never;

/** At `/docs` the files are under `docs/`; at `/docs/` (API Gateway serves both) they sit beside the page. */
const pageHandler = httpHandler(
  docsPage,
  async () => ({ status: 200, raw: page('docs/'), contentType: 'text/html; charset=utf-8' }),
  { securityHeaders },
);
const slashPageHandler = httpHandler(
  docsPage,
  async () => ({ status: 200, raw: page(''), contentType: 'text/html; charset=utf-8' }),
  { securityHeaders },
);

const assetHandler = httpHandler(docsAsset, async ({ params }) => {
  const name = params.asset;
  let text = cache.get(name);
  if (text === undefined) {
    if (name === 'init.js') text = INIT;
    else {
      try {
        text = await readFile(join(assetDirectory(), name), 'utf8');
      } catch {
        throw new NotFoundError('No such file');
      }
    }
    cache.set(name, text);
  }
  return {
    status: 200,
    raw: text,
    contentType: TYPES[name] ?? 'text/plain',
    headers: { 'Cache-Control': 'public, max-age=86400' },
  };
});

/** One function serves both routes (the CDK stack builds one Lambda per handler file). */
export const handler: typeof pageHandler = ((event, context) =>
  event.pathParameters?.asset
    ? assetHandler(event, context)
    : event.path?.endsWith('/')
      ? slashPageHandler(event, context)
      : pageHandler(event, context)) as typeof pageHandler;
