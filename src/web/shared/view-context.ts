import type { Actor } from '../../domain/actor.js';
import type { Settings } from '../../domain/settings/settings.js';

/** What every page needs to draw its frame. */
export type ViewContext = {
  actor: Actor | null;
  settings: Settings;
  csrfToken: string;
  /** Path of the current page, for the current navigation entry. */
  path: string;
};
