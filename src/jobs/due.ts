import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { type Due, dueThisWeek, endOfLocalDay, type Slot, type Weekday } from '../growth/schedule.ts';

/**
 * Due-ness for one instant, remembered per (zone, slot, cut-off): ten thousand members share
 * a handful of zones and slots, and time-zone arithmetic is the costly part of a fan-out.
 */
export function dueAt(now: Date): (tz: string, slot: Slot, cutoff: Weekday) => Due {
  const memo = new Map<string, Due>();
  return (tz, slot, cutoff) => {
    const k = `${tz}|${slot.weekday}|${slot.minute}|${cutoff}`;
    let d = memo.get(k);
    if (!d) memo.set(k, (d = dueThisWeek(now, tz, slot, cutoff)));
    return d;
  };
}

/** endOfLocalDay, remembered per (week, weekday, zone). */
export function cutoffs(): (week: string, weekday: Weekday, tz: string) => Date {
  const memo = new Map<string, Date>();
  return (week, weekday, tz) => {
    const k = `${week}|${weekday}|${tz}`;
    let d = memo.get(k);
    if (!d) memo.set(k, (d = endOfLocalDay(week, weekday, tz)));
    return d;
  };
}

/** Lets Slack requests in between chunks of a long planning loop (the bot shares one event loop). */
export const breathe = () => yieldToLoop();
