// The audit context's endpoints: read-only. No route updates or deletes an audit record.
import { defineRoute } from '#shared/http/route.ts';
import { AuditPage, AuditQuery } from './schemas.ts';

export const listAudit = defineRoute({
  operationId: 'listAudit',
  method: 'GET',
  path: '/v1/audit',
  handler: 'functions/audit/handlers/list-audit.ts',
  summary: 'Read the audit log',
  description:
    'Lists audit records: who read or changed which patient’s data, when, with what outcome. Newest first. With `patientId`: every access to that patient in the range. Without: the whole practice, over at most 31 days. Pages may be short near day boundaries; follow `nextCursor` until it is absent.',
  tag: 'Audit',
  auth: 'cognito',
  roles: ['admin'],
  tableAccess: 'read',
  audit: { resourceType: 'AuditRecord', action: 'audit.read' },
  request: { query: AuditQuery },
  example: { query: { patientId: '01KAXDEM0PAT1ENT0000000001', limit: '50' } },
  responses: {
    200: { description: 'A page of audit records', schema: AuditPage },
    400: { description: 'Invalid query' },
  },
});

export const routes = [listAudit];
