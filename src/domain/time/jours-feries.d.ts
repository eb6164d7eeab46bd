declare module '@socialgouv/jours-feries' {
  /** French public holidays of a year, by name, as Dates at local midnight of the running process. */
  export default function joursFeries(year: number, options?: { alsace?: boolean }): Record<string, Date>;
}
