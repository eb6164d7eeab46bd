import type { ComponentChildren } from 'preact';

/** The DSFR table frame; `caption` names the table for everyone, shown or not. */
export function DataTable({
  caption,
  variant = '',
  tableClass,
  children,
}: {
  caption: ComponentChildren;
  /** Extra DSFR modifiers, e.g. ' fr-table--no-caption'. */
  variant?: string;
  tableClass?: string;
  children: ComponentChildren;
}) {
  return (
    <div class={`fr-table${variant}`}>
      <div class="fr-table__wrapper">
        <div class="fr-table__container">
          <div class="fr-table__content">
            <table class={tableClass}>
              <caption>{caption}</caption>
              {children}
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}
