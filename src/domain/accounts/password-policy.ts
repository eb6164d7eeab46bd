/**
 * Password policy (CNIL 2022, ANSSI): 12 to 128 characters, no composition rule, not a common
 * password, not built on the person's identifiant or name. Checked before any hashing.
 */
import { dictionary } from '@zxcvbn-ts/language-common';
import { MAX_PASSWORD_LENGTH } from './passwords.js';

export const MIN_PASSWORD_LENGTH = 12;

const common = new Set((dictionary['passwords-common'] as string[]).map((p) => p.toLowerCase()));

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase();

/** The French reason a password is refused, or null when it is acceptable. */
export function passwordProblem(
  password: string,
  person: { login?: string; firstName?: string; lastName?: string } = {},
): string | null {
  if (password.length > MAX_PASSWORD_LENGTH) return `Le mot de passe ne doit pas dépasser ${MAX_PASSWORD_LENGTH} caractères.`;
  if ([...password].length < MIN_PASSWORD_LENGTH)
    return `Le mot de passe doit compter au moins ${MIN_PASSWORD_LENGTH} caractères.`;
  const folded = fold(password);
  if (common.has(folded) || common.has(folded.replace(/\s+/g, ''))) {
    return 'Ce mot de passe fait partie des mots de passe les plus courants : choisissez-en un autre.';
  }
  if (new Set(folded).size < 4) return 'Ce mot de passe est trop répétitif : choisissez-en un autre.';
  for (const part of [person.login, person.firstName, person.lastName]) {
    if (part && part.length >= 3 && folded.includes(fold(part))) {
      return 'Le mot de passe ne doit contenir ni votre identifiant ni votre nom.';
    }
  }
  return null;
}
