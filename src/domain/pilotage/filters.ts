/**
 * The filters of « Pilotage », read from the address: a period (a preset or two dates, whole days
 * of the desk's zone) and the dimensions. Wrong values are not ignored but refused with a French
 * message next to the field, and the figures are not computed; an application outside the
 * person's scope is refused the same way.
 */
import { TZDate } from '@date-fns/tz';
import { addDays } from 'date-fns/addDays';
import { differenceInCalendarDays } from 'date-fns/differenceInCalendarDays';
import { format } from 'date-fns/format';
import { isValid } from 'date-fns/isValid';
import { parseISO } from 'date-fns/parseISO';
import type { FactChannel } from '../../db/schema.js';
import { canUse } from '../access.js';
import type { Actor } from '../actor.js';
import { now } from '../clock.js';
import type { Referentials } from '../referentials/referentials.js';
import { DESK_TIME_ZONE } from '../time/working-time.js';

export type Preset = '7j' | '30j' | 'mois' | 'ouverture' | 'dates';
export const PRESETS: Record<Preset, string> = {
  '7j': 'Les 7 derniers jours',
  '30j': 'Les 30 derniers jours',
  mois: 'Le mois en cours',
  ouverture: 'Depuis l’ouverture de l’application',
  dates: 'Entre deux dates',
};

export const CHANNELS: Record<FactChannel, string> = {
  portail: 'Portail',
  courriel: 'Courriel',
  telephone: 'Téléphone',
  on_behalf: 'Pour le compte de',
  api: 'Application (API)',
};

/** The longest period the figures are computed for. */
export const MAX_PERIOD_DAYS = 10 * 366;

export type Period = {
  /** First and last day, 'yyyy-MM-dd' in the desk's zone (both included). */
  firstDay: string;
  lastDay: string;
  /** The instants bounding it: [from, to). */
  from: Date;
  to: Date;
  days: number;
};

export type Filters = {
  preset: Preset;
  period: Period;
  /** The same number of days just before. */
  previous: Period;
  /** The applications counted: the one chosen, or all those of the person's scope. */
  applicationIds: number[];
  applicationId?: number;
  themeId?: number;
  problemTypeId?: number;
  /** The type chosen, and its types when it is a category. */
  problemTypeIds?: number[];
  blocking?: boolean;
  regionId?: number;
  natureId?: number;
  level?: 1 | 2;
  channel?: FactChannel;
};

export type RawFilters = Partial<Record<keyof typeof FIELDS, string>>;

/** The address's parameter names, in French as users read them. */
export const FIELDS = {
  periode: 'Période',
  du: 'Du',
  au: 'Au',
  application: 'Application',
  theme: 'Thème',
  type: 'Type de problème',
  bloquant: 'Bloquant',
  region: 'Région',
  nature: 'Nature de structure',
  niveau: 'Niveau',
  canal: 'Canal',
} as const;

export type FilterResult = { ok: true; filters: Filters } | { ok: false; errors: Partial<Record<keyof RawFilters, string>> };

/** The applications whose figures `actor` may see. */
export function scopeOf(actor: Actor, refs: Referentials): number[] {
  if (!canUse(actor, 'pilotage')) return [];
  return refs.applications.filter((a) => actor.role === 'admin' || actor.applicationIds.includes(a.id)).map((a) => a.id);
}

const dayOf = (date: Date) => format(new TZDate(date, DESK_TIME_ZONE), 'yyyy-MM-dd');
const midnight = (day: string) => {
  const [y, m, d] = day.split('-').map(Number);
  return new TZDate(y ?? 0, (m ?? 1) - 1, d ?? 1, 0, 0, DESK_TIME_ZONE) as Date;
};

export function periodOf(firstDay: string, lastDay: string): Period {
  const nextDay = format(addDays(parseISO(lastDay), 1), 'yyyy-MM-dd');
  return {
    firstDay,
    lastDay,
    from: new Date(midnight(firstDay).getTime()),
    to: new Date(midnight(nextDay).getTime()),
    days: differenceInCalendarDays(parseISO(lastDay), parseISO(firstDay)) + 1,
  };
}

/** The period of the same length just before. */
export function previousOf(period: Period): Period {
  const last = format(addDays(parseISO(period.firstDay), -1), 'yyyy-MM-dd');
  const first = format(addDays(parseISO(period.firstDay), -period.days), 'yyyy-MM-dd');
  return periodOf(first, last);
}

/** A day of the desk's zone as people read it: 'yyyy-MM-dd' → « dd/MM/yyyy ». */
export const frenchDay = (day: string) => `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const validDay = (value: string) => ISO_DAY.test(value) && isValid(parseISO(value));

function presetPeriod(preset: Preset, today: string, openedOn: string | null | undefined): Period {
  const back = (n: number) => format(addDays(parseISO(today), -n), 'yyyy-MM-dd');
  switch (preset) {
    case '7j':
      return periodOf(back(6), today);
    case 'mois':
      return periodOf(`${today.slice(0, 8)}01`, today);
    case 'ouverture':
      return periodOf(openedOn && openedOn <= today ? openedOn : back(29), today);
    default:
      return periodOf(back(29), today);
  }
}

/** Reads the filters; `at` is « today » (the clock). */
export function readFilters(raw: RawFilters, actor: Actor, refs: Referentials, at: Date = now()): FilterResult {
  const errors: Partial<Record<keyof RawFilters, string>> = {};
  const scope = scopeOf(actor, refs);
  const id = (key: keyof RawFilters, known: number[], message: string) => {
    const value = raw[key]?.trim();
    if (!value) return undefined;
    const n = Number(value);
    if (/^\d{1,9}$/.test(value) && known.includes(n)) return n;
    errors[key] = message;
    return undefined;
  };
  const applicationId = id(
    'application',
    scope,
    'Choisissez une application de la liste : celle-ci n’existe pas ou ne vous est pas ouverte.',
  );
  const apps = applicationId ? [applicationId] : scope;
  const themeId = id(
    'theme',
    refs.themes.filter((t) => apps.includes(t.applicationId)).map((t) => t.id),
    'Choisissez un thème de la liste (de l’application choisie).',
  );
  const problemTypeId = id(
    'type',
    refs.problemTypes.map((p) => p.id),
    'Choisissez un type de problème de la liste.',
  );
  const regionId = id(
    'region',
    refs.regions.map((r) => r.id),
    'Choisissez une région de la liste.',
  );
  const natureId = id(
    'nature',
    refs.natures.map((n) => n.id),
    'Choisissez une nature de structure de la liste.',
  );
  const blocking = oneOf(
    raw.bloquant,
    { oui: true, non: false },
    () => (errors.bloquant = 'Choisissez : bloquant ou non bloquant.'),
  );
  const level = oneOf(
    raw.niveau,
    { '1': 1 as const, '2': 2 as const },
    () => (errors.niveau = 'Choisissez le niveau 1 ou le niveau 2.'),
  );
  const channel = oneOf(
    raw.canal,
    Object.fromEntries(Object.keys(CHANNELS).map((c) => [c, c as FactChannel])),
    () => (errors.canal = 'Choisissez un canal de la liste.'),
  );
  const presetRaw = raw.periode?.trim() || (raw.du || raw.au ? 'dates' : '30j');
  const preset = (Object.keys(PRESETS) as Preset[]).find((p) => p === presetRaw);
  const today = dayOf(at);
  let period: Period | undefined;
  if (!preset) errors.periode = 'Choisissez une période de la liste.';
  else if (preset === 'dates') period = datesPeriod(raw, errors);
  else {
    const opened = refs.applications.find((a) => a.id === applicationId)?.openedOn ?? earliest(refs, apps);
    period = presetPeriod(preset, today, opened);
  }
  if (!period || !preset || Object.keys(errors).length) return { ok: false, errors };
  const problemTypeIds = problemTypeId
    ? [problemTypeId, ...refs.problemTypes.filter((p) => p.parentId === problemTypeId).map((p) => p.id)]
    : undefined;
  return {
    ok: true,
    filters: {
      preset,
      period,
      previous: previousOf(period),
      applicationIds: apps,
      applicationId,
      themeId,
      problemTypeId,
      problemTypeIds,
      blocking,
      regionId,
      natureId,
      level,
      channel,
    },
  };
}

function datesPeriod(raw: RawFilters, errors: Partial<Record<keyof RawFilters, string>>): Period | undefined {
  const du = raw.du?.trim() ?? '';
  const au = raw.au?.trim() ?? '';
  if (!validDay(du)) errors.du = 'Indiquez la date de début au format jj/mm/aaaa.';
  if (!validDay(au)) errors.au = 'Indiquez la date de fin au format jj/mm/aaaa.';
  if (errors.du || errors.au) return undefined;
  if (au < du) {
    errors.au = 'La date de fin doit être le même jour que la date de début ou après.';
    return undefined;
  }
  const period = periodOf(du, au);
  if (period.days > MAX_PERIOD_DAYS) {
    errors.au = 'La période ne peut pas dépasser dix ans : choisissez des dates plus proches.';
    return undefined;
  }
  return period;
}

/** The first opening date among applications (« depuis l’ouverture » with all of them). */
function earliest(refs: Referentials, ids: number[]): string | null {
  const dates = refs.applications.filter((a) => ids.includes(a.id) && a.openedOn).map((a) => a.openedOn as string);
  return dates.sort()[0] ?? null;
}

function oneOf<T>(value: string | undefined, allowed: Record<string, T>, refuse: () => void): T | undefined {
  const v = value?.trim();
  if (!v) return undefined;
  if (Object.hasOwn(allowed, v)) return allowed[v];
  refuse();
  return undefined;
}
