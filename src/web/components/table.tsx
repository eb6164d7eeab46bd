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

/**
 * A record's facts, one row each: a header cell naming the fact, then its value.
 * `pairs`: two facts side by side on wide screens, as the guide draws a request; one under the other on phones.
 */
export function FactsTable({
  caption,
  rows,
  variant = '',
  pairs,
}: {
  caption: string;
  rows: [string, ComponentChildren][];
  variant?: string;
  pairs?: boolean;
}) {
  // Laid out as blocks, the table keeps its roles only when they are written out.
  const role = <R extends 'row' | 'rowheader' | 'cell'>(name: R) => (pairs ? name : undefined);
  return (
    <DataTable
      caption={caption}
      variant={` fr-table--no-caption${variant}`}
      tableClass={pairs ? 'guichet-summary guichet-summary--pairs' : 'guichet-summary'}
      tableRole={pairs ? 'table' : undefined}
    >
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label} role={role('row')}>
            <th scope="row" role={role('rowheader')}>
              {label}
            </th>
            <td role={role('cell')}>{value}</td>
          </tr>
        ))}
      </tbody>
    </DataTable>
  );
}
