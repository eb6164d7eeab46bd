import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';

const ZONE = 'Europe/Paris';

/** « 22/01/2019 » in Paris time. */
export const formatDate = (date: Date) => format(new TZDate(date, ZONE), 'dd/MM/yyyy');

/** « 22/01/2019 à 11:55 » in Paris time, as in the guide's history. */
export const formatDateTime = (date: Date) => format(new TZDate(date, ZONE), "dd/MM/yyyy 'à' HH:mm");

/** Machine-readable value for <time datetime>. */
export const isoDate = (date: Date) => date.toISOString();
