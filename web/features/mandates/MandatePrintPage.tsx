import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb.js';
import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { useParams } from 'react-router';
import { MandateConsentMethodLabels, type MandateView } from '../../../contracts/mandates.ts';
import type { PersonView } from '../../../contracts/people.ts';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { PageTitle } from '../../components/PageTitle.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { useTerritoryId } from '../../session/SessionContext.tsx';
import { formatBirthDate, personName, usePerson } from '../people/queries.ts';
import { useMandate } from './queries.ts';
import './mandates.css';

/** The mandate form to print and have signed: who mandates whom, for what, how long, and the person's rights. */
export function MandatePrintPage() {
  const territoryId = useTerritoryId();
  const { id = '', mandateId = '' } = useParams();
  const person = usePerson(territoryId, id);
  const mandate = useMandate(territoryId, id, mandateId);
  return (
    <>
      <div className="relais-no-print">
        <Breadcrumb
          currentPageLabel="Formulaire de mandat"
          homeLinkProps={{ to: '/' }}
          segments={[
            { label: 'Usagers', linkProps: { to: '/usagers' } },
            { label: person.data ? personName(person.data) : 'Fiche', linkProps: { to: `/usagers/${id}` } },
          ]}
        />
      </div>
      <QueryState query={person}>
        {(p) => <QueryState query={mandate}>{(m) => <MandateDocument person={p} mandate={m} />}</QueryState>}
      </QueryState>
    </>
  );
}

function MandateDocument({ person: p, mandate: m }: { person: PersonView; mandate: MandateView }) {
  const cp = m.contactPoint;
  const structure = cp.managingBody ?? cp.name;
  const address = [cp.address, [cp.postcode, cp.commune].filter(Boolean).join(' ')].filter(Boolean).join(', ');
  const contact = [cp.phone, cp.email].filter(Boolean).join(' · ');
  return (
    <article className="relais-mandate-form">
      <PageTitle title={`Mandat — ${personName(p)}`}>Mandat d’accompagnement aux démarches administratives</PageTitle>
      <div className="relais-no-print fr-mb-3w">
        <Button iconId="fr-icon-printer-line" onClick={() => window.print()}>
          Imprimer
        </Button>
      </div>

      <h2 className="fr-h5">Les parties</h2>
      <p>
        Je soussigné(e) <strong>{personName(p)}</strong>
        {p.birthDate ? `, né(e) le ${formatBirthDate(p.birthDate)}` : ''}
        {p.address || p.commune
          ? `, demeurant ${[p.address, [p.postcode, p.commune].filter(Boolean).join(' ')].filter(Boolean).join(', ')}`
          : ''}
        , ci-après « la personne »,
      </p>
      <p>
        donne mandat au lieu d’accueil <strong>{cp.name}</strong>
        {address ? ` (${address})` : ''}, porté par <strong>{structure}</strong>, ci-après « le lieu d’accueil ».
      </p>

      <h2 className="fr-h5">Objet et étendue</h2>
      <p>
        Les agents d’accueil du lieu d’accueil, tenus au secret professionnel, peuvent réaliser en mon nom et avec moi les démarches
        administratives {m.scope.all ? 'auprès de tous les partenaires du réseau France Services de mon territoire' : 'suivantes :'}
      </p>
      {!m.scope.all && (
        <ul>
          {m.scope.organisations.map((o) => (
            <li key={o.id}>
              toutes les démarches auprès de : {o.name} ({o.acronym})
            </li>
          ))}
          {m.scope.procedures.map((procedure) => (
            <li key={procedure}>la démarche : {procedure}</li>
          ))}
        </ul>
      )}
      <p>
        Ils agissent pour mon compte, à ma demande et en ma présence ou avec mon accord, sans pouvoir décider à ma place. Le mandat est
        confié au lieu d’accueil et non à un agent en particulier : chaque action faite sous ce mandat est notée comme telle dans mon
        dossier.
      </p>

      <h2 className="fr-h5">Durée</h2>
      <p>
        Ce mandat prend effet le {formatDateTime(m.startsAt)} et prend fin le <strong>{formatDateTime(m.endsAt)}</strong>. Je peux le
        révoquer à tout moment, sans avoir à me justifier, en le disant à un agent du lieu d’accueil (sur place, par téléphone ou par écrit)
        ; il cesse alors aussitôt.
      </p>
      <p className="fr-text--sm">
        Consentement recueilli : {MandateConsentMethodLabels[m.consentMethod]}, le {formatDateTime(m.consentAt)}.
      </p>

      <h2 className="fr-h5">Mes données personnelles</h2>
      <p>
        Pour m’accompagner, le lieu d’accueil conserve dans l’application Relais : mon identité et mes coordonnées, les identifiants utiles
        à mes démarches (chiffrés), ce mandat et, s’il est signé sur papier, sa copie (chiffrée), ainsi que la liste des démarches faites
        avec moi. Ces informations servent uniquement à m’accompagner et à suivre mes démarches ; elles ne sont visibles que des agents des
        lieux d’accueil qui tiennent mon dossier, et transmises à un partenaire seulement avec mon accord. Chaque consultation est
        enregistrée.
      </p>
      <p>
        Le mandat et sa copie sont gardés pendant sa durée, puis supprimés après son échéance ; mon dossier est effacé ou rendu anonyme s’il
        reste sans activité pendant la durée fixée par le réseau, ou plus tôt si je le demande.
      </p>
      <p>
        Conformément au règlement général sur la protection des données (RGPD) et à la loi Informatique et libertés, j’ai le droit d’accéder
        à ces informations, de les faire rectifier ou effacer, et de m’opposer à leur traitement ou d’en demander la limitation. Pour
        exercer ces droits, je m’adresse au lieu d’accueil
        {contact ? ` (${contact})` : ''} ou à {structure}. Je peux aussi saisir la Commission nationale de l’informatique et des libertés
        (CNIL, www.cnil.fr).
      </p>

      <p className="fr-mt-3w">
        Fait à {cp.commune}, le {formatDate(m.consentAt)}, en deux exemplaires.
      </p>
      <div className="relais-signatures">
        <div className="relais-signature">
          <p className="fr-text--bold fr-mb-1w">La personne</p>
          <p className="fr-text--sm">{personName(p)}</p>
          <p className="fr-text--sm">Signature, précédée de « Lu et approuvé »</p>
        </div>
        <div className="relais-signature">
          <p className="fr-text--bold fr-mb-1w">Pour le lieu d’accueil</p>
          <p className="fr-text--sm">{cp.name}</p>
          <p className="fr-text--sm">Nom de l’agent et signature</p>
        </div>
      </div>
      <p className="fr-text--xs fr-mt-3w">Référence du mandat : {m.id}</p>
    </article>
  );
}
