import type { ComponentChildren } from 'preact';

/** The DSFR table frame; `caption` names the table for everyone, shown or not. */
export function DataTable({
  caption,
  variant = '',
  tableClass,
  tableRole,
  scrollLabel,
  children,
}: {
  caption: ComponentChildren;
  /** A wide table scrolls: its frame then takes the keyboard focus (to scroll with the arrows), under this name. */
  scrollLabel?: string;
  /** Extra DSFR modifiers, e.g. ' fr-table--no-caption'. */
  variant?: string;
  tableClass?: string;
  /** « table »: the table keeps its role when its rows are laid out as blocks (some screen readers drop it then). */
  tableRole?: 'table';
  children: ComponentChildren;
}) {
  return (
    <div class={`fr-table${variant}`}>
      <div class="fr-table__wrapper">
        <div
          class="fr-table__container"
          tabindex={scrollLabel ? 0 : undefined}
          role={scrollLabel ? 'region' : undefined}
          aria-label={scrollLabel}
        >
          <div class="fr-table__content">
            <table class={tableClass} role={tableRole}>
              <caption>{caption}</caption>
              {children}
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}

/** A record's facts, one row each: a header cell naming the fact, then its value. */
export function FactsTable({
  caption,
  rows,
  variant = '',
}: {
  caption: string;
  rows: [string, ComponentChildren][];
  variant?: string;
}) {
  return (
    <DataTable caption={caption} variant={` fr-table--no-caption${variant}`} tableClass="guichet-summary">
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{value}</td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
