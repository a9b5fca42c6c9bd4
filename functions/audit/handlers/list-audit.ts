// GET /v1/audit
import { httpHandler } from '#shared/http/handler.ts';
import { listAudit } from '../routes.ts';
import { AuditService } from '../service.ts';

const service = new AuditService();

export const handler = httpHandler(listAudit, (input) => service.list(input, input.query));
