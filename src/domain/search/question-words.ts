/**
 * The words of a request's subject or description that say what it is about. Requesters write
 * « BLOQUANT », « Non bloquant », « Urgent : erreur » as the guide asks, or out of habit: these
 * words are in every other request and in the FAQ's own text, so they would drive the ranking and
 * be highlighted as hits while saying nothing of the problem. French stop words (« de », « la »)
 * are dropped later by the text search configuration itself.
 */

/** Words of every request (compared without accents nor case; plurals and feminines folded). */
const GENERIC = new Set([
  'bloquant',
  'urgent',
  'urgence',
  'probleme',
  'pb',
  'souci',
  'demande',
  'demander',
  'erreur',
  'bug',
  'anomalie',
  'impossible',
  'bonjour',
  'merci',
  'svp',
  'cordialement',
  'base',
  'module',
  'application',
  'applicatif',
  // « je n’arrive plus à », « ne fonctionne pas », « ne marche plus »: how a problem is said, not what it is about.
  'plus',
  'arrive',
  'fonctionne',
  'marche',
]);

/** Words that negate the next one: in « non bloquant », « bloquant » is not what the request is about. */
const NEGATIONS = new Set(['non']);

/** Lower case, no accents: how the words are compared. */
export const foldWord = (word: string) => word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

/** « bloquantes » → « bloquant », « erreurs » → « erreur », « problèmes » → « probleme ». */
function isGeneric(folded: string): boolean {
  if (GENERIC.has(folded)) return true;
  for (const ending of ['es', 's', 'e']) {
    if (folded.endsWith(ending) && GENERIC.has(folded.slice(0, -ending.length))) return true;
  }
  return false;
}

export type QuestionWords = {
  /** The meaningful words, in order. */
  words: string[];
  /** Whether the text ends with a meaningful word (it may still be being typed). */
  endsWithWord: boolean;
};

/**
 * The meaningful words of `text`, at most `max`: without generic words, without negated words
 * (and their negation), without the `ignored` ones (the chosen application's own name, which every
 * item of that application mentions).
 */
export function questionWords(text: string, max: number, ignored: ReadonlySet<string> = new Set()): QuestionWords {
  const all = text.match(/[\p{L}\p{N}]+/gu) ?? [];
  const typing = /[\p{L}\p{N}]$/u.test(text);
  const words: string[] = [];
  let negated = false;
  let lastKept = false;
  all.forEach((word, i) => {
    const folded = foldWord(word);
    // « bloq » while « bloquant » is being typed is already a generic word.
    const halfGeneric = typing && i === all.length - 1 && isGenericStart(folded);
    const skip = negated || halfGeneric || isGeneric(folded) || ignored.has(folded) || NEGATIONS.has(folded);
    negated = NEGATIONS.has(folded);
    lastKept = !skip && words.length < max;
    if (lastKept) words.push(word);
  });
  return { words, endsWithWord: lastKept && typing };
}

const isGenericStart = (folded: string) => [...GENERIC].some((g) => g.startsWith(folded));

/** The folded words of a name, to ignore in questions about it (« Portail de l’Alternance »). */
export const nameWords = (name: string): Set<string> => new Set((name.match(/[\p{L}\p{N}]+/gu) ?? []).map(foldWord));

/**
 * Verbs and nouns of one action, which French stemming keeps apart (« connecter » → connect,
 * « connexion » → connexion): a word starting like one of them is matched by any of `words`.
 */
const FAMILIES: { starts: string[]; words: string }[] = [
  { starts: ['connect', 'connex', 'deconnect', 'deconnex', 'reconnect'], words: 'connexion connecter' },
  { starts: ['inscri'], words: 'inscription inscrire inscrit' },
  { starts: ['renouvel'], words: 'renouvellement renouveler' },
  { starts: ['valid'], words: 'validation valider' },
  { starts: ['edit'], words: 'édition éditer' },
  { starts: ['imprim', 'impression'], words: 'impression imprimer' },
  { starts: ['creer', 'creation', 'cree'], words: 'création créer' },
  { starts: ['affect'], words: 'affectation affecter' },
  { starts: ['supprim', 'suppression'], words: 'suppression supprimer' },
  { starts: ['modifi'], words: 'modification modifier' },
  { starts: ['telecharg'], words: 'téléchargement télécharger' },
];

/** A word with the other words of its family, if any, as what it may be matched by. */
export function withFamily(word: string): string {
  const folded = foldWord(word);
  const family = FAMILIES.find((f) => f.starts.some((start) => folded.startsWith(start)));
  return family ? `${word} ${family.words}` : word;
}
