import type { Role } from './vocabulary.js';

/** The person acting, as the domain sees them. */
export type Actor = {
  id: number;
  role: Role;
  login: string;
  displayName: string;
  /** Applications this person uses (requester) or covers (agent, expert). */
  applicationIds: number[];
  structureId: number | null;
  /** Appointed to edit the knowledge base (staff only; administrators always may). */
  knowledgeEditor?: boolean;
  /** A pilote who leads the desk: sees its activity per agent. */
  deskLead?: boolean;
};
