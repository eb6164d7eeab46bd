/**
 * French as people read it: names in dictionary order (« Île-de-France » among the I, not after
 * « Pays de la Loire » as byte order puts it, whatever the database's collation), and « de »
 * elided before a vowel or a mute h.
 */
const collator = new Intl.Collator('fr', { sensitivity: 'base', numeric: true });

export const compareFrench = (a: string, b: string) => collator.compare(a, b);

export const byFrenchName = <T extends { name: string }>(a: T, b: T) => collator.compare(a.name, b.name);

/** « de Paris », « d’Hélène », « d’ARIANE ». Names with an aspirated h are rare enough to elide too. */
export const de = (word: string) => (/^[aeiouyhàâäéèêëîïôöùûüœæ]/i.test(word) ? `d’${word}` : `de ${word}`);
