// Documentation prompts: what in an encounter's charges would cost the practice money later (a line no diagnosis
// supports, a diagnosis no line uses), said while the clinician can still fix it: when charges are recorded and
// when the encounter's note is signed. Pure.
import type { ChargeLine } from './model.ts';

export interface DocumentationPrompt {
  field: string;
  message: string;
}

export function documentationPrompts(charges: {
  diagnoses: readonly string[];
  lines: readonly ChargeLine[];
}) {
  const prompts: DocumentationPrompt[] = [];
  if (charges.diagnoses.length === 0 && charges.lines.length > 0) {
    prompts.push({ field: 'diagnoses', message: 'The service lines have no diagnosis to support them' });
  }
  charges.lines.forEach((line, i) => {
    if (line.diagnosisPointers.length === 0) {
      prompts.push({
        field: `lines[${i}].diagnosisPointers`,
        message: `Service line ${i + 1} (${line.code}) points to no diagnosis`,
      });
    }
  });
  const pointed = new Set(charges.lines.flatMap((l) => l.diagnosisPointers));
  charges.diagnoses.forEach((code, i) => {
    if (!pointed.has(i + 1)) {
      prompts.push({
        field: `diagnoses[${i}]`,
        message: `No service line points to diagnosis ${i + 1} (${code})`,
      });
    }
  });
  return prompts;
}
