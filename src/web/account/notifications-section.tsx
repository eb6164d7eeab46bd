/** « Mon compte »: how an agent hears of new requests of their applications. */
import { NOTIFY_MODES } from '../../domain/notifications/preferences.js';
import { Csrf, type FormState, RadioGroup } from '../components/form.js';
import type { ViewContext } from '../shared/view-context.js';

export const NOTIFY_LABEL = 'Nouvelles demandes de mes applications';

export function NotificationsSection({ ctx, form }: { ctx: ViewContext; form: FormState }) {
  return (
    <section class="fr-mb-6w" aria-labelledby="notifications">
      <h2 id="notifications">Mes notifications</h2>
      <p class="fr-text--sm">
        Les courriels sur les demandes que vous suivez (information ajoutée, demande assignée, réponse refusée) sont toujours
        envoyés.
      </p>
      <form method="post" action="/mon-compte/notifications" id="form-notifications" novalidate>
        <Csrf token={ctx.csrfToken} />
        <RadioGroup form={form} name="notifyNewRequests" legend={NOTIFY_LABEL} options={NOTIFY_MODES} required />
        <button class="fr-btn" type="submit">
          Enregistrer mes préférences
        </button>
      </form>
    </section>
  );
}

/** « Mon compte » of a pilote: the weekly summary of « Pilotage » by e-mail. */
export function PilotageSummarySection({ ctx, form }: { ctx: ViewContext; form: FormState }) {
  return (
    <section class="fr-mb-6w" aria-labelledby="resume-pilotage">
      <h2 id="resume-pilotage">Résumé hebdomadaire</h2>
      <form method="post" action="/mon-compte/resume-pilotage" id="form-resume-pilotage">
        <Csrf token={ctx.csrfToken} />
        <div class="fr-checkbox-group fr-mb-3w">
          <input
            type="checkbox"
            id="pilotageSummary"
            name="pilotageSummary"
            value="1"
            checked={form.values.pilotageSummary === '1'}
          />
          <label class="fr-label" for="pilotageSummary">
            Recevoir chaque lundi matin les chiffres de la semaine écoulée
            <span class="fr-hint-text">
              Un courriel : volumes, délais et demandes en retard de vos applications, avec le lien vers « Pilotage ».
            </span>
          </label>
        </div>
        <button class="fr-btn" type="submit">
          Enregistrer mon choix
        </button>
      </form>
    </section>
  );
}
