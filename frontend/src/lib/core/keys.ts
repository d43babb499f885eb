// Keyboard shortcuts, in one place so the help overlay lists what works.

export type Shortcut =
  | 'step'
  | 'back'
  | 'play'
  | 'reset'
  | 'help'
  | 'close'
  | 'first'
  | 'last'
  | 'pick-1'
  | 'pick-2'
  | 'pick-3'
  | 'pick-4'
  | 'continue'
  | 'connect'
  | 'terminal'
  | 'export'
  | 'presenter';

export interface KeyInput {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** tag name of the focused element, upper case */
  targetTag?: string;
  /** type of a focused input */
  targetType?: string;
}

/** The table the help overlay shows: keys and the i18n key of what they do. */
export const shortcutHelp: { keys: string[]; what: string }[] = [
  { keys: ['Space', '→'], what: 'ui.help.step' },
  { keys: ['←'], what: 'ui.help.back' },
  { keys: ['P'], what: 'ui.help.play' },
  { keys: ['R'], what: 'ui.help.reset' },
  { keys: ['Home', 'End'], what: 'ui.help.first-last' },
  { keys: ['1', '2', '3', '4'], what: 'ui.lesson.help-answer' },
  { keys: ['Enter'], what: 'ui.lesson.help-continue' },
  { keys: ['C'], what: 'ui.help.connect' },
  { keys: ['T'], what: 'ui.help.terminal' },
  { keys: ['E'], what: 'ui.help.export' },
  { keys: ['F'], what: 'ui.help.presenter' },
  { keys: ['?'], what: 'ui.help.help' },
  { keys: ['Esc'], what: 'ui.help.close' },
];

/** shortcutFor maps a key press to a shortcut, or null when the key belongs to the focused control. */
export function shortcutFor(e: KeyInput): Shortcut | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const tag = e.targetTag ?? '';
  if (tag === 'TEXTAREA' || tag === 'SELECT') return e.key === 'Escape' ? 'close' : null;
  if (tag === 'INPUT' && e.targetType !== 'range' && e.targetType !== 'checkbox') return e.key === 'Escape' ? 'close' : null;
  const onRange = tag === 'INPUT' && e.targetType === 'range';
  const onButton = tag === 'BUTTON' || tag === 'A' || (tag === 'INPUT' && e.targetType === 'checkbox');
  switch (e.key) {
    case ' ':
    case 'Spacebar':
      return onButton ? null : 'step';
    case 'ArrowRight':
      return onRange ? null : 'step';
    case 'ArrowLeft':
      return onRange ? null : 'back';
    case 'Home':
      return onRange ? null : 'first';
    case 'End':
      return onRange ? null : 'last';
    case 'p':
    case 'P':
      return 'play';
    case 'r':
    case 'R':
      return 'reset';
    case 'c':
    case 'C':
      return 'connect';
    case 't':
    case 'T':
      return 'terminal';
    case 'e':
    case 'E':
      return 'export';
    case 'f':
    case 'F':
      return 'presenter';
    case '?':
      return 'help';
    case '1':
    case '2':
    case '3':
    case '4':
      return `pick-${e.key}` as Shortcut;
    case 'Enter':
      return onButton ? null : 'continue';
    case 'Escape':
      return 'close';
    default:
      return null;
  }
}
