// One formatter, built once: pages show many dates, and each new time-zone conversion is costly.
const PARIS = new Intl.DateTimeFormat('fr-FR', {
  timeZone: 'Europe/Paris',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

function parisParts(date: Date): Record<string, string> {
  const parts: Record<string, string> = {};
  for (const part of PARIS.formatToParts(date)) parts[part.type] = part.value;
  return parts;
}

/** « 22/01/2019 » in Paris time. */
export function formatDate(date: Date): string {
  const p = parisParts(date);
  return `${p.day}/${p.month}/${p.year}`;
}

/** « 22/01/2019 à 11:55 » in Paris time, as in the guide's history. */
export function formatDateTime(date: Date): string {
  const p = parisParts(date);
  return `${p.day}/${p.month}/${p.year} à ${p.hour}:${p.minute}`;
}

/** Machine-readable value for <time datetime>. */
export const isoDate = (date: Date) => date.toISOString();
