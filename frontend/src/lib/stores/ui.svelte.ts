// Interface state: language and its catalog, theme, presenter mode, help.
// Preferences persist in localStorage.

import type { Bridge } from '../bridge';
import { errorText } from '../bridge';
import { fromWire } from '../core/explain';
import { isLang, translate, type Catalog, type Lang, type Params } from '../core/i18n';
import type { MailEvent, NodeInfo } from '../core/types';

export type Theme = 'light' | 'dark';

/** the tabs that share the side column while a lesson is open */
// 'lesson' exists only while the terminal covers the lesson's own place.
// 'sequence' joins them in presenter mode.
export type SideTab = 'inspector' | 'where' | 'message' | 'lesson' | 'sequence';

const prefKey = 'maillab.prefs';

interface Prefs {
  lang?: Lang;
  theme?: Theme;
  presenter?: boolean;
}

function loadPrefs(): Prefs {
  try {
    return JSON.parse(localStorage.getItem(prefKey) ?? '{}') as Prefs;
  } catch {
    return {};
  }
}

function defaultLang(): Lang {
  const nav = (typeof navigator !== 'undefined' ? navigator.language : 'en').slice(0, 2);
  return isLang(nav) ? nav : 'en';
}

function defaultTheme(): Theme {
  return typeof matchMedia !== 'undefined' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

export class UiStore {
  readonly bridge: Bridge;
  lang = $state<Lang>('en');
  catalog = $state.raw<Catalog>({});
  theme = $state<Theme>('light');
  presenter = $state(false);
  helpOpen = $state(false);
  /** the "Connect your own mail client" page */
  connectOpen = $state(false);
  /** the "type it yourself" terminal takes the right column */
  terminalOpen = $state(false);
  /** the dialog that saves the run as a capture or transcript */
  exportOpen = $state(false);
  /** the print view of the open lesson (the handout) */
  handoutOpen = $state(false);
  /** the built-in mail client, open on mailDevice ('' : the first device) */
  mailOpen = $state(false);
  mailDevice = $state('');
  /** the dialog that saves and opens world files */
  worldOpen = $state(false);
  /** the Classroom dialog: join a room as one of its providers, or leave it */
  classroomOpen = $state(false);
  /** the troubleshooting challenges dialog */
  challengeOpen = $state(false);
  /** the room screen of a hosted classroom (#19) */
  roomOpen = $state(false);
  /** the World settings dialog (accounts, DNS, policy, servers) */
  settingsOpen = $state(false);
  error = $state('');
  sideTab = $state<SideTab>('inspector');

  constructor(bridge: Bridge) {
    this.bridge = bridge;
    const p = loadPrefs();
    this.lang = isLang(p.lang) ? p.lang : defaultLang();
    this.theme = p.theme === 'dark' || p.theme === 'light' ? p.theme : defaultTheme();
    this.presenter = !!p.presenter;
  }

  /** t translates an interface key; a missing key shows itself. */
  t = (key: string, params?: Params): string => translate(this.catalog, key, params, this.lang);

  /** nodeName is how a node is called on screen: the host name for servers, "Alice's laptop" for devices. */
  nodeName = (n: NodeInfo | undefined, id = ''): string => {
    if (!n) return id;
    return n.role === 'MUA' || n.role === 'external' ? this.t(n.label) : n.id;
  };

  // wireText's answers for the catalog and language they were made in.
  #wire = new WeakMap<MailEvent, string>();
  #wireIn: [Catalog, string] | undefined;

  /**
   * wireText is the Go side's explanation of a line in the interface
   * language, '' when it has none. Each row on screen asks for it on every
   * frame of a flood (its tooltip): a line's is worded once per language.
   */
  wireText = (ev: MailEvent): string => {
    const [cat, lang] = [this.catalog, this.lang];
    if (this.#wireIn?.[0] !== cat || this.#wireIn[1] !== lang) {
      this.#wire = new WeakMap();
      this.#wireIn = [cat, lang];
    }
    let text = this.#wire.get(ev);
    if (text === undefined) {
      const w = fromWire(ev);
      text = w ? w.items.map((m) => this.t(m.key, m.params)).join(' ') : '';
      this.#wire.set(ev, text);
    }
    return text;
  };

  /** hoverText is a line and what it means, for a tooltip. */
  hoverText = (line: string, ev: MailEvent): string => {
    const x = this.wireText(ev);
    return x ? `${line}\n\n${x}` : line;
  };

  async setLang(lang: Lang): Promise<void> {
    try {
      this.catalog = (await this.bridge.catalog(lang)) ?? {};
      this.lang = lang;
      this.error = '';
      this.#save();
    } catch (e) {
      this.error = errorText(e);
    }
  }

  setTheme(theme: Theme): void {
    this.theme = theme;
    this.#save();
  }

  togglePresenter(): void {
    this.presenter = !this.presenter;
    this.#save();
  }

  #save(): void {
    try {
      const p: Prefs = { lang: this.lang, theme: this.theme, presenter: this.presenter };
      localStorage.setItem(prefKey, JSON.stringify(p));
    } catch {
      // private mode: preferences just do not persist
    }
  }
}
