// The built-in progress-note templates (SOAP: subjective, objective, assessment, plan), shipped in code so a new
// practice has them without a seeding step. A practice adds its own with POST /v1/note-templates.
import type { NoteTemplate } from './schemas.ts';

export const DEFAULT_TEMPLATE_ID = 'general-internal-medicine';

export const BUILT_IN_TEMPLATES: readonly NoteTemplate[] = [
  {
    id: DEFAULT_TEMPLATE_ID,
    name: 'General / internal medicine visit',
    specialty: 'General / internal medicine',
    builtIn: true,
    title: 'Progress note',
    subjective:
      'Chief complaint:\nHistory of present illness:\nReview of systems:\nCurrent medications reviewed:',
    objective:
      'Vital signs: see vitals.\nGeneral:\nHEENT:\nCardiovascular:\nRespiratory:\nAbdomen:\nExtremities:',
    assessment: 'Problems addressed:',
    plan: 'Diagnostics:\nTreatment:\nPatient education:\nFollow-up:',
  },
  {
    id: 'pediatrics',
    name: 'Pediatric visit',
    specialty: 'Pediatrics',
    builtIn: true,
    title: 'Pediatric progress note',
    subjective:
      'Chief complaint (from parent / guardian):\nHistory of present illness:\nFeeding and sleep:\nDevelopmental milestones:\nImmunizations up to date:',
    objective:
      'Vital signs and growth (weight, height, BMI percentiles): see vitals.\nGeneral appearance:\nExam:',
    assessment: 'Problems addressed:\nGrowth and development:',
    plan: 'Treatment:\nAnticipatory guidance:\nImmunizations due:\nFollow-up:',
  },
  {
    id: 'dermatology',
    name: 'Dermatology visit',
    specialty: 'Dermatology',
    builtIn: true,
    title: 'Dermatology progress note',
    subjective:
      'Chief complaint:\nLesion history (onset, duration, changes, symptoms):\nSun exposure and skin cancer history:',
    objective: 'Skin exam (location, morphology, size, color, distribution):\nDermoscopy:',
    assessment: 'Diagnosis / differential:',
    plan: 'Biopsy or procedure:\nTopical / systemic treatment:\nSun protection counselling:\nFollow-up:',
  },
];

export function builtInTemplate(id: string): NoteTemplate | undefined {
  return BUILT_IN_TEMPLATES.find((t) => t.id === id);
}
