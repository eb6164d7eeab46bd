/**
 * Working time: the hours of the week the support desk works, in its time zone, public holidays off.
 *
 * Amounts of working time are real elapsed time inside the daily opening window: a due date
 * four working hours after Friday 17:00 is Monday 12:00, whatever the daylight-saving changes
 * between (opening hours are local time, so 9:00 Paris is 08:00 UTC in winter and 07:00 in summer).
 *
 * « One working day » is the length of one working day of working time (9 hours with 9:00–18:00):
 * a working day after Tuesday 10:00 is Wednesday 10:00; from outside the hours, counting starts at
 * the next opening, so a working day after Tuesday 20:00 is the end of Wednesday (18:00).
 */
import { TZDate } from '@date-fns/tz';
import joursFeries from '@socialgouv/jours-feries';
import type { Settings } from '../settings/settings.js';

export type WorkingCalendar = {
  timeZone: string;
  /** ISO day numbers: 1 = Monday … 7 = Sunday. */
  days: number[];
  /** Opening and closing times, 'HH:MM' local time. */
  start: string;
  end: string;
  /** French public holidays (metropolitan) are not working days. */
  holidays: boolean;
};

/** The time zone of the desk: opening hours and holidays are those of Paris. */
export const DESK_TIME_ZONE = 'Europe/Paris';

export function calendarOf(settings: Settings): WorkingCalendar {
  return {
    timeZone: DESK_TIME_ZONE,
    days: settings.workingDays,
    start: settings.workdayStart,
    end: settings.workdayEnd,
    holidays: settings.excludeHolidays ?? true,
  };
}

const MINUTE = 60_000;
// A calendar with no working day would loop forever; ten years without one is a broken calendar.
const MAX_DAYS = 3660;

/** A calendar date of the desk's zone (month 0-based, as Date). */
type Day = { year: number; month: number; date: number };

/** The working minutes of one working day (540 with 9:00–18:00). */
export function workdayMinutes(cal: WorkingCalendar): number {
  return minutesOf(cal.end) - minutesOf(cal.start);
}

export function addWorkingMinutes(from: Date, minutes: number, cal: WorkingCalendar): Date {
  check(cal);
  if (minutes < 0) throw new RangeError('addWorkingMinutes: minutes must not be negative');
  let left = Math.round(minutes * MINUTE);
  if (left === 0) return new Date(from);
  let day = dayOf(from, cal.timeZone);
  let at = from.getTime();
  const days = cachedDays(cal);
  for (let i = 0; i < MAX_DAYS; i++, day = nextDay(day)) {
    const { window } = dayInfo(day, cal, days);
    if (!window || at >= window.close) continue;
    const begin = Math.max(at, window.open);
    if (begin + left <= window.close) return new Date(begin + left);
    left -= window.close - begin;
    at = window.close;
  }
  throw new RangeError('addWorkingMinutes: no working day in the calendar');
}

export function addWorkingDays(from: Date, days: number, cal: WorkingCalendar): Date {
  return addWorkingMinutes(from, days * workdayMinutes(cal), cal);
}

/** Working minutes from `from` to `to`; negative when `to` comes first. */
export function workingMinutesBetween(from: Date, to: Date, cal: WorkingCalendar): number {
  check(cal);
  if (to.getTime() < from.getTime()) return -workingMinutesBetween(to, from, cal);
  const end = to.getTime();
  let total = 0;
  let day = dayOf(from, cal.timeZone);
  const days = cachedDays(cal);
  for (let i = 0; i < MAX_DAYS * 10; i++, day = nextDay(day)) {
    const { window, midnight } = dayInfo(day, cal, days);
    if (midnight > end) break;
    if (!window) continue;
    const overlap = Math.min(window.close, end) - Math.max(window.open, from.getTime());
    if (overlap > 0) total += overlap;
  }
  return total / MINUTE;
}

/** Whether the calendar day of `date` (in the desk's zone) is worked. */
export function isWorkingDay(date: Date, cal: WorkingCalendar): boolean {
  return worked(dayOf(date, cal.timeZone), cal);
}

function worked(day: Day, cal: WorkingCalendar): boolean {
  const weekday = new Date(Date.UTC(day.year, day.month, day.date)).getUTCDay() || 7;
  if (!cal.days.includes(weekday)) return false;
  return !(cal.holidays && holidaysOf(day.year).has(key(day)));
}

type DayInfo = { midnight: number; window: { open: number; close: number } | null };

// Time-zone arithmetic is costly (an Intl format per instant) and a page computes the due states of
// many requests over the same days: each day's instants are computed once per calendar.
const dayInfos = new Map<string, Map<number, DayInfo>>();
const MAX_CACHED_DAYS = 50_000;

/** The cached days of a calendar: looked up once per computation, not once per day. */
function cachedDays(cal: WorkingCalendar): Map<number, DayInfo> {
  const calendarKey = `${cal.timeZone}|${cal.start}|${cal.end}|${cal.days.join(',')}|${cal.holidays}`;
  let days = dayInfos.get(calendarKey);
  if (!days) {
    days = new Map();
    dayInfos.set(calendarKey, days);
  }
  return days;
}

/** Local midnight, and opening and closing instants (epoch ms) of a day, or no window when not worked. */
function dayInfo(day: Day, cal: WorkingCalendar, days: Map<number, DayInfo>): DayInfo {
  const dayKey = day.year * 10_000 + day.month * 100 + day.date;
  let info = days.get(dayKey);
  if (!info) {
    if (days.size >= MAX_CACHED_DAYS) days.clear();
    info = {
      midnight: new TZDate(day.year, day.month, day.date, 0, 0, cal.timeZone).getTime(),
      window: worked(day, cal)
        ? { open: instant(day, cal.start, cal.timeZone), close: instant(day, cal.end, cal.timeZone) }
        : null,
    };
    days.set(dayKey, info);
  }
  return info;
}

function instant(day: Day, time: string, timeZone: string): number {
  const minutes = minutesOf(time);
  return new TZDate(day.year, day.month, day.date, Math.floor(minutes / 60), minutes % 60, timeZone).getTime();
}

function dayOf(date: Date, timeZone: string): Day {
  const local = new TZDate(date.getTime(), timeZone);
  return { year: local.getFullYear(), month: local.getMonth(), date: local.getDate() };
}

function nextDay(day: Day): Day {
  const next = new Date(Date.UTC(day.year, day.month, day.date + 1));
  return { year: next.getUTCFullYear(), month: next.getUTCMonth(), date: next.getUTCDate() };
}

const key = (day: Day) => `${day.year}-${day.month + 1}-${day.date}`;

const holidayCache = new Map<number, Set<string>>();

/** Metropolitan French public holidays of a year, computed once per year. */
function holidaysOf(year: number): Set<string> {
  let set = holidayCache.get(year);
  if (!set) {
    // The library gives local midnights of the running process, some shifted by an hour across a
    // daylight-saving change: the calendar date is read at midday to be safe in any process zone.
    const dates = Object.values(joursFeries(year)).map((d) => new Date(d.getTime() + 12 * 60 * MINUTE));
    set = new Set(dates.map((d) => key({ year: d.getFullYear(), month: d.getMonth(), date: d.getDate() })));
    holidayCache.set(year, set);
  }
  return set;
}

function minutesOf(time: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(time);
  if (!match) throw new RangeError(`Invalid time of day: ${time}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

function check(cal: WorkingCalendar) {
  if (workdayMinutes(cal) <= 0) throw new RangeError('Working calendar: the day must end after it starts');
  if (!cal.days.some((d) => d >= 1 && d <= 7)) throw new RangeError('Working calendar: no working day');
}
