/**
 * The request state machine: the one place that decides which action may happen, by whom,
 * from which state, and what it changes. Pages, API, e-mail replies and jobs all go through it.
 */
import { now } from '../clock.js';
import { TransitionError, ValidationError } from '../errors.js';
import { ACTIONS, type Action, type RequestStatus, type Role, STATUSES } from '../vocabulary.js';

/** What the machine needs to know of a request. */
export type RequestState = {
  status: RequestStatus;
  level: 1 | 2;
  assigneeId: number | null;
  requesterId: number;
  /** Until when its requester may reopen it, once closed (set at closing, from « Paramètres »). */
  reopenableUntil?: Date | null;
};

/** Who acts; `system` is the scheduler (auto-close). */
export type WorkflowActor = { id: number; role: Role } | { id: null; role: 'system' };

export type Transition = {
  status: RequestStatus;
  level: 1 | 2;
  assigneeId: number | null;
  /** History event kind (its label is chosen by the views). */
  event: Action;
  /** Internal events are never shown to requesters. */
  internal: boolean;
  /** The event is shown, but its message is an internal note (routing between levels). */
  privateMessage: boolean;
  /** The action needs a non-empty message. */
  messageRequired: boolean;
};

type Rule = {
  roles: readonly (Role | 'system')[];
  from: readonly RequestStatus[];
  messageRequired: boolean;
  internal: boolean;
  privateMessage?: boolean;
  /** Extra condition on the request and actor (level, ownership). */
  when?: (state: RequestState, actor: WorkflowActor) => boolean;
  apply: (state: RequestState, actor: WorkflowActor, input: { assigneeId?: number | null }) => Partial<RequestState>;
};

/** Statuses of a request still being handled (the service levels run, the requester may add information). */
export const OPEN_STATUSES: readonly RequestStatus[] = ['new', 'in_progress', 'awaiting_info'];

export const isOpen = (status: RequestStatus) => OPEN_STATUSES.includes(status);

const OPEN = OPEN_STATUSES;

/** A staff member acts at the request's current level; administrators act at any level. */
export const atMyLevel = (state: Pick<RequestState, 'level'>, actor: WorkflowActor) =>
  actor.role === 'admin' || (actor.role === 'agent' && state.level === 1) || (actor.role === 'expert' && state.level === 2);

const RULES: Record<Action, Rule> = {
  take: {
    roles: ['agent', 'expert', 'admin'],
    from: OPEN,
    messageRequired: false,
    internal: false,
    when: (s, a) => atMyLevel(s, a) && s.assigneeId !== a.id,
    apply: (s, a) => ({ status: s.status === 'new' ? 'in_progress' : s.status, assigneeId: a.id }),
  },
  ask_info: {
    roles: ['agent', 'expert', 'admin'],
    from: ['new', 'in_progress'],
    messageRequired: true,
    internal: false,
    when: atMyLevel,
    apply: (s, a) => ({ status: 'awaiting_info', assigneeId: s.assigneeId ?? a.id }),
  },
  resolve: {
    roles: ['agent', 'expert', 'admin'],
    from: OPEN,
    messageRequired: true,
    internal: false,
    when: atMyLevel,
    apply: (s, a) => ({ status: 'resolved', assigneeId: s.assigneeId ?? a.id }),
  },
  escalate: {
    privateMessage: true,
    roles: ['agent', 'admin'],
    from: OPEN,
    messageRequired: true,
    internal: false,
    when: (s) => s.level === 1,
    apply: () => ({ level: 2, assigneeId: null }),
  },
  send_back: {
    privateMessage: true,
    roles: ['expert', 'admin'],
    from: OPEN,
    messageRequired: true,
    internal: false,
    when: (s) => s.level === 2,
    apply: () => ({ level: 1, assigneeId: null }),
  },
  internal_note: {
    roles: ['agent', 'expert', 'admin'],
    from: STATUSES,
    messageRequired: true,
    internal: true,
    apply: () => ({}),
  },
  reassign: {
    roles: ['agent', 'expert', 'admin'],
    from: OPEN,
    messageRequired: false,
    internal: true,
    when: atMyLevel,
    apply: (s, _a, input) => ({
      assigneeId: input.assigneeId ?? null,
      status: s.status === 'new' && input.assigneeId ? 'in_progress' : s.status,
    }),
  },
  add_info: {
    roles: ['requester'],
    from: OPEN,
    messageRequired: true,
    internal: false,
    when: (s, a) => s.requesterId === a.id,
    apply: (s) => ({ status: s.status === 'awaiting_info' ? 'in_progress' : s.status }),
  },
  accept: {
    roles: ['requester'],
    from: ['resolved'],
    messageRequired: false,
    internal: false,
    when: (s, a) => s.requesterId === a.id,
    apply: () => ({ status: 'closed' }),
  },
  refuse: {
    roles: ['requester'],
    from: ['resolved'],
    messageRequired: true,
    internal: false,
    when: (s, a) => s.requesterId === a.id,
    apply: () => ({ status: 'in_progress' }),
  },
  auto_close: {
    roles: ['system'],
    from: ['resolved'],
    messageRequired: false,
    internal: false,
    apply: () => ({ status: 'closed' }),
  },
  /** Closes a request as the duplicate of another (the command records which one). */
  mark_duplicate: {
    roles: ['agent', 'expert', 'admin'],
    from: OPEN,
    messageRequired: false,
    internal: false,
    when: atMyLevel,
    apply: (s, a) => ({ status: 'closed', assigneeId: s.assigneeId ?? a.id }),
  },
  /**
   * A closed request taken up again, with why: by the desk at its level at any time (a wrong
   * duplicate, an answer accepted too early); by its requester within the delay after closing.
   */
  reopen: {
    roles: ['requester', 'agent', 'expert', 'admin'],
    from: ['closed'],
    messageRequired: true,
    internal: false,
    when: (s, a) =>
      a.role === 'requester'
        ? s.requesterId === a.id && s.reopenableUntil != null && now().getTime() < s.reopenableUntil.getTime()
        : atMyLevel(s, a),
    apply: () => ({ status: 'in_progress' }),
  },
};

/** True when `actor` may perform `action` on a request in `state` (visibility is the policy's job). */
export function allows(state: RequestState, actor: WorkflowActor, action: Action): boolean {
  const rule = RULES[action];
  return rule.roles.includes(actor.role) && rule.from.includes(state.status) && (rule.when?.(state, actor) ?? true);
}

/** The actions `actor` may perform now, in a stable order. */
export function allowedActions(state: RequestState, actor: WorkflowActor): Action[] {
  return ACTIONS.filter((action) => allows(state, actor, action));
}

export function messageRequired(action: Action): boolean {
  return RULES[action].messageRequired;
}

/**
 * Decides the outcome of `action`; throws a TransitionError (nothing is written) when it is not allowed,
 * then a ValidationError on the `message` field when its required message is missing.
 */
export function decide(
  state: RequestState,
  actor: WorkflowActor,
  action: Action,
  input: { message?: string; assigneeId?: number | null } = {},
): Transition {
  if (!allows(state, actor, action)) throw notPossible(action);
  const rule = RULES[action];
  if (rule.messageRequired && !input.message?.trim()) {
    throw new ValidationError({ message: 'Ce champ est obligatoire : écrivez votre message.' });
  }
  const next = { ...state, ...rule.apply(state, actor, input) };
  return {
    status: next.status,
    level: next.level,
    assigneeId: next.assigneeId,
    event: action,
    internal: rule.internal,
    privateMessage: rule.privateMessage ?? false,
    messageRequired: rule.messageRequired,
  };
}

/** The error of an action the state of the request does not allow. */
export const notPossible = (action: Action) =>
  new TransitionError(`L’action « ${ACTION_LABELS[action]} » n’est pas possible sur cette demande dans son état actuel.`);

/** Button names, as shown to people. */
export const ACTION_LABELS: Record<Action, string> = {
  take: 'Prendre en charge',
  ask_info: 'Demander un complément',
  resolve: 'Traiter la demande',
  escalate: 'Transmettre au niveau 2',
  send_back: 'Renvoyer au niveau 1',
  internal_note: 'Ajouter une note interne',
  reassign: 'Réassigner',
  add_info: 'Ajouter',
  accept: 'Cette réponse me convient, je clos la demande',
  refuse: 'Cette réponse ne me convient pas',
  auto_close: 'Clôture automatique',
  mark_duplicate: 'Marquer comme doublon',
  reopen: 'Rouvrir la demande',
};

export const STATUS_LABELS: Record<RequestStatus, string> = {
  new: 'Nouvelle',
  in_progress: 'En cours de traitement',
  awaiting_info: 'En attente de complément',
  resolved: 'Traitée',
  closed: 'Clôturée',
};
