import { Checkbox } from '@codegouvfr/react-dsfr/Checkbox.js';
import { Themes } from '../../contracts/themes.ts';

/** The theme checkboxes of a form (field `themes`), those in `selected` checked. */
export function ThemesCheckbox(props: { legend: string; selected: readonly string[]; error?: string; small?: boolean; idPrefix?: string }) {
  return (
    <Checkbox
      // react-dsfr names each input `${id}-${index}` and points its label there: an input id of our own would unlink the label.
      id={props.idPrefix ? `${props.idPrefix}-themes` : undefined}
      legend={props.legend}
      orientation="horizontal"
      small={props.small}
      state={props.error ? 'error' : 'default'}
      stateRelatedMessage={props.error}
      options={Themes.map((t) => ({
        label: t.label,
        nativeInputProps: {
          name: 'themes',
          value: t.code,
          defaultChecked: props.selected.includes(t.code),
        },
      }))}
    />
  );
}
