/** "3 mars" for an ISO date (the day of the calendar, whatever the browser's time zone). */
export const dayOfMonth = (isoDate: string | undefined) =>
  new Date(`${isoDate}T12:00:00Z`).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', timeZone: 'UTC' });

export interface WeekHoursRow {
  /** ISO date of the day. */
  date: string;
  /** Name of the weekday as shown ("lundi", "Lundi"). */
  weekday: string;
  /** A remark after the date (a public holiday's name). */
  note?: string | null;
  hours: string;
}

/** A week of opening hours as a table: one row per day, its date and its hours. */
export function WeekHoursTable({ caption, hideCaption, rows }: { caption: string; hideCaption?: boolean; rows: WeekHoursRow[] }) {
  return (
    <div className={hideCaption ? 'fr-table fr-table--no-caption fr-mb-2w' : 'fr-table fr-mb-2w'}>
      <table>
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Jour</th>
            <th scope="col">Horaires</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.date}>
              <th scope="row">
                {row.weekday} {dayOfMonth(row.date)}
                {row.note && <span className="fr-text--sm"> · {row.note}</span>}
              </th>
              <td>{row.hours}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
