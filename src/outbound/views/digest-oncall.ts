import { DateTime } from 'luxon';
import type { MenteeOncall } from '../../growth/oncall.ts';
import { clip, escapeText, quote } from './progress.ts';

export interface DigestReflection {
  /** How the incident is named (already Slack text: escaped title, link or channel). */
  name: string;
  /** Null when "just for me". */
  text: string | null;
}

/** Incident reflections, listed first among what was written: quoted when shared, counted when not. */
export function reflectionLines(reflections: readonly DigestReflection[]): string[] {
  const shared = reflections.filter((r) => r.text !== null);
  const hidden = reflections.length - shared.length;
  return [
    ...shared.slice(0, 2).map((r) => `:rotating_light: *Incident reflection* on ${r.name}:\n${quote(r.text!)}`),
    ...(shared.length > 2 ? [`…and ${shared.length - 2} more incident reflection(s).`] : []),
    ...(hidden
      ? [`:rotating_light: ${hidden} incident reflection${hidden === 1 ? '' : 's'} just for them (not shown).`]
      : []),
  ];
}

const pct = (x: number | null) => (x === null ? '–' : `${Math.round(x * 100)}%`);
const when = (d: Date, tz: string) => DateTime.fromJSDate(d, { zone: tz }).toFormat('ccc d LLL HH:mm');

/** Who was on call, their retro numbers and the trend over the last four shifts. */
export function oncallLines(o: MenteeOncall, tz: string): string[] {
  const lines: string[] = [];
  for (const s of o.shifts.slice(0, 2)) lines.push(`:pager: *On call* ${when(s.startsAt, tz)} – ${when(s.endsAt, tz)}`);
  const r = o.latest;
  if (r && r.private) lines.push('Latest on-call retro: filed, just for them (not shown).');
  else if (r) {
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
  if (o.privateCount && o.trend)
    lines.push(`(${o.privateCount} of the last ${o.filed} retros just for them: counted, not in the figures)`);
  return lines;
}
