// The audit context's door. Audit records are written by every context through shared/audit.ts; this context
// only reads them back (the audit log routes) and archives them. Nothing here is for other contexts yet.
export {};
