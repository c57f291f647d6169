/**
 * A job's report in words, for `/growth admin run`: "Ran weekly-prompts: 20 members, 12 sent,
 * 3 skipped." Counts of zero are left out; a part of the report with counts of its own (an
 * incidents run's reflections and follow-ups) is named, its counts after it.
 */
export function jobReportText(job: string, report: object): string {
  const said = describe(report);
  return `Ran ${job}: ${said || 'nothing to do'}.`;
}

/** `gaveUp` → `gave up`. */
const words = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

function describe(report: object): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(report)) {
    if (typeof value === 'number') {
      if (value !== 0) parts.push(`${value} ${words(key)}`);
    } else if (typeof value === 'string') parts.push(`${words(key)} ${value}`);
    else if (typeof value === 'boolean') parts.push(`${words(key)}: ${value ? 'yes' : 'no'}`);
    else if (value && typeof value === 'object') parts.push(`${words(key)} (${describe(value) || 'none'})`);
  }
  return parts.join(', ');
}
