// "Make a challenge…" (issue #18): a teacher's own challenge. The Go side
// offers the goal checker's facts with their parameters (challengeGoals),
// writes the file from the running world plus this draft (challengeFile)
// and checks it; this module only keeps the form's values and turns them
// into the draft the Go side reads.

/** the name a saved challenge file is offered under, as the desktop app's dialog offers it */
export const challengeFileName = 'maillab-challenge.yaml';

/** the query parameter of a link that opens a challenge file on start */
export const challengeParam = 'challenge';

/** One value a goal parameter may take (app.GoalOption). */
export interface GoalOption {
  value: string;
  label: string;
}

/** One parameter of a goal fact (app.GoalParam): chosen from options, typed when there are none; many: several at once. */
export interface GoalParam {
  key: string;
  name: string;
  options: GoalOption[];
  optional?: boolean;
  many?: boolean;
}

/** One fact the goal may ask for (app.GoalFact). */
export interface GoalFact {
  key: string;
  name: string;
  params: GoalParam[];
}

/** What the editor offers (app.GoalChoices). */
export interface GoalChoices {
  facts: GoalFact[];
  devices: GoalOption[];
  accounts: GoalOption[];
  routes: GoalOption[];
}

/** The test mail (simulator/challenge.Test). */
export interface ChallengeTest {
  device: string;
  to: string;
  route?: string;
  subject?: string;
  check?: string[];
}

/** The goal (simulator/challenge.Goal). */
export interface ChallengeGoal {
  delivered?: { to: string; from: string; folder?: string; spf?: string; dkim?: string; dmarc?: string };
  queueEmpty?: boolean;
  fetchedBy?: string[];
}

/** What the teacher wrote (app.ChallengeDraft); the world is the running one. */
export interface ChallengeDraft {
  title: string;
  task: string;
  hints: string[];
  explanation: string;
  test: ChallengeTest;
  goal: ChallengeGoal;
}

/** The editor's form: texts, the test mail and, per fact, whether it is asked for and its parameters' values. */
export interface DraftForm {
  title: string;
  task: string;
  explanation: string;
  hints: string[];
  device: string;
  to: string;
  route: string;
  facts: Record<string, { on: boolean; values: Record<string, string | string[]> }>;
}

/** emptyForm is a fresh form for these choices: the first device sends to the first account of another domain, a mail must arrive. */
export function emptyForm(c: GoalChoices): DraftForm {
  const device = c.devices[0]?.value ?? '';
  const from = /\(([^)]*)\)$/.exec(c.devices[0]?.label ?? '')?.[1] ?? c.accounts[0]?.value ?? '';
  const domain = from.slice(from.indexOf('@'));
  const to = c.accounts.find((a) => !a.value.endsWith(domain))?.value ?? c.accounts[0]?.value ?? '';
  const facts: DraftForm['facts'] = {};
  for (const f of c.facts) {
    const values: Record<string, string | string[]> = {};
    for (const p of f.params) {
      if (p.many) values[p.key] = [];
      else if (p.optional || p.options.length === 0) values[p.key] = '';
      else values[p.key] = p.key === 'from' ? from : p.key === 'to' ? to : (p.options[0]?.value ?? '');
    }
    facts[f.key] = { on: f.key === 'delivered', values };
  }
  return { title: '', task: '', explanation: '', hints: [''], device, to, route: c.routes[0]?.value ?? '587', facts };
}

/** senderOf is the account a device sends as ('' when unknown). */
export function senderOf(c: GoalChoices, device: string): string {
  const d = c.devices.find((o) => o.value === device);
  return /\(([^)]*)\)$/.exec(d?.label ?? '')?.[1] ?? '';
}

/** toDraft turns the form into the draft the Go side checks and writes; empty optional values are left out. */
export function toDraft(f: DraftForm): ChallengeDraft {
  const goal: ChallengeGoal = {};
  const str = (v: string | string[] | undefined) => (typeof v === 'string' ? v.trim() : '');
  const d = f.facts['delivered'];
  if (d?.on) {
    const v = d.values;
    goal.delivered = { to: str(v.to), from: str(v.from) };
    for (const k of ['folder', 'spf', 'dkim', 'dmarc'] as const) if (str(v[k])) goal.delivered[k] = str(v[k]);
  }
  if (f.facts['queue-empty']?.on) goal.queueEmpty = true;
  const fb = f.facts['fetched-by'];
  if (fb?.on) goal.fetchedBy = Array.isArray(fb.values.devices) ? [...fb.values.devices] : [];
  const test: ChallengeTest = { device: f.device, to: f.to };
  if (f.route && f.route !== '587') test.route = f.route;
  return { title: f.title, task: f.task, hints: [...f.hints], explanation: f.explanation, test, goal };
}

/** moveHint moves hint i by delta (-1 up, +1 down); the list as it was when that would leave it. */
export function moveHint(hints: string[], i: number, delta: number): string[] {
  const j = i + delta;
  if (i < 0 || i >= hints.length || j < 0 || j >= hints.length) return hints;
  const out = [...hints];
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

/** removeHint is the list without hint i. */
export function removeHint(hints: string[], i: number): string[] {
  return hints.filter((_, k) => k !== i);
}

/** challengeBlob is a challenge file's text, ready for download(). */
export function challengeBlob(text: string): { name: string; blob: Blob } {
  return { name: challengeFileName, blob: new Blob([text], { type: 'application/yaml; charset=utf-8' }) };
}
