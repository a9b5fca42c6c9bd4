// The typed client for front ends (web, mobile) and the end-to-end tests: openapi-fetch over the types that
// openapi-typescript generates from the OpenAPI document (`npm run openapi`). Never imported by a Lambda handler.
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { operations, paths } from './api-types.ts';

export type { components, operations, paths } from './api-types.ts';

export interface ContinuumClientOptions extends ClientOptions {
  /** Where the API is: `http://127.0.0.1:3000` locally, the stage URL in AWS. */
  baseUrl: string;
  /**
   * The signed-in user's Cognito ID token, asked for before every request (so a refreshed token is picked up);
   * `undefined` sends none, for the public routes.
   */
  token?: () => string | undefined | Promise<string | undefined>;
}

export type ContinuumClient = Client<paths>;

/** A client whose every call is checked against the API: paths, parameters, bodies and responses. */
export function createContinuumClient({ token, ...options }: ContinuumClientOptions): ContinuumClient {
  const client = createClient<paths>(options);
  if (token) {
    client.use({
      async onRequest({ request }) {
        const value = await token();
        if (value) request.headers.set('Authorization', `Bearer ${value}`);
        return request;
      },
    });
  }
  return client;
}

type JsonOf<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** The JSON body an operation answers with, e.g. `ResponseBody<'getPatient'>` or `ResponseBody<'createPatient', 201>`. */
export type ResponseBody<
  Operation extends keyof operations,
  Status extends
    keyof operations[Operation]['responses'] = 200 extends keyof operations[Operation]['responses']
    ? 200
    : keyof operations[Operation]['responses'],
> = JsonOf<operations[Operation]['responses'][Status]>;

/** The JSON body an operation takes, e.g. `RequestBody<'createPatient'>`. */
export type RequestBody<Operation extends keyof operations> = operations[Operation] extends {
  requestBody?: infer Body;
}
  ? JsonOf<NonNullable<Body>>
  : never;
