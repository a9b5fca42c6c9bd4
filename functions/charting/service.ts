// Charting use cases: encounters, progress notes and addenda, problems, medications, allergies, vital signs, lab
// results and their review, the chart, the timeline and the results inbox. Handlers call exactly one of these.
// Order of checks on a change: 404 (no such record) → 409 (its state forbids it) → 412 (stale If-Match) → 422
// (business rules); nothing is written unless every check passes.

import type { Patient } from '#functions/patients/index.ts';
import type { Reference } from '#functions/scheduling/index.ts';
import { type AuditEvent, auditRead, succeeded } from '#shared/audit.ts';
import type { Principal } from '#shared/auth/principal.ts';
import { nowIso, nowMs } from '#shared/clock.ts';
import {
  isValidCpt,
  isValidIcd10Cm,
  isValidLoinc,
  isValidRxNorm,
  isValidSnomedCt,
  normalizeIcd10Cm,
} from '#shared/codes.ts';
import { openCursor, sealCursor } from '#shared/cursor.ts';
import {
  ConcealedDenialError,
  ConflictError,
  type FieldIssue,
  ForbiddenError,
  NotFoundError,
  PreconditionFailedError,
  UnprocessableError,
  ValidationError,
} from '#shared/errors.ts';
import { etag, type HttpResult, recordResult } from '#shared/http/result.ts';
import type { StoredResponse } from '#shared/idempotency.ts';
import { newId } from '#shared/ids.ts';
import { newRecord, nextVersion, type RecordStamp } from '#shared/records.ts';
import type { WriteContext } from '#shared/write.ts';
import type { TimelineQuery } from './kind-schemas.ts';
import {
  type AddressableKind,
  type AnyRecord,
  CHART_KINDS,
  chartKind,
  KINDS,
  type Kind,
  type RecordTypes,
} from './kinds.ts';
import { interpretResults, isAbnormal, rangeIssues, statusChangeIssue } from './lab.ts';
import type {
  Actor,
  Addendum,
  Allergy,
  AllergyListStatus,
  Chart,
  Contributor,
  ContributorInput,
  CreateAddendumBody,
  CreateAllergyBody,
  CreateEncounterBody,
  CreateLabResultBody,
  CreateMedicationBody,
  CreateNoteBody,
  CreateNoteTemplateBody,
  CreateProblemBody,
  CreateVitalsBody,
  Encounter,
  InboxQuery,
  LabResult,
  ListQuery,
  Medication,
  Note,
  NoteTemplate,
  Problem,
  ReviewBody,
  UpdateAllergyBody,
  UpdateEncounterBody,
  UpdateLabResultBody,
  UpdateMedicationBody,
  UpdateNoteBody,
  UpdateProblemBody,
  UpdateVitalsBody,
  VitalSigns,
} from './schemas.ts';
import { type ChartStore, DynamoChartStore, type Page } from './store.ts';
import { BUILT_IN_TEMPLATES, builtInTemplate, DEFAULT_TEMPLATE_ID } from './templates.ts';
import { canSee, redact, type Visibility, visibilityFilter, visibilityOf } from './visibility.ts';
import { bmiOf, implausibleVitals, observationsOf } from './vitals.ts';

export interface ChartContext extends WriteContext {
  principal: Principal;
}

/** How many recent encounters, notes and lab results the chart shows; the timeline has the rest. */
export const CHART_RECENT = 10;
/** Clocks disagree: a time up to this far ahead of ours is still "now", not the future. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** A record as a use case builds it, before the server stamps it (shared/records.ts). */
type Fresh<T> = Omit<T, keyof RecordStamp>;

/** ISO-8601 UTC, so timestamps sort as strings in keys. */
function utc(timestamp: string): string {
  return new Date(timestamp).toISOString();
}

function today(): string {
  return nowIso().slice(0, 10);
}

function inFuture(timestamp: string): boolean {
  return Date.parse(timestamp) > nowMs() + CLOCK_SKEW_MS;
}

function actor(principal: Principal): Actor {
  return {
    userId: principal.sub,
    name: principal.username,
    ...(principal.practitionerId ? { practitionerId: principal.practitionerId } : {}),
  };
}

function reject(issues: FieldIssue[], detail = 'The request breaks a charting rule'): void {
  if (issues.length > 0)
    throw new UnprocessableError(`${detail}: ${issues.map((i) => i.field).join(', ')}`, issues);
}

/** Top-level fields sent replace the stored ones; `null` removes an optional field (docs/api.md). */
function merged<T extends object>(before: T, body: object): T {
  const after: Record<string, unknown> = { ...(before as Record<string, unknown>) };
  for (const [field, value] of Object.entries(body)) {
    if (value === null) delete after[field];
    else if (value !== undefined) after[field] = value;
  }
  return after as T;
}

function icd10Issue(code: string | undefined, field: string): FieldIssue[] {
  if (code === undefined || isValidIcd10Cm(code)) return [];
  return [{ field, message: 'Must be an ICD-10-CM code such as E11.9' }];
}

function cptIssue(code: string | undefined, field: string): FieldIssue[] {
  if (code === undefined || isValidCpt(code)) return [];
  return [{ field, message: 'Must be a CPT code: five digits, or four digits and F, T or U' }];
}

function loincIssue(code: string, field: string): FieldIssue[] {
  return isValidLoinc(code)
    ? []
    : [{ field, message: 'Must be a LOINC code with a valid check digit, e.g. 2345-7' }];
}

function notInFuture(timestamp: string | undefined, field: string): FieldIssue[] {
  return timestamp !== undefined && inFuture(timestamp)
    ? [{ field, message: 'Must not be in the future' }]
    : [];
}

function notAfterToday(date: string | undefined, field: string): FieldIssue[] {
  return date !== undefined && date > today() ? [{ field, message: 'Must not be in the future' }] : [];
}

function substanceIssues(substance: Allergy['substance']): FieldIssue[] {
  if (!substance) return [];
  const field = 'body.substance.code';
  if (substance.system === 'text') {
    return substance.code === undefined ? [] : [{ field, message: 'Only for rxnorm or snomed substances' }];
  }
  if (substance.code === undefined)
    return [{ field, message: `Required for a ${substance.system} substance` }];
  if (substance.system === 'rxnorm' && !isValidRxNorm(substance.code)) {
    return [{ field, message: 'Must be an RxNorm RXCUI (digits only)' }];
  }
  if (substance.system === 'snomed' && !isValidSnomedCt(substance.code)) {
    return [{ field, message: 'Must be a SNOMED CT concept id with a valid check digit' }];
  }
  return [];
}

/** A prescriber named by id is one of the practice's providers (one named only by name may be from elsewhere). */
function prescriberReference(prescriber: { id?: string | undefined } | null | undefined): Reference[] {
  return prescriber?.id ? [{ kind: 'provider', id: prescriber.id, field: 'body.prescriber.id' }] : [];
}

/** An allergy that is current: not "no known allergies", active, and not refuted or entered in error. */
function isActiveAllergy(a: Allergy): boolean {
  return (
    !a.noKnownAllergies &&
    a.clinicalStatus === 'active' &&
    a.verificationStatus !== 'refuted' &&
    a.verificationStatus !== 'entered-in-error'
  );
}

function isActiveNoKnownAllergies(a: Allergy): boolean {
  return (
    a.noKnownAllergies === true &&
    a.clinicalStatus === 'active' &&
    a.verificationStatus !== 'entered-in-error'
  );
}

export function allergyListStatus(allergies: readonly Allergy[]): AllergyListStatus {
  if (allergies.some(isActiveAllergy)) return 'has-allergies';
  if (allergies.some(isActiveNoKnownAllergies)) return 'no-known-allergies';
  return 'unknown';
}

/** Deep equality of JSON values, whatever order their keys come back from DynamoDB in. */
function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.entries(value)
              .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
              .map(([k, v]) => [k, canonical(v)]),
          )
        : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** The `count` newest by an ISO date (compared as strings: locale collation could reorder punctuation). */
function newest<T>(items: readonly T[], date: (item: T) => string, count: number): T[] {
  return [...items].sort((a, b) => (date(a) < date(b) ? 1 : date(a) > date(b) ? -1 : 0)).slice(0, count);
}

/**
 * Documentation prompts asked of the encounter when its note is signed: what its charges lack. Billing answers
 * (handlers/sign-note.ts wires its door in), so charting never imports billing.
 */
export type SignPrompts = (
  patientId: string,
  encounterId: string,
) => Promise<{ field: string; message: string }[]>;

export class ChartingService {
  private readonly store: ChartStore;
  private readonly signPrompts: SignPrompts | undefined;

  constructor(store: ChartStore = new DynamoChartStore(), signPrompts?: SignPrompts) {
    this.store = store;
    this.signPrompts = signPrompts;
  }

  // ── Shared steps ───────────────────────────────────────────────────────────────────────────────────────────
  private stored(result: HttpResult): StoredResponse {
    return { status: result.status, headers: result.headers ?? {}, body: result.body };
  }

  /** The success event of `verb` on a record of `kind` (its action `<kind>.<verb>`, e.g. `lab-result.review`). */
  private event(kind: Kind, verb: string, patientId: string, id?: string): AuditEvent {
    return succeeded(`${kind}.${verb}`, CHART_KINDS[kind].auditResourceType, id, patientId);
  }

  private async load<K extends AddressableKind>(
    kind: K,
    patientId: string,
    id: string,
  ): Promise<RecordTypes[K]> {
    const record = await this.store.get(kind, patientId, id);
    if (!record) throw new NotFoundError(`No such ${CHART_KINDS[kind].noun}`);
    return record;
  }

  private checkVersion(kind: AddressableKind, record: AnyRecord, expectedVersion: number): void {
    if (record.version !== expectedVersion) {
      throw new PreconditionFailedError(
        `The ${CHART_KINDS[kind].noun} changed since you read it; read it again`,
        [],
        {
          ETag: etag(record.version),
        },
      );
    }
  }

  private async add<K extends AddressableKind>(
    ctx: ChartContext,
    kind: K,
    record: RecordTypes[K],
    encounterId?: string,
    references: Reference[] = [],
  ): Promise<HttpResult> {
    const result = recordResult(
      201,
      record,
      `/v1/patients/${record.patientId}/${chartKind(kind).segment}/${record.id}`,
    );
    await this.store.create(ctx, kind, record, {
      audit: [this.event(kind, 'create', record.patientId, record.id)],
      response: this.stored(result),
      references,
      ...(encounterId ? { encounter: { id: encounterId, field: 'body.encounterId' } } : {}),
    });
    return result;
  }

  /** Read, check state and version, apply the change, write it conditionally on the version read. */
  private async change<K extends AddressableKind>(
    ctx: ChartContext,
    kind: K,
    ids: { patientId: string; id: string; expectedVersion: number },
    verb: string,
    step: {
      guard?: (before: RecordTypes[K]) => void;
      apply: (before: RecordTypes[K]) => RecordTypes[K];
      /** Practice records the change newly names; each must exist. */
      references?: Reference[];
    },
  ): Promise<HttpResult> {
    const before = await this.load(kind, ids.patientId, ids.id);
    step.guard?.(before);
    this.checkVersion(kind, before, ids.expectedVersion);
    const after = nextVersion(ctx, before, step.apply(before));
    const result = recordResult(200, after);
    await this.store.replace(ctx, kind, before, after, {
      audit: [this.event(kind, verb, ids.patientId, ids.id)],
      response: this.stored(result),
      references: step.references ?? [],
    });
    return result;
  }

  // ── Reads shared by every kind ───────────────────────────────────────────────────────────────────────────
  async read(ctx: ChartContext, kind: AddressableKind, patientId: string, id: string): Promise<HttpResult> {
    const v = visibilityOf(ctx.principal);
    let record: AnyRecord;
    if (kind === 'note') {
      const { note, addenda } = await this.store.noteWithAddenda(patientId, id);
      if (!note) throw new NotFoundError(`No such ${CHART_KINDS.note.noun}`);
      record = { ...note, addenda };
    } else {
      record = await this.load(kind, patientId, id);
    }
    // A record this reader may not see is answered as absent (and the stack audits the attempt as denied).
    if (!canSee(v, kind, record)) throw new ConcealedDenialError(`No such ${CHART_KINDS[kind].noun}`);
    await auditRead(ctx, [this.event(kind, 'read', patientId, id)]);
    return recordResult(200, redact(v, kind, record));
  }

  /**
   * A list of a patient that does not exist is 404, as a read is. The list's page usually proves the patient (it read
   * one of their items, or its range held the profile); only a first page that read nothing costs one GetItem more.
   * Later pages need no check: their cursor is sealed to this patient and came from a first page.
   */
  private async requirePatient(patientId: string, page: Page<unknown>): Promise<void> {
    const exists = page.patientExists ?? (await this.store.patientExists(patientId));
    if (!exists) throw new NotFoundError('No such patient');
  }

  async list(
    ctx: ChartContext,
    kind: AddressableKind,
    patientId: string,
    query: ListQuery,
  ): Promise<HttpResult> {
    const v = visibilityOf(ctx.principal);
    const binding = JSON.stringify({ kind, patientId, limit: query.limit, sub: ctx.principal.sub });
    const filter = visibilityFilter(v, [kind]);
    const page = filter
      ? await this.store.list(kind, patientId, {
          limit: query.limit,
          filter,
          ...(query.cursor ? { after: await openCursor(query.cursor, binding) } : {}),
        })
      : { items: [] };
    if (!query.cursor) await this.requirePatient(patientId, page);
    await auditRead(ctx, [this.event(kind, 'list', patientId)]);
    return {
      status: 200,
      body: {
        items: page.items.map((r) => redact(v, kind, r)),
        ...(page.after ? { nextCursor: await sealCursor(page.after, binding) } : {}),
      },
    };
  }

  // ── Encounters ─────────────────────────────────────────────────────────────────────────────────────────────
  /** The provider, location and appointment an encounter body names: each must be one of this practice's. */
  private encounterReferences(
    patientId: string,
    e: {
      provider?: { id: string } | undefined;
      location?: { id?: string | undefined } | null | undefined;
      appointmentId?: string | null | undefined;
    },
  ): Reference[] {
    return [
      ...(e.provider ? [{ kind: 'provider' as const, id: e.provider.id, field: 'body.provider.id' }] : []),
      ...(e.location?.id
        ? [{ kind: 'location' as const, id: e.location.id, field: 'body.location.id' }]
        : []),
      ...(e.appointmentId
        ? [{ kind: 'appointment' as const, id: e.appointmentId, field: 'body.appointmentId', patientId }]
        : []),
    ];
  }

  private encounterIssues(e: {
    reasonCode?: string | null;
    serviceCode?: string | null;
    start?: string;
  }): FieldIssue[] {
    return [
      ...icd10Issue(e.reasonCode ?? undefined, 'body.reasonCode'),
      ...cptIssue(e.serviceCode ?? undefined, 'body.serviceCode'),
      ...notInFuture(e.start, 'body.start'),
    ];
  }

  async createEncounter(
    ctx: ChartContext,
    patientId: string,
    body: CreateEncounterBody,
  ): Promise<HttpResult> {
    const reasonCode = body.reasonCode ? normalizeIcd10Cm(body.reasonCode) : undefined;
    reject(this.encounterIssues({ ...body, ...(reasonCode ? { reasonCode } : {}) }));
    const encounter = newRecord<Fresh<Encounter>>(ctx, {
      ...body,
      ...(reasonCode ? { reasonCode } : {}),
      patientId,
      status: 'in-progress',
      start: utc(body.start ?? nowIso()),
    });
    return this.add(ctx, 'encounter', encounter, undefined, this.encounterReferences(patientId, body));
  }

  async updateEncounter(
    ctx: ChartContext,
    patientId: string,
    id: string,
    expectedVersion: number,
    body: UpdateEncounterBody,
  ): Promise<HttpResult> {
    const changes = {
      ...body,
      ...(body.reasonCode ? { reasonCode: normalizeIcd10Cm(body.reasonCode) } : {}),
      ...(body.start ? { start: utc(body.start) } : {}),
    };
    return this.change(ctx, 'encounter', { patientId, id, expectedVersion }, 'update', {
      apply: (before) => {
        reject(this.encounterIssues(changes));
        return merged(before, changes);
      },
      references: this.encounterReferences(patientId, changes),
    });
  }

  async finishEncounter(ctx: ChartContext, patientId: string, id: string, expectedVersion: number) {
    return this.change(ctx, 'encounter', { patientId, id, expectedVersion }, 'finish', {
      guard: (before) => {
        if (before.status === 'finished') throw new ConflictError('The encounter is already finished');
      },
      apply: (before) => ({ ...before, status: 'finished', end: nowIso(), finishedBy: actor(ctx.principal) }),
    });
  }

  // ── Progress notes ─────────────────────────────────────────────────────────────────────────────────────────
  private async findTemplate(id: string): Promise<NoteTemplate> {
    const template = builtInTemplate(id) ?? (await this.store.template(id));
    if (!template) {
      throw new UnprocessableError('No such note template', [
        { field: 'body.templateId', message: 'No such template' },
      ]);
    }
    return template;
  }

  /**
   * The author's list of contributors, as sent: each colleague once, never the author; those already on the note
   * keep when they were added and when they last edited.
   */
  private contributorsOf(
    ctx: ChartContext,
    current: readonly Contributor[],
    sent: readonly ContributorInput[],
  ): Contributor[] {
    const issues: FieldIssue[] = [];
    const seen = new Set<string>();
    for (const [i, c] of sent.entries()) {
      if (c.userId === ctx.principal.sub)
        issues.push({ field: `body.contributors.${i}.userId`, message: 'You are the author' });
      else if (seen.has(c.userId))
        issues.push({ field: `body.contributors.${i}.userId`, message: 'Listed twice' });
      seen.add(c.userId);
    }
    reject(issues);
    const now = nowIso();
    return sent.map((c) => {
      const kept = current.find((k) => k.userId === c.userId);
      return kept ? { ...kept, name: c.name } : { userId: c.userId, name: c.name, addedAt: now };
    });
  }

  async createNote(ctx: ChartContext, patientId: string, body: CreateNoteBody): Promise<HttpResult> {
    const template = await this.findTemplate(body.templateId ?? DEFAULT_TEMPLATE_ID);
    const contributors = this.contributorsOf(ctx, [], body.contributors ?? []);
    const note = newRecord<Fresh<Note>>(ctx, {
      patientId,
      encounterId: body.encounterId,
      templateId: template.id,
      title: body.title ?? template.title,
      subjective: body.subjective ?? template.subjective,
      objective: body.objective ?? template.objective,
      assessment: body.assessment ?? template.assessment,
      plan: body.plan ?? template.plan,
      status: 'draft',
      author: actor(ctx.principal),
      contributors,
    });
    return this.add(ctx, 'note', note, body.encounterId);
  }

  private static unlessDraft(note: Note): void {
    if (note.status !== 'draft') {
      throw new ConflictError('A signed note cannot change; add an addendum to correct it');
    }
  }

  async updateNote(
    ctx: ChartContext,
    patientId: string,
    id: string,
    expectedVersion: number,
    body: UpdateNoteBody,
  ): Promise<HttpResult> {
    const { contributors, ...sections } = body;
    const sub = ctx.principal.sub;
    return this.change(ctx, 'note', { patientId, id, expectedVersion }, 'update', {
      guard: (before) => {
        ChartingService.unlessDraft(before);
        const isAuthor = before.author.userId === sub;
        if (contributors !== undefined && !isAuthor) {
          throw new ForbiddenError('Only the note’s author may change who contributes to it');
        }
        if (!isAuthor && !(before.contributors ?? []).some((c) => c.userId === sub)) {
          throw new ForbiddenError(
            'Only the note’s author, or a contributor the author added, may edit a draft',
          );
        }
      },
      apply: (before) => {
        const after = merged(before, sections);
        const listed =
          contributors === undefined
            ? (before.contributors ?? [])
            : this.contributorsOf(ctx, before.contributors ?? [], contributors);
        // A contributor's edit is marked on their entry, so whoever signs sees who changed the draft.
        const now = nowIso();
        return {
          ...after,
          contributors: listed.map((c) =>
            c.userId === sub && Object.keys(sections).length > 0 ? { ...c, lastEditedAt: now } : c,
          ),
        };
      },
    });
  }

  /** Only the note's author signs it, and only once: the signed note is frozen from then on. */
  async signNote(
    ctx: ChartContext,
    patientId: string,
    id: string,
    expectedVersion: number,
  ): Promise<HttpResult> {
    const result = await this.change(ctx, 'note', { patientId, id, expectedVersion }, 'sign', {
      guard: (before) => {
        if (before.status === 'signed') throw new ConflictError('The note is already signed');
        if (before.author.userId !== ctx.principal.sub) {
          throw new ForbiddenError('Only the author of a note may sign it');
        }
      },
      apply: (before) => ({
        ...before,
        status: 'signed',
        signedBy: actor(ctx.principal),
        signedAt: nowIso(),
      }),
    });
    // Asked once the signature is stored: a retry replays the signed note without them.
    const warnings = this.signPrompts
      ? await this.signPrompts(patientId, (result.body as Note).encounterId)
      : [];
    return warnings.length > 0 ? { ...result, body: { ...(result.body as Note), warnings } } : result;
  }

  /** Corrections to a signed note: each a separate record, signed by its author as it is written, never changed. */
  async addAddendum(
    ctx: ChartContext,
    patientId: string,
    noteId: string,
    body: CreateAddendumBody,
  ): Promise<HttpResult> {
    const note = await this.load('note', patientId, noteId);
    if (note.status !== 'signed')
      throw new ConflictError('A draft is edited, not amended; PATCH the note instead');
    const now = nowIso();
    const addendum = newRecord<Fresh<Addendum>>(ctx, {
      patientId,
      noteId,
      text: body.text,
      author: actor(ctx.principal),
      signedAt: now,
    });
    const result = recordResult(
      201,
      addendum,
      `/v1/patients/${patientId}/${CHART_KINDS.note.segment}/${noteId}`,
    );
    await this.store.addAddendum(ctx, addendum, {
      audit: [this.event('addendum', 'create', patientId, addendum.id)],
      response: this.stored(result),
    });
    return result;
  }

  async listTemplates(): Promise<HttpResult> {
    const own = await this.store.templates();
    return { status: 200, body: { items: [...BUILT_IN_TEMPLATES, ...own] } };
  }

  async createTemplate(ctx: ChartContext, body: CreateNoteTemplateBody): Promise<HttpResult> {
    const now = nowIso();
    const template: NoteTemplate = {
      ...body,
      title: body.title ?? body.name,
      id: newId(),
      builtIn: false,
      version: 1,
      createdAt: now,
      createdBy: ctx.principal.sub,
    };
    const result: HttpResult = {
      status: 201,
      body: template,
      headers: { ETag: etag(1), Location: '/v1/note-templates' },
    };
    await this.store.createTemplate(ctx, template, {
      audit: [succeeded('note-template.create', 'NoteTemplate', template.id)],
      response: this.stored(result),
    });
    return result;
  }

  // ── Problems ───────────────────────────────────────────────────────────────────────────────────────────────
  private problemIssues(p: Problem): FieldIssue[] {
    const issues = [...icd10Issue(p.code, 'body.code'), ...notAfterToday(p.onset, 'body.onset')];
    if (p.abatement !== undefined) {
      // FHIR con-4: an abated condition is inactive, resolved or in remission.
      if (p.clinicalStatus === 'active') {
        issues.push({ field: 'body.abatement', message: 'Only for an inactive or resolved problem' });
      } else if (p.onset !== undefined && p.abatement < p.onset) {
        issues.push({ field: 'body.abatement', message: 'Must not be before onset' });
      }
    }
    return issues;
  }

  async createProblem(ctx: ChartContext, patientId: string, body: CreateProblemBody): Promise<HttpResult> {
    const problem = newRecord<Fresh<Problem>>(ctx, { ...body, code: normalizeIcd10Cm(body.code), patientId });
    reject(this.problemIssues(problem));
    return this.add(ctx, 'problem', problem, body.encounterId);
  }

  async updateProblem(
    ctx: ChartContext,
    patientId: string,
    id: string,
    expectedVersion: number,
    body: UpdateProblemBody,
  ): Promise<HttpResult> {
    return this.change(ctx, 'problem', { patientId, id, expectedVersion }, 'update', {
      apply: (before) => {
        const after = merged(before, {
          ...body,
          ...(body.code ? { code: normalizeIcd10Cm(body.code) } : {}),
        });
        reject(this.problemIssues(after));
        return after;
      },
    });
  }

  // ── Medications ────────────────────────────────────────────────────────────────────────────────────────────
  private medicationIssues(m: Medication): FieldIssue[] {
    const issues: FieldIssue[] = [];
    if (!isValidRxNorm(m.code))
      issues.push({ field: 'body.code', message: 'Must be an RxNorm RXCUI (digits only)' });
    if (m.stop !== undefined && m.stop < m.start)
      issues.push({ field: 'body.stop', message: 'Must not be before start' });
    return issues;
  }

  async createMedication(
    ctx: ChartContext,
    patientId: string,
    body: CreateMedicationBody,
  ): Promise<HttpResult> {
    const { principal } = ctx;
    const prescriber =
      body.prescriber ??
      (principal.practitionerId ? { id: principal.practitionerId, name: principal.username } : undefined);
    const medication = newRecord<Fresh<Medication>>(ctx, {
      ...body,
      ...(prescriber ? { prescriber } : {}),
      start: body.start ?? today(),
      patientId,
    });
    reject(this.medicationIssues(medication));
    return this.add(ctx, 'medication', medication, body.encounterId, prescriberReference(body.prescriber));
  }

  async updateMedication(
    ctx: ChartContext,
    patientId: string,
    id: string,
    expectedVersion: number,
    body: UpdateMedicationBody,
  ): Promise<HttpResult> {
    return this.change(ctx, 'medication', { patientId, id, expectedVersion }, 'update', {
      apply: (before) => {
        const after = merged(before, body);
        reject(this.medicationIssues(after));
        return after;
      },
      references: prescriberReference(body.prescriber),
    });
  }

  // ── Allergies ──────────────────────────────────────────────────────────────────────────────────────────────
  /**
   * "No known allergies" and an active allergy never stand together: recording an allergy retires the patient's
   * "no known allergies" statement in the same transaction, and "no known allergies" is refused while an allergy
   * is active. The list lock makes concurrent changes take turns.
   */
  private allergyChanges(
    ctx: ChartContext,
    current: readonly Allergy[],
    after: Allergy,
  ): { retire: [Allergy, Allergy][]; audit: AuditEvent[] } {
    const others = current.filter((a) => a.id !== after.id);
    if (isActiveNoKnownAllergies(after) && others.some(isActiveAllergy)) {
      throw new ConflictError('The patient has an active allergy; mark it inactive or refuted first', [
        { field: 'body.noKnownAllergies', message: 'The patient has an active allergy' },
      ]);
    }
    const supersedes = isActiveAllergy(after) || isActiveNoKnownAllergies(after);
    const retire: [Allergy, Allergy][] = supersedes
      ? others
          .filter(isActiveNoKnownAllergies)
          .map((nka) => [nka, nextVersion(ctx, nka, { ...nka, clinicalStatus: 'inactive' })])
      : [];
    return {
      retire,
      audit: retire.map(([, a]) => this.event('allergy', 'update', a.patientId, a.id)),
    };
  }

  private allergyIssues(a: Allergy): FieldIssue[] {
    const issues = [...substanceIssues(a.substance), ...notAfterToday(a.onset, 'body.onset')];
    if (a.noKnownAllergies) {
      for (const field of ['substance', 'reactions', 'criticality'] as const) {
        if (a[field] !== undefined)
          issues.push({ field: `body.${field}`, message: 'Not on a no-known-allergies record' });
      }
    }
    return issues;
  }

  async createAllergy(ctx: ChartContext, patientId: string, body: CreateAllergyBody): Promise<HttpResult> {
    const allergy = newRecord<Fresh<Allergy>>(ctx, { ...body, patientId });
    reject(this.allergyIssues(allergy));
    const { listVersion, allergies } = await this.store.allergies(patientId);
    const { retire, audit } = this.allergyChanges(ctx, allergies, allergy);
    const result = recordResult(
      201,
      allergy,
      `/v1/patients/${patientId}/${CHART_KINDS.allergy.segment}/${allergy.id}`,
    );
    await this.store.writeAllergies(ctx, patientId, {
      ...(listVersion !== undefined ? { listVersion } : {}),
      create: allergy,
      replace: retire,
      audit: [this.event('allergy', 'create', patientId, allergy.id), ...audit],
      response: this.stored(result),
    });
    return result;
  }

  async updateAllergy(
    ctx: ChartContext,
    patientId: string,
    id: string,
    expectedVersion: number,
    body: UpdateAllergyBody,
  ): Promise<HttpResult> {
    const { listVersion, allergies } = await this.store.allergies(patientId);
    const before = allergies.find((a) => a.id === id);
    if (!before) throw new NotFoundError(`No such ${CHART_KINDS.allergy.noun}`);
    this.checkVersion('allergy', before, expectedVersion);
    const after = nextVersion(ctx, before, merged(before, body));
    reject(this.allergyIssues(after));
    const { retire, audit } = this.allergyChanges(ctx, allergies, after);
    const result = recordResult(200, after);
    await this.store.writeAllergies(ctx, patientId, {
      ...(listVersion !== undefined ? { listVersion } : {}),
      replace: [[before, after], ...retire],
      audit: [this.event('allergy', 'update', patientId, id), ...audit],
      response: this.stored(result),
    });
    return result;
  }

  // ── Vital signs ────────────────────────────────────────────────────────────────────────────────────────────
  private measured(vitals: VitalSigns): VitalSigns {
    const { bmi: _old, observations: _derived, ...measurements } = vitals;
    reject(
      [...implausibleVitals(measurements), ...notInFuture(measurements.effective, 'body.effective')],
      'A vital sign is outside what is physiologically possible',
    );
    if (observationsOf(measurements).length === 0) {
      reject([{ field: 'body', message: 'A vital signs set needs at least one measurement' }]);
    }
    const bmi = bmiOf(measurements);
    const derived = { ...measurements, ...(bmi !== undefined ? { bmi } : {}) };
    return { ...derived, observations: observationsOf(derived) };
  }

  async createVitals(ctx: ChartContext, patientId: string, body: CreateVitalsBody): Promise<HttpResult> {
    const vitals = newRecord<Fresh<VitalSigns>>(ctx, {
      ...body,
      patientId,
      effective: utc(body.effective ?? nowIso()),
      observations: [],
    });
    return this.add(ctx, 'vitals', this.measured(vitals), body.encounterId);
  }

  async updateVitals(
    ctx: ChartContext,
    patientId: string,
    id: string,
    expectedVersion: number,
    body: UpdateVitalsBody,
  ): Promise<HttpResult> {
    return this.change(ctx, 'vitals', { patientId, id, expectedVersion }, 'update', {
      apply: (before) =>
        this.measured(
          merged(before, { ...body, ...(body.effective ? { effective: utc(body.effective) } : {}) }),
        ),
    });
  }

  // ── Lab results ────────────────────────────────────────────────────────────────────────────────────────────
  private labIssues(r: Pick<LabResult, 'code' | 'results' | 'issued'>): FieldIssue[] {
    return [
      ...loincIssue(r.code, 'body.code'),
      ...r.results.flatMap((result, i) => loincIssue(result.code, `body.results.${i}.code`)),
      ...rangeIssues(r.results),
      ...notInFuture(r.issued, 'body.issued'),
    ];
  }

  async createLabResult(
    ctx: ChartContext,
    patientId: string,
    body: CreateLabResultBody,
  ): Promise<HttpResult> {
    const results = interpretResults(body.results);
    const report = newRecord<Fresh<LabResult>>(ctx, {
      ...body,
      patientId,
      issued: utc(body.issued),
      effective: utc(body.effective ?? body.issued),
      results,
      abnormal: results.some((r) => isAbnormal(r.interpretation)),
    });
    reject(this.labIssues(report));
    return this.add(ctx, 'lab-result', report, body.encounterId, [
      { kind: 'provider', id: body.orderingProviderId, field: 'body.orderingProviderId' },
    ]);
  }

  async updateLabResult(
    ctx: ChartContext,
    patientId: string,
    id: string,
    expectedVersion: number,
    body: UpdateLabResultBody,
  ): Promise<HttpResult> {
    return this.change(ctx, 'lab-result', { patientId, id, expectedVersion }, 'update', {
      apply: (before) => {
        const { results: sent, ...fields } = body;
        const results = sent ? interpretResults(sent) : before.results;
        const after = merged(before, {
          ...fields,
          ...(fields.issued ? { issued: utc(fields.issued) } : {}),
          ...(fields.effective ? { effective: utc(fields.effective) } : {}),
          results,
          abnormal: results.some((r) => isAbnormal(r.interpretation)),
        });
        const contentChanged = after.code !== before.code || !sameJson(after.results, before.results);
        const statusIssue = statusChangeIssue(before, after, contentChanged);
        reject([...this.labIssues(after), ...(statusIssue ? [statusIssue] : [])]);
        // A changed report is news: it goes back to its ordering provider's inbox for a fresh review.
        if (contentChanged || after.status !== before.status) delete after.review;
        return after;
      },
      references: body.orderingProviderId
        ? [{ kind: 'provider', id: body.orderingProviderId, field: 'body.orderingProviderId' }]
        : [],
    });
  }

  /** The review record that protects the practice: who looked, when, and what follow-up they decided. */
  async reviewLabResult(
    ctx: ChartContext,
    patientId: string,
    id: string,
    expectedVersion: number,
    body: ReviewBody,
  ): Promise<HttpResult> {
    return this.change(ctx, 'lab-result', { patientId, id, expectedVersion }, 'review', {
      guard: (before) => {
        if (before.review) throw new ConflictError('The lab result is already reviewed');
      },
      apply: (before) => {
        if (before.abnormal && !body.comment) {
          reject([
            { field: 'body.comment', message: 'Say what follow-up is planned for an abnormal result' },
          ]);
        }
        return {
          ...before,
          review: {
            by: actor(ctx.principal),
            at: nowIso(),
            ...(body.comment ? { comment: body.comment } : {}),
          },
        };
      },
    });
  }

  async inbox(ctx: ChartContext, query: InboxQuery): Promise<HttpResult> {
    const providerId = query.providerId ?? ctx.principal.practitionerId;
    if (!providerId) {
      throw new ValidationError([
        { field: 'query.providerId', message: 'Required: you are not linked to a provider' },
      ]);
    }
    const binding = JSON.stringify({ inbox: providerId, limit: query.limit, sub: ctx.principal.sub });
    const page = await this.store.inbox(providerId, {
      limit: query.limit,
      ...(query.cursor ? { after: await openCursor(query.cursor, binding) } : {}),
    });
    // One audit record per patient whose results were disclosed, so each patient's access history is complete.
    const patients = [...new Set(page.items.map((r) => r.patientId))];
    const resourceType = CHART_KINDS['lab-result'].auditResourceType;
    await auditRead(
      ctx,
      patients.map((p) => succeeded('inbox.read', resourceType, undefined, p)),
      succeeded('inbox.read', resourceType),
    );
    return {
      status: 200,
      body: {
        items: page.items,
        ...(page.after ? { nextCursor: await sealCursor(page.after, binding) } : {}),
      },
    };
  }

  // ── The chart and the timeline ─────────────────────────────────────────────────────────────────────────────
  /** The whole chart from one Query of the patient's partition (docs/charting.md, "The chart read"). */
  async chart(ctx: ChartContext, patientId: string): Promise<HttpResult> {
    const v = visibilityOf(ctx.principal);
    const { items, complete } = await this.store.chart(patientId);
    let patient: Patient | undefined;
    const seen = Object.fromEntries(KINDS.map((kind) => [kind, []])) as unknown as {
      [K in Kind]: RecordTypes[K][];
    };
    for (const item of items) {
      if (item.type === 'patient') patient = item.record;
      else if (canSee(v, item.type, item.record))
        (seen[item.type] as AnyRecord[]).push(redact(v, item.type, item.record));
    }
    if (!patient) throw new NotFoundError('No such patient');
    const chart: Chart = {
      patient,
      allergies: {
        status: allergyListStatus(seen.allergy),
        items: seen.allergy.filter((a) => a.clinicalStatus === 'active'),
      },
      problems: seen.problem.filter((p) => p.clinicalStatus === 'active'),
      medications: seen.medication.filter((m) => m.status === 'active' || m.status === 'on-hold'),
      ...(seen.vitals.length > 0 ? { latestVitals: newest(seen.vitals, (x) => x.effective, 1)[0] } : {}),
      encounters: newest(seen.encounter, (e) => e.start, CHART_RECENT),
      notes: newest(seen.note, (n) => n.createdAt, CHART_RECENT),
      labResults: newest(seen['lab-result'], (r) => r.issued, CHART_RECENT),
      historyComplete: complete,
    };
    await auditRead(ctx, [succeeded('chart.read', 'Chart', patientId, patientId)]);
    return { status: 200, body: chart };
  }

  /** Everything in clinical-date order, newest first, one Query page of the timeline index per call. */
  async timeline(ctx: ChartContext, patientId: string, query: TimelineQuery): Promise<HttpResult> {
    const v: Visibility = visibilityOf(ctx.principal);
    const { limit, cursor, types, ...range } = query;
    const requested = (types ? types.split(',') : KINDS) as Kind[];
    const from =
      range.from === undefined ? undefined : range.from.length === 10 ? range.from : utc(range.from);
    // A date as `to` means to the end of that day; '~' sorts after every character a key holds.
    const to = range.to === undefined ? undefined : `${range.to.length === 10 ? range.to : utc(range.to)}~`;
    if (from !== undefined && to !== undefined && to < from) {
      throw new ValidationError([{ field: 'query.to', message: 'Must not be before from' }]);
    }
    const binding = JSON.stringify({
      timeline: patientId,
      from,
      to,
      requested,
      limit,
      sub: ctx.principal.sub,
    });
    const filter = visibilityFilter(v, requested);
    const page = filter
      ? await this.store.timeline(patientId, {
          limit,
          filter,
          ...(from !== undefined ? { from } : {}),
          ...(to !== undefined ? { to } : {}),
          ...(cursor ? { after: await openCursor(cursor, binding) } : {}),
        })
      : { items: [] };
    if (!cursor) await this.requirePatient(patientId, page);
    await auditRead(ctx, [succeeded('timeline.read', 'Timeline', patientId, patientId)]);
    return {
      status: 200,
      body: {
        items: page.items.map((e) => ({ ...e, record: redact(v, e.type, e.record) })),
        ...(page.after ? { nextCursor: await sealCursor(page.after, binding) } : {}),
      },
    };
  }
}
