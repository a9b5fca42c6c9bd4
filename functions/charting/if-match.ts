// The version a change was read at: the HTTP stack parses If-Match (or answers 428) on routes with requiresIfMatch.
export function expectedVersion(input: { expectedVersion?: number }): number {
  if (input.expectedVersion === undefined)
    throw new Error('If-Match not parsed: the route must set requiresIfMatch');
  return input.expectedVersion;
}
