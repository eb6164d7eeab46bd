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
