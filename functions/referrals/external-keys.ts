// Keys of the items that reach outside the practice: external providers' grants, documents received from outside
// (consult notes, imported packets) and inbound referrals. Access patterns: docs/data-model.md.

export const grantKeys = {
  /** Pattern "an external provider's referrals": every grant of one directory practitioner, one Query. */
  partition: (practitionerId: string) => `GRANT#PRACTITIONER#${practitionerId}`,
  item: (practitionerId: string, referralId: string) => ({
    pk: `GRANT#PRACTITIONER#${practitionerId}`,
    sk: `REFERRAL#${referralId}`,
  }),
};

export const receivedDocumentKeys = {
  /**
   * Pattern "a patient's received documents, newest first" (ids are time-ordered ULIDs): their own partition, not
   * the chart's, so documents of a few hundred KB never ride along in the chart's Query.
   */
  partition: (patientId: string) => `RECEIVED_DOCUMENTS#${patientId}`,
  item: (patientId: string, id: string) => ({ pk: `RECEIVED_DOCUMENTS#${patientId}`, sk: `DOCUMENT#${id}` }),
  prefix: 'DOCUMENT#',
};

export const inboundKeys = {
  item: (id: string) => ({ pk: `INBOUND_REFERRAL#${id}`, sk: 'INBOUND_REFERRAL' }),
  /** The packet as it came (the C-CDA, or the Task's input document), gzip. */
  packet: (id: string) => ({ pk: `INBOUND_REFERRAL#${id}`, sk: 'PACKET' }),
  /** Uniqueness guard: a sender's Task is taken in once, however often the poller sees it. */
  taskGuard: (taskId: string) => ({ pk: `INBOUND_TASK#${taskId}`, sk: 'TASK' }),
  /**
   * Pattern "inbound worklist" (gsi1): open inbound referrals in one partition, newest first by received time;
   * answered ones move to the DONE shelf.
   */
  worklist: {
    index: 'gsi1' as const,
    pk: (shelf: 'OPEN' | 'DONE') => `INBOUND_REFERRALS#${shelf}`,
    sk: (receivedAt: string, id: string) => `${receivedAt}#${id}`,
  },
};
