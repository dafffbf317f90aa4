import { Tile } from '@codegouvfr/react-dsfr/Tile.js';

export interface LinkTile {
  title: string;
  desc: string;
  to: string;
}

/** A row of DSFR tiles linking to pages. */
export const LinkTiles = ({ tiles }: { tiles: LinkTile[] }) => (
  <div className="fr-grid-row fr-grid-row--gutters">
    {tiles.map((t) => (
      <div key={t.to} className="fr-col-12 fr-col-md-6 fr-col-lg-3">
        <Tile title={t.title} desc={t.desc} linkProps={{ to: t.to }} enlargeLinkOrButton titleAs="h3" small />
      </div>
    ))}
  </div>
);
