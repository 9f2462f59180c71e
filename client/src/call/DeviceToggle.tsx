import { useId } from 'react';
import { Icon, type IconName } from '../components/Icon.tsx';

/**
 * The microphone or camera button. One convention in every language, as Zoom and Meet do: the
 * icon and the words on the button say what is true NOW ("Microphone off"), and the button's
 * accessible name and tooltip say what a tap DOES ("Turn microphone on"). `aria-pressed` is true
 * while the device is on, for both buttons, and the state words are also its accessible
 * description, so a screen reader hears both the action and the state. Off is red, as in Meet.
 */
export function DeviceToggle({
  on,
  onIcon,
  offIcon,
  stateOn,
  stateOff,
  turnOff,
  turnOn,
  onToggle,
}: {
  on: boolean;
  onIcon: IconName;
  offIcon: IconName;
  /** "Microphone on": the state, shown while on. */
  stateOn: string;
  stateOff: string;
  /** "Turn microphone off": what a tap does while on. */
  turnOff: string;
  turnOn: string;
  onToggle: () => void;
}) {
  const stateId = useId();
  const action = on ? turnOff : turnOn;
  return (
    <button
      type="button"
      className={`button call-big call-toggle${on ? '' : ' danger'}`}
      aria-pressed={on}
      aria-label={action}
      aria-describedby={stateId}
      title={action}
      onClick={onToggle}
    >
      <Icon name={on ? onIcon : offIcon} size={28} />
      <span id={stateId}>{on ? stateOn : stateOff}</span>
    </button>
  );
}
