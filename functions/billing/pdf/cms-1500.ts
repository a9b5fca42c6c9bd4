// A claim as a CMS-1500 (02/12) for payers that take paper: every box the 837P carries, numbered as on the form, on
// plain paper (practices printing onto the red pre-printed form use the same data; the NUCC instructions name
// each box: https://www.nucc.org/index.php/1500-claim-form-mainmenu-35).
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { BillingProfile, Claim, PostalAddress } from '../model.ts';
import { formatCents } from '../money.ts';
import { renderPdf } from './render.ts';

const RELATIONSHIP = { self: 'Self', spouse: 'Spouse', child: 'Child', other: 'Other' } as const;
const SEX = { male: 'M', female: 'F', unknown: '' } as const;
const mmddyyyy = (date: string) =>
  date ? `${date.slice(5, 7)} ${date.slice(8, 10)} ${date.slice(0, 4)}` : '';
const name = (n: { family: string; given: string[] }) =>
  `${n.family.toUpperCase()}, ${n.given.join(' ').toUpperCase()}`;
const address = (a?: PostalAddress) =>
  a ? [...a.line, `${a.city}, ${a.state} ${a.postalCode}`].join('\n') : '';

const box = (label: string, value: string): Content => ({
  stack: [
    { text: label, fontSize: 6, color: '#b22222' },
    { text: value || ' ', fontSize: 9 },
  ],
  margin: [2, 1, 2, 2],
});

export function cms1500Document(claim: Claim, profile: BillingProfile): TDocumentDefinitions {
  const { coverage, patient } = claim;
  const subscriber = coverage.subscriber;
  const prior = claim.priorPayers?.[0];
  const letters = 'ABCDEFGHIJKL';
  const total = claim.lines.reduce((s, l) => s + l.charge, 0);
  const paid = prior?.paid ?? 0;
  const grid = (rows: Content[][], widths: (string | number)[]): Content => ({
    table: { widths, body: rows },
    layout: {
      hLineColor: () => '#b22222',
      vLineColor: () => '#b22222',
      hLineWidth: () => 0.5,
      vLineWidth: () => 0.5,
    },
    margin: [0, 0, 0, 4],
  });
  return {
    info: { title: `CMS-1500 ${claim.controlNumber}` },
    pageSize: 'LETTER',
    pageMargins: [28, 28, 28, 28],
    content: [
      {
        columns: [
          { text: 'HEALTH INSURANCE CLAIM FORM', bold: true, fontSize: 12 },
          {
            text: `${coverage.payer.name}\n${address(coverage.payer.address)}`,
            alignment: 'right',
            fontSize: 8,
          },
        ],
        margin: [0, 0, 0, 2],
      },
      {
        text: 'APPROVED BY NATIONAL UNIFORM CLAIM COMMITTEE (NUCC) 02/12',
        fontSize: 6,
        margin: [0, 0, 0, 6],
      },
      grid(
        [
          [
            box(
              '1. MEDICARE / MEDICAID / TRICARE / CHAMPVA / GROUP / FECA / OTHER',
              coverage.payer.filingIndicator,
            ),
            box("1a. INSURED'S I.D. NUMBER", coverage.memberId),
          ],
          [box("2. PATIENT'S NAME", name(patient.name)), box("4. INSURED'S NAME", name(subscriber.name))],
          [
            box("3. PATIENT'S BIRTH DATE / SEX", `${mmddyyyy(patient.birthDate)}   ${SEX[patient.sex]}`),
            box('6. PATIENT RELATIONSHIP TO INSURED', RELATIONSHIP[coverage.relationship]),
          ],
          [
            box("5. PATIENT'S ADDRESS", address(patient.address)),
            box("7. INSURED'S ADDRESS", address(subscriber.address)),
          ],
          [
            box("11. INSURED'S POLICY GROUP OR FECA NUMBER", coverage.groupNumber ?? ''),
            box(
              "11a. INSURED'S DATE OF BIRTH / SEX",
              `${mmddyyyy(subscriber.birthDate)}   ${SEX[subscriber.sex]}`,
            ),
          ],
          [
            box(
              '9. OTHER INSURED / 9d. PLAN NAME',
              prior ? `${name(prior.coverage.subscriber.name)} / ${prior.coverage.payer.name}` : '',
            ),
            box('11d. IS THERE ANOTHER HEALTH BENEFIT PLAN?', prior ? 'YES' : 'NO'),
          ],
          [
            box("12. PATIENT'S OR AUTHORIZED PERSON'S SIGNATURE", 'SIGNATURE ON FILE'),
            box("13. INSURED'S OR AUTHORIZED PERSON'S SIGNATURE", 'SIGNATURE ON FILE'),
          ],
          [
            box(
              '17. NAME OF REFERRING PROVIDER / 17b. NPI',
              claim.referringProvider
                ? `DN ${name(claim.referringProvider.name)}   ${claim.referringProvider.npi}`
                : '',
            ),
            box('23. PRIOR AUTHORIZATION NUMBER', claim.priorAuthorization ?? ''),
          ],
          [
            box(
              '21. DIAGNOSIS OR NATURE OF ILLNESS OR INJURY (ICD Ind. 0)',
              claim.diagnoses.map((d, i) => `${letters[i]}. ${d}`).join('    '),
            ),
            box(
              '22. RESUBMISSION CODE / ORIGINAL REF. NO.',
              claim.frequency === '1' ? '' : `${claim.frequency}   ${claim.originalClaimNumber ?? ''}`,
            ),
          ],
        ],
        ['*', '*'],
      ),
      grid(
        [
          [
            '24A. DATE(S) OF SERVICE',
            'B. POS',
            'D. CPT/HCPCS',
            'MODIFIER',
            'E. DX PTR',
            'F. CHARGES',
            'G. UNITS',
            'J. RENDERING NPI',
          ].map((text) => ({ text, fontSize: 6, color: '#b22222' })),
          ...claim.lines.map((l) => [
            `${mmddyyyy(l.serviceDate)}`,
            l.placeOfService,
            l.code,
            l.modifiers.join(' '),
            l.diagnosisPointers.map((p) => letters[p - 1]).join(''),
            { text: formatCents(l.charge), alignment: 'right' as const },
            String(l.units),
            claim.renderingProvider.npi,
          ]),
        ],
        [62, 28, 52, 52, 40, 56, 30, '*'],
      ),
      grid(
        [
          [
            box('25. FEDERAL TAX I.D. NUMBER (EIN)', profile.taxId),
            box("26. PATIENT'S ACCOUNT NO.", claim.controlNumber),
            box('28. TOTAL CHARGE', formatCents(total)),
            box('29. AMOUNT PAID', formatCents(paid)),
          ],
          [
            box('31. SIGNATURE OF PHYSICIAN OR SUPPLIER', `${name(claim.renderingProvider.name)}`),
            box('32. SERVICE FACILITY LOCATION', `${profile.name}\n${address(profile.address)}`),
            box(
              '33. BILLING PROVIDER INFO & PH #',
              `${profile.name}\n${address(profile.address)}\n${profile.submitter.phone}`,
            ),
            box('33a. NPI / 33b. TAXONOMY', `${profile.npi}\nZZ ${profile.taxonomy}`),
          ],
        ],
        ['*', '*', '*', '*'],
      ),
    ],
  };
}

export function cms1500Pdf(claim: Claim, profile: BillingProfile): Promise<Buffer> {
  return renderPdf(cms1500Document(claim, profile));
}
