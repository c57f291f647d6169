import { DateTime } from 'luxon';
import type { MenteeOncall } from '../../growth/oncall.ts';
import { clip, escapeText, quote } from './progress.ts';

export interface DigestReflection {
  /** How the incident is named (already Slack text: escaped title, link or channel). */
  name: string;
  text: string;
}

/** Shared incident reflections, listed first among what was written (a private one never reaches the mentor). */
export function reflectionLines(reflections: readonly DigestReflection[]): string[] {
  return [
    ...reflections.slice(0, 2).map((r) => `:rotating_light: *Incident reflection* on ${r.name}:\n${quote(r.text)}`),
    ...(reflections.length > 2 ? [`…and ${reflections.length - 2} more incident reflection(s).`] : []),
  ];
}

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
const when = (d: Date, tz: string) => DateTime.fromJSDate(d, { zone: tz }).toFormat('ccc d LLL HH:mm');

/** Who was on call, their retro numbers and the trend over the last four shifts. */
export function oncallLines(o: MenteeOncall, tz: string): string[] {
  const lines: string[] = [];
  for (const s of o.shifts.slice(0, 2)) lines.push(`:pager: *On call* ${when(s.startsAt, tz)} – ${when(s.endsAt, tz)}`);
  const r = o.latest;
  if (r) {
    const words = [
      r.alertToFix ? `alert to fix: ${escapeText(clip(r.alertToFix, 150))}` : '',
      r.handover ? `handover: ${escapeText(clip(r.handover, 200))}` : '',
    ].filter(Boolean);
    lines.push(
      `Latest on-call retro: *${r.pages}* pages, *${r.actionable}* needed action, *${r.toilHours}* h toil${words.length ? `\n>${words.join(' · ')}` : ''}`,
    );
  }
  if (o.trend) {
    const t = o.trend;
    lines.push(
      `Last ${t.shifts.length} shift${t.shifts.length === 1 ? '' : 's'}: pages ${t.shifts.map((s) => s.pages).join(' → ')} (${t.pagesPerShift.toFixed(1)} a shift) · ${pct(t.shareActionable)} needed action`,
    );
  }
  return lines;
}
