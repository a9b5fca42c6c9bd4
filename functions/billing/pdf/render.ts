// Renders a pdfmake document to PDF bytes on the server, with Roboto embedded from pdfmake's own font bundle.
// Why not the 14 standard PDF fonts: pdfkit reads their metrics from .afm files beside its source at run time,
// which a bundled Lambda does not have; the embedded fonts need no file at all.
import { createRequire } from 'node:module';
import type { TDocumentDefinitions, TFontDictionary } from 'pdfmake/interfaces.js';

const require = createRequire(import.meta.url);

interface Printer {
  createPdfKitDocument(doc: TDocumentDefinitions): NodeJS.ReadableStream & { end(): void };
}

let printer: Printer | undefined;

function getPrinter(): Printer {
  if (printer) return printer;
  const PdfPrinter = require('pdfmake') as new (fonts: TFontDictionary) => Printer;
  const vfs = require('pdfmake/build/vfs_fonts.js') as Record<string, string>;
  const font = (name: string) => Buffer.from(vfs[name] ?? '', 'base64') as unknown as string;
  printer = new PdfPrinter({
    Roboto: {
      normal: font('Roboto-Regular.ttf'),
      bold: font('Roboto-Medium.ttf'),
      italics: font('Roboto-Italic.ttf'),
      bolditalics: font('Roboto-MediumItalic.ttf'),
    },
  });
  return printer;
}

/** The document as PDF bytes. Fixed metadata dates would make output reproducible; pdfmake stamps "now". */
export async function renderPdf(doc: TDocumentDefinitions): Promise<Buffer> {
  const pdf = getPrinter().createPdfKitDocument({
    ...doc,
    defaultStyle: { font: 'Roboto', fontSize: 9, ...doc.defaultStyle },
  });
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
    pdf.end();
  });
}
