import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Link, useParams } from 'react-router';
import type { PublicContactPoint, PublicScheduleDay } from '../../../contracts/finder.ts';
import { ContactPointKindLabels } from '../../../contracts/network.ts';
import { themeLabel } from '../../../contracts/themes.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { dayOfMonth, WeekHoursTable } from '../../components/WeekHoursTable.tsx';
import { FinderMap } from './FinderMap.tsx';
import { openSeverity, openText, stopWhen } from './format.ts';
import { usePublicConfig, usePublicContactPoint } from './queries.ts';
import './finder.css';

const WEEKDAYS = ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche'];
const hm = (t: string) => {
  const [h, m] = t.split(':');
  return m === '00' ? `${Number(h)} h` : `${Number(h)} h ${m}`;
};

function dayText(day: PublicScheduleDay): string {
  if (day.intervals.length === 0) return day.holiday ? `Fermé (${day.holiday})` : 'Fermé';
  return day.intervals
    .map((i) => {
      const range = `${hm(i.start)} – ${hm(i.end)}`;
      if (i.state === 'appointment') return `${range} sur rendez-vous`;
      return i.comment ? `${range} (${i.comment})` : range;
    })
    .join(', ');
}

function WeekTable({ week, hasHours }: { week: PublicScheduleDay[]; hasHours: boolean }) {
  if (!hasHours) return <p>Les horaires de ce lieu ne sont pas encore renseignés. Appelez avant de vous déplacer.</p>;
  return (
    <WeekHoursTable
      caption={`Horaires de la semaine du ${dayOfMonth(week[0]?.date)}`}
      rows={week.map((day) => ({ date: day.date, weekday: WEEKDAYS[day.weekday]!, hours: dayText(day) }))}
    />
  );
}

function Details({ cp }: { cp: PublicContactPoint }) {
  const config = usePublicConfig();
  const severity = openSeverity(cp.open);
  const tz = cp.territory.timezone;
  const travelling = cp.kind === 'bus' || cp.nextStops.length > 0;
  const address = [cp.address, cp.addressComplement, [cp.postcode, cp.commune].filter(Boolean).join(' ')].filter(Boolean);
  return (
    <>
      <PageTitle>{cp.name}</PageTitle>
      <p className="fr-mb-1w">
        {ContactPointKindLabels[cp.kind]} · {cp.territory.name}
      </p>
      <p>
        <Badge noIcon={!severity} severity={severity}>
          {openText(cp.open, tz)}
        </Badge>
      </p>
      {cp.description && <p>{cp.description}</p>}
      <div className="fr-grid-row fr-grid-row--gutters">
        <div className="fr-col-12 fr-col-md-6">
          <h2 className="fr-h4">Adresse et contact</h2>
          {travelling && !cp.address ? (
            <p>Bus itinérant : voir ses prochains arrêts ci-dessous.</p>
          ) : (
            <address className="fr-mb-2w" style={{ fontStyle: 'normal' }}>
              {address.map((line) => (
                <span key={line}>
                  {line}
                  <br />
                </span>
              ))}
            </address>
          )}
          <ul className="fr-raw-list fr-mb-2w">
            {cp.phone && (
              <li>
                Téléphone : <a href={`tel:${cp.phone.replace(/[^\d+]/g, '')}`}>{cp.phone}</a>
              </li>
            )}
            {cp.email && (
              <li>
                Courriel : <a href={`mailto:${cp.email}`}>{cp.email}</a>
              </li>
            )}
            {cp.website && (
              <li>
                <a href={cp.website} target="_blank" rel="noopener noreferrer" title={`Site internet de ${cp.name} (nouvelle fenêtre)`}>
                  Site internet
                </a>
              </li>
            )}
          </ul>
          {cp.directionsUrl && (
            <p>
              <a
                className="fr-btn fr-btn--secondary fr-icon-road-map-line fr-btn--icon-left"
                href={cp.directionsUrl}
                target="_blank"
                rel="noopener noreferrer"
                title="Itinéraire sur OpenStreetMap (nouvelle fenêtre)"
              >
                Itinéraire
              </a>
            </p>
          )}
          {(cp.accessibility || cp.wheelchairAccessible !== null) && (
            <>
              <h3 className="fr-h6">Accessibilité</h3>
              {cp.wheelchairAccessible !== null && (
                <p>{cp.wheelchairAccessible ? 'Accessible en fauteuil roulant.' : 'Non accessible en fauteuil roulant.'}</p>
              )}
              {cp.accessibility && <p>{cp.accessibility}</p>}
            </>
          )}
        </div>
        <div className="fr-col-12 fr-col-md-6">
          {(cp.coordinates || cp.nextStops.some((s) => s.coordinates)) && (
            <FinderMap
              origin={null}
              markers={
                travelling
                  ? cp.nextStops.flatMap((s, i) =>
                      s.coordinates ? [{ id: cp.id, number: i + 1, name: `${s.place}, ${s.commune}`, coordinates: s.coordinates }] : [],
                    )
                  : [{ id: cp.id, number: 1, name: cp.name, coordinates: cp.coordinates! }]
              }
              tiles={config.data?.mapTilesUrl ? { url: config.data.mapTilesUrl, attribution: config.data.mapTilesAttribution ?? '' } : null}
            />
          )}
        </div>
      </div>

      {travelling ? (
        <section aria-labelledby="titre-arrets">
          <h2 id="titre-arrets" className="fr-h4">
            Prochains arrêts
          </h2>
          {cp.nextStops.length === 0 ? (
            <p>Aucun arrêt prévu pour le moment.</p>
          ) : (
            <ol>
              {cp.nextStops.map((s) => (
                <li key={s.id}>
                  <strong>
                    {s.commune}, {s.place}
                  </strong>{' '}
                  : le {stopWhen(s.startsAt, s.endsAt, tz)}
                  {s.note ? ` (${s.note})` : ''}
                </li>
              ))}
            </ol>
          )}
        </section>
      ) : (
        <section aria-labelledby="titre-horaires">
          <h2 id="titre-horaires" className="fr-h4">
            Horaires
          </h2>
          <WeekTable week={cp.week} hasHours={cp.openingHours !== null} />
        </section>
      )}

      <section aria-labelledby="titre-partenaires">
        <h2 id="titre-partenaires" className="fr-h4">
          Partenaires présents
        </h2>
        {cp.partners.length === 0 ? (
          <p>Les partenaires présents dans ce lieu ne sont pas encore renseignés.</p>
        ) : (
          <ul>
            {cp.partners.map((p) => (
              <li key={p.acronym}>
                <strong>{p.acronym}</strong> — {p.name}
                {p.note ? ` (${p.note})` : ''}
                {p.themes.length > 0 && <span className="fr-text--sm"> · {p.themes.map(themeLabel).join(', ')}</span>}
              </li>
            ))}
          </ul>
        )}
      </section>
      {cp.themes.length > 0 && (
        <section aria-labelledby="titre-themes">
          <h2 id="titre-themes" className="fr-h4">
            Démarches accompagnées
          </h2>
          <ul className="fr-tags-group">
            {cp.themes.map((t) => (
              <li key={t}>
                <p className="fr-tag">{themeLabel(t)}</p>
              </li>
            ))}
          </ul>
        </section>
      )}
      <p className="fr-mt-4w">
        <Link className="fr-link fr-icon-arrow-left-line fr-link--icon-left" to="/trouver">
          Chercher un autre lieu d’accueil
        </Link>
      </p>
    </>
  );
}

/** A contact point's public page (no sign-in). */
export function PublicContactPointPage() {
  const { id = '' } = useParams();
  const query = usePublicContactPoint(id);
  return <QueryState query={query}>{(cp) => <Details cp={cp} />}</QueryState>;
}
