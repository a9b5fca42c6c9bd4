// Text helpers shared by contexts.

/**
 * The form names are indexed and searched in: accents stripped, lower case, letters and digits only, so
 * "García-López", "garcia lopez" and "GARCIALOPEZ" all match one another.
 */
export function searchable(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '');
}
