/** Staff are warned on the request page when one of its notifications could not be delivered. */
import { kindLabel } from '../../domain/notifications/catalogue.js';
import type { MailFailure } from '../../domain/notifications/queries.js';

export function MailFailures({ failures }: { failures?: MailFailure[] }) {
  if (!failures?.length) return null;
  return (
    <>
      {failures.map((f) => (
        <div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w" key={f.id}>
          <p>{`Le courriel « ${kindLabel(f.kind)} » à ${f.toAddress} n’a pas pu être envoyé : ${f.lastError ?? 'raison inconnue'}`}</p>
        </div>
      ))}
    </>
  );
}
