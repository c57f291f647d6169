import { describe, expect, it } from 'vitest';
import { jobReportText } from '../../src/outbound/views/job-report.ts';

describe('a job report in words (/growth admin run)', () => {
  it('names the counts that are not zero', () => {
    const report = { members: 20, claimed: 15, tooLate: 0, autoPaused: 1, sent: 12, failed: 0, gaveUp: 2, skipped: 3 };
    expect(jobReportText('weekly-prompts', report)).toBe(
      'Ran weekly-prompts: 20 members, 15 claimed, 1 auto paused, 12 sent, 2 gave up, 3 skipped.',
    );
  });

  it('names each part of a report that has parts, and says when there was nothing to do', () => {
    const part = { sent: 0, failed: 0, claimed: 0 };
    expect(jobReportText('incidents', { reflections: { ...part, sent: 2, claimed: 2 }, followUps: part })).toBe(
      'Ran incidents: reflections (2 sent, 2 claimed), follow ups (none).',
    );
    expect(jobReportText('reminders', { sent: 0, skipped: 0 })).toBe('Ran reminders: nothing to do.');
    expect(jobReportText('retention', { skipped: 'RETENTION_DAYS is unset: everything is kept' })).toBe(
      'Ran retention: skipped RETENTION_DAYS is unset: everything is kept.',
    );
  });
});
