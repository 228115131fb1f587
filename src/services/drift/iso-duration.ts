/**
 * ISO 8601 durations for schedules (ISO 8601-1:2019, 5.5.2.4 "duration"): `P[nW]` or
 * `P[nD][T[nH][nM][nS]]`, e.g. `P1D`, `PT6H`, `PT30S`, `P1DT12H`. Years and months are refused:
 * their length in milliseconds depends on the calendar, and a schedule needs a fixed period.
 * Seconds may have a fraction (`PT1.5S`).
 */
import { badInput } from '../errors';

const DURATION = /^P(?:(\d+)W|(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?)$/;
const UNIT_MS = { week: 604_800_000, day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1000 };

/** Milliseconds of an ISO 8601 duration; a clear BAD_USER_INPUT error otherwise. */
export function durationMs(text: string): number {
  const match = DURATION.exec(text);
  if (!match || text === 'P' || text.endsWith('T')) {
    throw badInput(
      `"${text}" is not an ISO 8601 duration in weeks, days, hours, minutes or seconds (e.g. P1D, PT6H, PT30S)`,
    );
  }
  const [, weeks, days, hours, minutes, seconds] = match;
  const n = (value: string | undefined) => (value === undefined ? 0 : Number(value.replace(',', '.')));
  return Math.round(
    n(weeks) * UNIT_MS.week +
      n(days) * UNIT_MS.day +
      n(hours) * UNIT_MS.hour +
      n(minutes) * UNIT_MS.minute +
      n(seconds) * UNIT_MS.second,
  );
}
