import { Button } from '@codegouvfr/react-dsfr/Button.js';
import { createModal } from '@codegouvfr/react-dsfr/Modal/index.js';
import { useNavigate } from 'react-router';
import { describeContext, type WorkContext } from '../../session/session.ts';

export const contextModal = createModal({ id: 'changer-espace', isOpenedByDefault: false });

/** Lets a person with several memberships choose the territory and role they work with. */
export function ContextSwitcher(props: { contexts: WorkContext[]; currentKey: string | null; onSelect: (key: string) => void }) {
  const navigate = useNavigate();
  return (
    <contextModal.Component title="Changer d’espace de travail">
      <p>Vous avez plusieurs rôles. Choisissez celui avec lequel vous voulez travailler.</p>
      <ul className="fr-btns-group">
        {props.contexts.map((context) => {
          const { role, place } = describeContext(context);
          const current = context.key === props.currentKey;
          return (
            <li key={context.key}>
              <Button
                priority={current ? 'primary' : 'secondary'}
                aria-current={current ? 'true' : undefined}
                onClick={() => {
                  props.onSelect(context.key);
                  contextModal.close();
                  void navigate('/');
                }}
              >
                {role} — {place}
              </Button>
            </li>
          );
        })}
      </ul>
    </contextModal.Component>
  );
}
