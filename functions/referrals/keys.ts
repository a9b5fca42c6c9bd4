// Every key and index value of the referrals context's items, in one place. Access patterns: docs/data-model.md.
import { searchable } from '#shared/text.ts';

/** Which worklist partition a referral sits in: open ones (and closed or cancelled ones not yet told to the
 * recipient) are read whole by the worklist and the exchange poller; the rest are history, newest first. */
export type WorklistShelf = 'OPEN' | 'DONE';

export const referralKeys = {
  partition: (id: string) => `REFERRAL#${id}`,
  item: (id: string) => ({ pk: `REFERRAL#${id}`, sk: 'REFERRAL' }),
  /** The frozen packet as sent: the FHIR document Bundle and the C-CDA Referral Note (gzip), one item each. */
  packetBundle: (id: string) => ({ pk: `REFERRAL#${id}`, sk: 'PACKET#FHIR' }),
  packetCcda: (id: string) => ({ pk: `REFERRAL#${id}`, sk: 'PACKET#CCDA' }),
  /** The consult note the recipient returned (through the FHIR store or, ref-ext, through the API). */
  consultNote: (id: string) => ({ pk: `REFERRAL#${id}`, sk: 'CONSULT_NOTE' }),
  /**
   * Pattern "outbound worklist" (gsi1): every open outbound referral of the practice in one partition, read whole
   * in one Query (a practice has hundreds open, not hundreds of thousands) and ordered in memory, overdue first,
   * because overdue depends on today. Closed and cancelled referrals move to the DONE shelf, newest first.
   */
  worklist: {
    index: 'gsi1' as const,
    pk: (direction: 'outbound' | 'inbound', shelf: WorklistShelf) =>
      `REFERRALS#${direction.toUpperCase()}#${shelf}`,
    sk: (at: string, id: string) => `${at}#${id}`,
  },
  /** Pattern "referrals sent in a period" (gsi2): the metrics read, by sent time. */
  bySent: {
    index: 'gsi2' as const,
    pk: (direction: 'outbound' | 'inbound') => `REFERRALS#${direction.toUpperCase()}#SENT`,
    sk: (sentAt: string, id: string) => `${sentAt}#${id}`,
  },
};

export const directoryKeys = {
  item: (id: string) => ({ pk: `DIRECTORY#${id}`, sk: 'DIRECTORY' }),
  /** Uniqueness guard: one directory entry per NPI. */
  npiGuard: (npi: string) => ({ pk: `DIRECTORY_NPI#${npi}`, sk: 'NPI' }),
  /** Pattern "directory by name prefix" (gsi1): one partition, ordered by the searchable name. */
  byName: {
    index: 'gsi1' as const,
    pk: 'DIRECTORY',
    sk: (name: string, id: string) => `${searchable(name)}#${id}`,
    prefix: (name: string) => searchable(name),
  },
  /** Pattern "directory by specialty (NUCC taxonomy), then name prefix" (gsi2). */
  bySpecialty: {
    index: 'gsi2' as const,
    pk: (taxonomy: string) => `DIRECTORY#SPECIALTY#${taxonomy}`,
    sk: (name: string, id: string) => `${searchable(name)}#${id}`,
    prefix: (name: string) => searchable(name),
  },
};
