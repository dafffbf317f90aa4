import { Badge } from '@codegouvfr/react-dsfr/Badge.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox.js';
import { useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import type { FinderResult } from '../../../contracts/finder.ts';
import { ContactPointKindLabels } from '../../../contracts/network.ts';
import { ApiError } from '../../api/client.ts';
import { Loading } from '../../components/Loading.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { CommuneCombobox } from './CommuneCombobox.tsx';
import { FinderMap } from './FinderMap.tsx';
import { distanceText, openSeverity, openText, stopWhen } from './format.ts';
import { finderSearchOf, useNearestContactPoints, usePublicConfig } from './queries.ts';
import './finder.css';

function OpenBadge({ item }: { item: Pick<FinderResult, 'open' | 'territory'> }) {
  const severity = openSeverity(item.open);
  return (
    <Badge small noIcon={!severity} severity={severity}>
      {openText(item.open, item.territory.timezone)}
    </Badge>
  );
}

function ResultItem({ item, number }: { item: FinderResult; number: number }) {
  return (
    <li>
      <h3 className="fr-h6 fr-mb-1v">
        <span className="relais-finder-number" aria-hidden="true">
          {number}
        </span>
        <Link to={`/lieux/${item.id}`}>{item.name}</Link>
      </h3>
      <p className="fr-text--sm fr-mb-1v">
        {ContactPointKindLabels[item.kind]} · {distanceText(item.distanceKm)}
        {item.nearStop ? '' : ` · ${[item.address, [item.postcode, item.commune].filter(Boolean).join(' ')].filter(Boolean).join(', ')}`}
      </p>
      {item.nearStop && (
        <p className="fr-text--sm fr-mb-1v">
          Prochain arrêt près de vous : {item.nearStop.place}, {item.nearStop.commune}, le{' '}
          {stopWhen(item.nearStop.startsAt, item.nearStop.endsAt, item.territory.timezone)}
        </p>
      )}
      <OpenBadge item={item} />
    </li>
  );
}

/** The places the map shows: a far one (another département) would shrink the others into a dot. */
function nearEnough(items: FinderResult[]): FinderResult[] {
  const reference = items[Math.min(4, items.length - 1)]?.distanceKm ?? 0;
  return items.filter((i) => i.distanceKm <= Math.max(25, 3 * reference));
}

function resultsTitle(count: number, openNow: boolean, near: string): string {
  const open = openNow ? (count > 1 ? ' ouverts maintenant' : ' ouvert maintenant') : '';
  if (count === 0) return `Aucun lieu d’accueil${open} trouvé près de ${near}`;
  return `${count} ${count > 1 ? 'lieux' : 'lieu'} d’accueil${open} près de ${near}`;
}

/** The public finder: nearest contact points from a commune, a postcode or the device's position. */
export function FinderPage() {
  const [params, setParams] = useSearchParams();
  const search = finderSearchOf(params);
  const openNow = params.get('ouvert') === '1';
  const config = usePublicConfig();
  const results = useNearestContactPoints(search, openNow);
  const [inputError, setInputError] = useState<string | null>(null);
  const [locating, setLocating] = useState(false);
  const [locateError, setLocateError] = useState<string | null>(null);

  const go = (next: Record<string, string>) => {
    setInputError(null);
    const p = new URLSearchParams(next);
    if (openNow) p.set('ouvert', '1');
    setParams(p);
  };

  const locate = () => {
    setLocateError(null);
    if (!('geolocation' in navigator)) {
      setLocateError('Votre appareil ne sait pas donner sa position. Saisissez une commune ou un code postal.');
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (position) => {
        setLocating(false);
        // About 100 m: enough to find the nearest places, and no more precise than needed.
        go({ lat: position.coords.latitude.toFixed(3), lon: position.coords.longitude.toFixed(3) });
      },
      (error) => {
        setLocating(false);
        setLocateError(
          error.code === error.PERMISSION_DENIED
            ? 'Vous n’avez pas autorisé la localisation. Saisissez une commune ou un code postal.'
            : 'Votre position n’a pas pu être trouvée. Saisissez une commune ou un code postal.',
        );
      },
      { enableHighAccuracy: false, timeout: 15_000, maximumAge: 300_000 },
    );
  };

  const data = results.data;
  const onMap = data ? nearEnough(data.items) : [];
  const notPlaced = results.error instanceof ApiError && results.error.code === 'COMMUNE_NOT_PLACED';

  return (
    <>
      <PageTitle>Trouver un lieu d’accueil près de chez vous</PageTitle>
      <p className="fr-text--lead">
        France Services, mairies, bus itinérants : trouvez où être accompagné dans vos démarches administratives, sans vous connecter.
      </p>
      <div className="fr-grid-row fr-grid-row--gutters fr-grid-row--bottom fr-mb-3w">
        <div className="fr-col-12 fr-col-md-8">
          <CommuneCombobox
            error={inputError}
            onChoose={(c) => go({ insee: c.inseeCode })}
            onSubmitText={(text, suggestions) => {
              if (/^\d{5}$/.test(text)) go({ postcode: text });
              else if (suggestions[0]) go({ insee: suggestions[0].inseeCode });
              else
                setInputError(
                  text
                    ? 'Aucune commune ne correspond. Vérifiez l’orthographe ou saisissez le code postal.'
                    : 'Saisissez une commune ou un code postal.',
                );
            }}
          />
        </div>
        <div className="fr-col-12 fr-col-md-4">
          <Button iconId="fr-icon-map-pin-2-line" priority="secondary" onClick={locate} disabled={locating}>
            {locating ? 'Localisation…' : 'Me localiser'}
          </Button>
        </div>
      </div>
      {locateError && <ProblemAlert error={new ApiError(0, 'GEOLOCATION', locateError)} title="Position indisponible" />}
      <Checkbox
        small
        options={[
          {
            label: 'Seulement les lieux ouverts maintenant',
            nativeInputProps: {
              checked: openNow,
              onChange: (event) => {
                const p = new URLSearchParams(params);
                if (event.target.checked) p.set('ouvert', '1');
                else p.delete('ouvert');
                setParams(p, { replace: true });
              },
            },
          },
        ]}
      />
      {search === null ? null : results.isPending ? (
        <Loading />
      ) : results.isError ? (
        notPlaced ? (
          <div className="fr-alert fr-alert--warning fr-mb-3w" role="alert">
            <h2 className="fr-alert__title">Commune impossible à situer</h2>
            <p>{(results.error as ApiError).detail}</p>
            <Button className="fr-mt-2w" size="small" priority="secondary" onClick={locate}>
              Me localiser
            </Button>
          </div>
        ) : (
          <ProblemAlert error={results.error} />
        )
      ) : data ? (
        <section aria-labelledby="titre-resultats">
          <h2 id="titre-resultats" className="fr-h4">
            {resultsTitle(data.items.length, openNow, data.origin.label)}
          </h2>
          {data.origin.placedBy === 'contact_points' && (
            <p className="fr-text--sm">Position approchée : le milieu des lieux d’accueil de la commune.</p>
          )}
          {data.origin.placedBy === 'postcode' && (
            <p className="fr-text--sm">Position approchée : communes du code postal {(data.origin.postcodes ?? []).join(', ')}.</p>
          )}
          <div className="fr-grid-row fr-grid-row--gutters">
            <div className="fr-col-12 fr-col-lg-6">
              <ol className="relais-finder-results" aria-label="Lieux d’accueil, du plus proche au plus éloigné">
                {data.items.map((item, i) => (
                  <ResultItem key={item.id} item={item} number={i + 1} />
                ))}
              </ol>
            </div>
            <div className="fr-col-12 fr-col-lg-6">
              <FinderMap
                origin={data.origin.coordinates}
                markers={onMap.map((item) => ({
                  id: item.id,
                  number: data.items.indexOf(item) + 1,
                  name: item.name,
                  coordinates: item.coordinates,
                }))}
                tiles={
                  config.data?.mapTilesUrl ? { url: config.data.mapTilesUrl, attribution: config.data.mapTilesAttribution ?? '' } : null
                }
              />
              {onMap.length < data.items.length && (
                <p className="fr-text--xs">
                  {data.items.length - onMap.length === 1
                    ? 'Le lieu le plus éloigné n’est pas sur la carte.'
                    : `Les ${data.items.length - onMap.length} lieux les plus éloignés ne sont pas sur la carte.`}
                </p>
              )}
            </div>
          </div>
        </section>
      ) : null}
    </>
  );
}
