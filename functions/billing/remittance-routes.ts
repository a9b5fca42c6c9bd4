// The billing context's endpoints for what payers send back: ingestion of 835 / 999 / 277CA files and the denial
// work queue. Gathered into functions/routes.ts with the rest of billing's routes.
import type { Role } from '#shared/auth/roles.ts';
import { defineRoute } from '#shared/http/route.ts';
import {
  ClaimParams,
  DenialQuery,
  DenialQueue,
  IngestionResult,
  MAX_X12_BYTES,
  Reports,
  ReportsQuery,
  X12_MEDIA_TYPE,
  X12Body,
} from './remittance-schemas.ts';

const tag = 'Billing';
const h = (name: string) => `functions/billing/handlers/${name}.ts`;
const problem = (description: string) => ({ description });
const BILLING: Role[] = ['admin', 'billing'];

const EXAMPLE_835 = [
  'ISA*00*          *00*          *ZZ*LOCALCH        *ZZ*DEMOSUB        *261210*0900*^*00501*000000901*0*T*:',
  'GS*HP*LOCALCH*DEMOSUB*20261210*0900*901*X*005010X221A1',
  'ST*835*0001*005010X221A1',
  'BPR*I*100*C*ACH************20261210',
  'TRN*1*EFT-0001*1512345678',
  'N1*PR*DEMO PAYER',
  'REF*2U*DEMO01',
  'N1*PE*DEMO FAMILY PRACTICE*XX*1234567893',
  'LX*1',
  'CLP*01KAXDEM000000000001*1*150*100*20*CI*PDEMO1*11*1',
  'SVC*HC:99214*150*100**1',
  'DTM*472*20261120',
  'CAS*CO*45*30',
  'CAS*PR*3*20',
  'REF*6R*01KAXDEM000000000001-1',
  'AMT*B6*120',
  'SE*15*0001',
  'GE*1*901',
  'IEA*1*000000901',
].join('~');

export const ingestRemittance = defineRoute({
  operationId: 'ingestRemittance',
  method: 'POST',
  path: '/v1/remittances',
  handler: h('ingest-remittance'),
  summary: 'Post an 835 remittance, or apply a 999 / 277CA acknowledgement (raw X12)',
  description:
    'Takes one X12 interchange as the body, `Content-Type: application/edi-x12` (RFC 1767), at most 5 MB (larger ' +
    'files: drop them in the inbound bucket, which runs the same use case). The transaction set decides what ' +
    'happens. **835**: every CLP is matched to its claim (CLP01 = the claim control number) and every SVC to its ' +
    'line (REF*6R); payments, adjustments (CAS group + CARC), RARCs (LQ*HE), allowed amounts (AMT*B6) and patient ' +
    'responsibility post to the claims and the patients’ ledgers; reversals (CLP02 22) and provider-level ' +
    'adjustments (PLB) too. The guide’s balancing rules are enforced: a remittance that does not balance, names a ' +
    'claim or line the practice never sent, or pays a claim whose status cannot take it is refused whole (422 ' +
    'listing every reason) and nothing is posted. Posting is idempotent on the payer and trace number (TRN02): the ' +
    'same file again answers 200 `already-posted` and posts nothing (and a retry with the same `Idempotency-Key` ' +
    'gets the first answer again). **277CA**: claims accepted into adjudication ' +
    '(with the payer’s claim number) or rejected with the reason. **999**: a rejected batch rejects its claims.',
  tag,
  auth: 'cognito',
  roles: BILLING,
  tableAccess: 'write',
  idempotent: true,
  audit: { resourceType: 'Claim', action: 'remittance.post' },
  request: { body: X12Body, bodyContentType: X12_MEDIA_TYPE, maxBodyBytes: MAX_X12_BYTES },
  example: {
    body: EXAMPLE_835,
    headers: { 'Idempotency-Key': '9b2e4c1a-7f3d-4e8b-a6c5-2d1f0e9b8a7c' },
    response: {
      kind: '835',
      remittances: [
        {
          traceNumber: 'EFT-0001',
          payer: 'DEMO01',
          result: 'posted',
          totalPaid: 10000,
          claims: [
            {
              controlNumber: '01KAXDEM000000000001',
              claimId: '01KAXDEM0000000000000000C9',
              outcome: 'paid',
              status: 'paid',
              paid: 10000,
              patientResponsibility: 2000,
            },
          ],
          providerAdjustments: [],
        },
      ],
      acknowledgements: [],
    },
  },
  responses: {
    200: {
      description: 'Applied (acknowledgements), or already posted (a repeated 835)',
      schema: IngestionResult,
    },
    201: { description: 'The remittance was posted', schema: IngestionResult },
    413: problem('Larger than 5 MB: use the inbound bucket'),
    415: problem('Not application/edi-x12'),
    422: problem('Not an 835, 999 or 277CA; does not balance; names unknown claims or lines: nothing posted'),
  },
});

export const listDenials = defineRoute({
  operationId: 'listDenials',
  method: 'GET',
  path: '/v1/denials',
  handler: h('list-denials'),
  summary: 'The denial work queue: denied and partially denied claims by reason (CARC), oldest first',
  description:
    'Claims a payer denied wholly or in part, grouped by the reason (group code and CARC, with its meaning), each ' +
    'group oldest denial first, with the amount at stake and the payer’s remarks (RARC). `state=open` (default) ' +
    'lists those nobody has acted on; `state=all` adds what was done (corrected, appealed, written off). A page ' +
    'of denials at a time (`limit`, then `cursor`).',
  tag,
  auth: 'cognito',
  roles: BILLING,
  tableAccess: 'read',
  audit: { resourceType: 'Claim', action: 'denial.list' },
  request: { query: DenialQuery },
  example: { query: { state: 'open', limit: '50' }, response: { groups: [] } },
  responses: { 200: { description: 'The queue', schema: DenialQueue } },
});

export const getBillingReports = defineRoute({
  operationId: 'getBillingReports',
  method: 'GET',
  path: '/v1/billing/reports',
  handler: h('get-billing-reports'),
  summary: 'Revenue-cycle reports: A/R aging, first-pass acceptance, denials, days in A/R, collections',
  description:
    'The billing office’s weekly numbers as of `asOf` (default today): A/R aging (0–30, 31–60, 61–90, 91–120, ' +
    '120+ days from the date of service) by payer and by patient, the first-pass acceptance rate, the denial ' +
    'rate by CARC and payer, days in A/R (over the last 90 days’ charges), collections by month (the last 12), ' +
    'and claims the daily check flagged as nearing their payer’s timely-filing limit. Amounts in cents.',
  tag,
  auth: 'cognito',
  roles: BILLING,
  tableAccess: 'read',
  audit: { resourceType: 'Account', action: 'report.read' },
  request: { query: ReportsQuery },
  example: {
    query: { asOf: '2026-11-30' },
    response: {
      asOf: '2026-11-30',
      arAgingByPayer: [{ key: 'total', total: 0, '0-30': 0, '31-60': 0, '61-90': 0, '91-120': 0, '120+': 0 }],
      arAgingByPatient: [
        { key: 'total', total: 0, '0-30': 0, '31-60': 0, '61-90': 0, '91-120': 0, '120+': 0 },
      ],
      firstPassAcceptanceRate: null,
      denials: [],
      daysInAr: null,
      collectionsByMonth: [],
      timelyFiling: [],
    },
  },
  responses: { 200: { description: 'The reports', schema: Reports } },
});

export const getCms1500 = defineRoute({
  operationId: 'getCms1500',
  method: 'GET',
  path: '/v1/claims/{claimId}/cms-1500',
  handler: h('get-cms-1500'),
  summary: 'A claim as a CMS-1500 (02/12) PDF, for payers that take paper',
  description:
    'The claim with the patient’s demographics, the payer and the billing profile as they are now, laid out box ' +
    'by box as the NUCC 1500 form numbers them (plain paper), as `application/pdf`.',
  tag,
  auth: 'cognito',
  roles: BILLING,
  tableAccess: 'read',
  audit: { resourceType: 'Claim', action: 'claim.print' },
  request: { params: ClaimParams },
  example: { params: { claimId: '01KAXDEM0000000000000000C9' } },
  responses: {
    200: { description: 'The CMS-1500 (PDF)', contentType: 'application/pdf' },
    404: problem('No such claim'),
    422: problem('The billing profile, the payer or the patient is missing'),
  },
});

export const remittanceRoutes = [ingestRemittance, listDenials, getBillingReports, getCms1500];
