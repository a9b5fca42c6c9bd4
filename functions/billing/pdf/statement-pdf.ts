// The patient statement as a printable PDF: who is billed, each visit's charges, what insurance paid and adjusted,
// what the patient paid, and the amount due by the due date.
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces.js';
import type { Statement } from '../account-schemas.ts';
import { formatCents } from '../money.ts';
import { renderPdf } from './render.ts';

const dollars = (cents: number) => `${cents < 0 ? '-' : ''}$${formatCents(Math.abs(cents))}`;

export function statementDocument(
  statement: Statement,
  practice: { name: string; address: string[] },
): TDocumentDefinitions {
  const header = ['Date', 'Description', 'Charges', 'Insurance paid', 'Adjustments', 'You paid', 'You owe'];
  const rows: Content[][] = statement.lines.map((line) => [
    line.serviceDate ?? '',
    line.description,
    dollars(line.charges),
    dollars(line.insurancePaid),
    dollars(line.adjustments),
    dollars(line.patientPaid),
    dollars(line.patientBalance),
  ]);
  return {
    info: { title: `Statement ${statement.statementDate}` },
    pageSize: 'LETTER',
    pageMargins: [40, 40, 40, 40],
    content: [
      { text: practice.name, bold: true, fontSize: 14 },
      ...practice.address.map((line) => ({ text: line })),
      { text: 'Patient statement', bold: true, fontSize: 12, margin: [0, 16, 0, 4] },
      {
        columns: [
          { stack: [{ text: statement.patient.name, bold: true }, ...statement.patient.address] },
          {
            stack: [
              `Statement date: ${statement.statementDate}`,
              `Due by: ${statement.dueDate}`,
              { text: `Amount due: ${dollars(statement.amountDue)}`, bold: true },
            ],
            alignment: 'right',
          },
        ],
      },
      {
        margin: [0, 16, 0, 0],
        table: {
          headerRows: 1,
          widths: [55, '*', 55, 60, 60, 50, 50],
          body: [header.map((text) => ({ text, bold: true })), ...rows],
        },
        layout: 'lightHorizontalLines',
      },
      {
        margin: [0, 12, 0, 0],
        alignment: 'right',
        stack: [
          `Awaiting insurance: ${dollars(statement.balances.insurance)}`,
          { text: `Amount due: ${dollars(statement.amountDue)}`, bold: true },
          ...(statement.balances.patient < 0
            ? [`Credit on account: ${dollars(-statement.balances.patient)}`]
            : []),
        ],
      },
    ],
  };
}

export function statementPdf(
  statement: Statement,
  practice: { name: string; address: string[] },
): Promise<Buffer> {
  return renderPdf(statementDocument(statement, practice));
}
