/**
 * One recording upstream for a whole test file: started before its first test, closed after
 * its last (after the file's own afterAll hooks, which may still stop processes sending to it).
 */
import { afterAll, beforeAll } from 'vitest';
import { startRecordingUpstream, type RecordingUpstream } from './recording-upstream.js';

/** Call at the top level of a test file; the getter is valid inside tests and hooks. */
export function useRecordingUpstream(): () => RecordingUpstream {
  let upstream: RecordingUpstream | undefined;
  beforeAll(async () => {
    upstream = await startRecordingUpstream();
  });
  afterAll(async () => {
    await upstream?.close();
  });
  return () => {
    if (upstream === undefined) throw new Error('the recording upstream is read outside a test or hook');
    return upstream;
  };
}
