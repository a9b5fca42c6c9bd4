// Finds a Java runtime able to run DynamoDB Local (Java 17+), or explains in one line how to get one.
import { spawnSync } from 'node:child_process';

export const JAVA_FIX =
  'Java 17+ is needed for DynamoDB Local. Install it: `sudo apt-get install -y openjdk-17-jre-headless` (Debian/Ubuntu) or `brew install openjdk@17` (macOS), then run npm start again.';

export class JavaMissingError extends Error {}

/** Returns the java command and its major version, or throws JavaMissingError with the fix. */
export function requireJava(command = process.env.JAVA ?? 'java'): { command: string; major: number } {
  const probe = spawnSync(command, ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new JavaMissingError(JAVA_FIX);
  const text = `${probe.stderr}${probe.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const first = Number(match?.[1] ?? 0);
  const major = first === 1 ? Number(match?.[2] ?? 0) : first;
  if (major < 17) throw new JavaMissingError(`Found Java ${major}. ${JAVA_FIX}`);
  return { command, major };
}
