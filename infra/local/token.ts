// `npm run token -- <username> [password]`: signs in to the local Cognito (USER_PASSWORD_AUTH, as a front end
// would) and prints the user's ID token as the last line, for curl.
import { resolve } from 'node:path';
import { readRuntimeInfo } from './runtime.ts';
import { DEMO_PASSWORD } from './seed.ts';

const [username, password = DEMO_PASSWORD] = process.argv.slice(2);
if (!username) {
  console.error(
    'Usage: npm run token -- <username> [password]   (demo users: admin, clinician, nurse, front-desk, billing, patient, external-provider)',
  );
  process.exit(2);
}
const info = readRuntimeInfo(resolve(process.env.DATA_DIR ?? '.data'));
if (!info) {
  console.error(
    'The local runtime is not running: start it with `npm start` (in another terminal), then try again.',
  );
  process.exit(1);
}
const response = await fetch(`${info.cognitoUrl}/`, {
  method: 'POST',
  headers: {
    'Content-Type': 'application/x-amz-json-1.1',
    'X-Amz-Target': 'AWSCognitoIdentityProviderService.InitiateAuth',
  },
  body: JSON.stringify({
    AuthFlow: 'USER_PASSWORD_AUTH',
    ClientId: info.cognitoClientId,
    AuthParameters: { USERNAME: username, PASSWORD: password },
  }),
}).catch(() => undefined);
if (!response) {
  console.error(`The local Cognito at ${info.cognitoUrl} did not answer; is npm start still running?`);
  process.exit(1);
}
const body = (await response.json()) as { AuthenticationResult?: { IdToken: string }; message?: string };
if (!response.ok || !body.AuthenticationResult) {
  console.error(`Sign-in failed for ${username}: ${body.message ?? response.status}`);
  process.exit(1);
}
console.error(`ID token for ${username} (valid 1 hour):`);
console.log(body.AuthenticationResult.IdToken);
