// X12 interchange envelopes (ISA/GS ... GE/IEA) built with node-x12, so segment counts and trailers come from
// the library rather than string concatenation. Control numbers are the caller's: they are persisted counters.
import { X12Interchange, X12Parser, type X12Segment, type X12Transaction } from 'node-x12';

export const DELIMITERS = {
  elementDelimiter: '*',
  segmentTerminator: '~',
  subElementDelimiter: ':',
  repetitionDelimiter: '^',
} as const;

export interface EnvelopeInput {
  senderId: string;
  receiverId: string;
  /** ISA13: nine digits at most, unique per sender. */
  interchangeControlNumber: number;
  /** GS06: unique per sender and functional group type. */
  groupControlNumber: number;
  /** GS01 functional identifier code: HC claims, HP remittances, FA acknowledgements, HN claim status. */
  functionalId: 'HC' | 'HP' | 'FA' | 'HN';
  /** GS08: the implementation guide, e.g. 005010X222A1. */
  version: string;
  createdAt: Date;
  /** ISA15: P production, T test. */
  usage: 'P' | 'T';
}

function isaField(value: string, width: number): string {
  return value.slice(0, width).padEnd(width, ' ');
}

/** The UTC date and time as X12 writes them: CCYYMMDD and HHMM. */
export function x12DateTime(at: Date): { date: string; time: string } {
  const iso = at.toISOString();
  return { date: iso.slice(0, 10).replaceAll('-', ''), time: iso.slice(11, 16).replace(':', '') };
}

/** An ISO date (YYYY-MM-DD) as X12's D8 format. */
export function d8(isoDate: string): string {
  return isoDate.replaceAll('-', '');
}

/** A D8 date back to ISO. */
export function fromD8(value: string): string {
  if (!/^\d{8}$/.test(value)) throw new RangeError('not a CCYYMMDD date');
  return `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
}

/**
 * One interchange holding one functional group; `fill` adds transaction sets to it. Returns the X12 text.
 * ISA fields are fixed-width (X12.5); GS fields are not.
 */
export function buildInterchange(
  input: EnvelopeInput,
  fill: (addTransaction: (id: string, controlNumber: string) => X12Transaction) => void,
): string {
  if (
    !Number.isInteger(input.interchangeControlNumber) ||
    input.interchangeControlNumber < 1 ||
    input.interchangeControlNumber > 999_999_999
  ) {
    throw new RangeError('interchange control number must be 1 to 999999999');
  }
  const { date, time } = x12DateTime(input.createdAt);
  const interchange = new X12Interchange(DELIMITERS);
  interchange.setHeader([
    '00',
    isaField('', 10),
    '00',
    isaField('', 10),
    'ZZ',
    isaField(input.senderId, 15),
    'ZZ',
    isaField(input.receiverId, 15),
    date.slice(2),
    time,
    DELIMITERS.repetitionDelimiter,
    '00501',
    String(input.interchangeControlNumber).padStart(9, '0'),
    '0',
    input.usage,
    DELIMITERS.subElementDelimiter,
  ]);
  const group = interchange.addFunctionalGroup();
  group.setHeader([
    input.functionalId,
    input.senderId,
    input.receiverId,
    date,
    time,
    String(input.groupControlNumber),
    'X',
    input.version,
  ]);
  fill((id, controlNumber) => {
    const transaction = group.addTransaction();
    transaction.setHeader([id, controlNumber, input.version]);
    return transaction;
  });
  return interchange.toString();
}

/** A segment as plain data: its tag and element values (element 1 at index 0). */
export interface Segment {
  tag: string;
  elements: string[];
}

export interface ParsedTransaction {
  header: string[];
  trailer: string[];
  segments: Segment[];
}

export interface ParsedInterchange {
  header: string[];
  groups: { header: string[]; transactions: ParsedTransaction[] }[];
}

export class X12FormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'X12FormatError';
  }
}

const plain = (segment: X12Segment): Segment => ({
  tag: segment.tag,
  elements: segment.elements.map((e) => e.value),
});

/**
 * Parses one interchange strictly (envelope counts and control numbers checked by the library) into plain data,
 * and checks each transaction set's SE01 segment count, which the library leaves alone.
 */
export function parseInterchange(text: string): ParsedInterchange {
  let parsed: ReturnType<X12Parser['parse']>;
  try {
    parsed = new X12Parser(true).parse(text.trim());
  } catch (error) {
    throw new X12FormatError(`not a well-formed X12 interchange: ${(error as Error).message}`);
  }
  if (!(parsed instanceof X12Interchange)) throw new X12FormatError('one interchange per file');
  return {
    header: plain(parsed.header).elements,
    groups: parsed.functionalGroups.map((group) => ({
      header: plain(group.header).elements,
      transactions: group.transactions.map((transaction) => {
        const segments = transaction.segments.map(plain);
        const trailer = plain(transaction.trailer).elements;
        if (Number(trailer[0]) !== segments.length + 2) {
          throw new X12FormatError(
            `SE01 says ${trailer[0]} segments, the transaction set has ${segments.length + 2}`,
          );
        }
        return { header: plain(transaction.header).elements, trailer, segments };
      }),
    })),
  };
}
