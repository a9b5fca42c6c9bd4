// Points this test process's DynamoDB client at the test run's DynamoDB Local (never at AWS).
import { inject } from 'vitest';
import { routes } from '../../functions/routes.ts';
import { type Gateway, startGateway } from '../../infra/local/gateway.ts';
import { REPO_ROOT } from '../../infra/local/paths.ts';
import { resetConfig } from '../../shared/config.ts';
import { resetDb } from '../../shared/dynamodb.ts';

export function useLocalTable(): void {
  const runtime = inject('runtime');
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(runtime.dynamoDbUrl))
    throw new Error('Refusing to test against a non-local DynamoDB');
  Object.assign(process.env, {
    TABLE_NAME: runtime.tableName,
    DYNAMODB_ENDPOINT: runtime.dynamoDbUrl,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    CURSOR_SECRET: 'test-cursor-secret-0123456789abcdef0123456789',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    LOG_LEVEL: 'SILENT',
  });
  resetConfig();
  resetDb();
}

/**
 * The local gateway serving the route table inside this test process, with the test run's Cognito: its handlers
 * use this process's environment (a table or a database endpoint the test chose).
 */
export function startInProcessGateway(): Promise<Gateway> {
  const { cognitoIssuer, cognitoClientId } = inject('runtime');
  return startGateway({
    port: 0,
    routes,
    root: REPO_ROOT,
    cognito: {
      issuer: cognitoIssuer,
      clientId: cognitoClientId,
      jwksUri: `${cognitoIssuer}/.well-known/jwks.json`,
    },
    corsOrigins: [],
    log: () => {},
  });
}
