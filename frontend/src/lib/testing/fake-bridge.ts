// An in-memory Bridge for component tests: it replays a recorded run the
// way the conductor does, one stepped event per step().

import { EventsPushed, RunPushed, SnapshotPushed, TerminalPushed } from '../bridge/events';
import type { Bridge, Payloads, PushName } from '../bridge/types';
import { defaultNodes } from '../core/nodes';
import { isStepped } from '../core/timeline';
import type { Lesson, MailEvent, RunInfo, Snapshot } from '../core/types';
import type { ExerciseResult } from '../core/types';
import type { ChallengeInfo, ChallengeStatus } from '../core/types';
import type { ChallengeDraft, GoalChoices } from '../core/chedit';
import type { ExportBlob, ExportRequest, RoomStatus } from '../core/types';
import type { ActionStarted, CheckRequest, ComposeRequest, DeviceInfo, OpenRequest, SampleFile } from '../core/types';
import { fetchPort, type DeviceSettings, type DNSZone, type PolicySettings, type RecordCheck, type ServerName, type WorldSettings } from '../core/settings';
import { clientSettingsFixture } from './client-settings';
import { normalScreen, type RoomOptions, type RoomScreen } from '../core/room';
import { FakeTerminal } from './fake-terminal';

export const emptySnapshot: Snapshot = { queue: [], mailboxes: [], devices: [] };

export class FakeBridge implements Bridge {
  readonly transport = 'http' as const;
  canControl = true;
  calls: string[] = [];
  released: MailEvent[] = [];
  snap: Snapshot = emptySnapshot;
  catalogs: Record<string, Record<string, string>> = { en: {} };
  /** lessons by language: the same ids in each */
  lessonsByLang: Record<string, Lesson[]> = { en: [] };
  #scenario = 'send-pop3';
  #pending: MailEvent[];
  #script: MailEvent[];
  #listeners = new Map<string, Set<(p: unknown) => void>>();
  #run = 0;

  constructor(script: MailEvent[]) {
    this.#script = script;
    this.#pending = [...script];
  }

  #info(): RunInfo {
    const world = this.#worldTitle ? { world: this.#worldTitle } : {};
    return { runId: `run-${this.#run}`, scenario: this.#scenario, nodes: defaultNodes, ports: [], mode: 'step', interval: 800, ...world };
  }

  emit<K extends PushName>(name: K, payload: Payloads[K]): void {
    this.#listeners.get(name)?.forEach((cb) => cb(payload));
  }

  /** release takes the next stepped event and the unstepped ones after it. */
  #release(): MailEvent[] {
    const out: MailEvent[] = [];
    while (this.#pending.length) {
      const ev = this.#pending[0];
      if (isStepped(ev) && out.some(isStepped)) break;
      out.push(this.#pending.shift()!);
    }
    this.released.push(...out);
    return out;
  }

  async scenarios() {
    this.calls.push('scenarios');
    return [
      { id: 'live', title: 'Live world', summary: '…' },
      { id: 'send-pop3', title: 'Send a mail, fetch it with POP3', summary: '…' },
    ];
  }
  async start(id = 'send-pop3') {
    this.calls.push(`start:${id}`);
    this.calls.push('start');
    this.#scenario = id;
    this.#run++;
    this.#pending = [...this.#script];
    this.released = [];
    return this.#info();
  }
  async run() {
    this.calls.push('run');
    if (!this.#run) throw new Error('no scenario is running: pick one first');
    return this.#info();
  }
  async step() {
    this.calls.push('step');
    const batch = this.#release();
    if (batch.length) this.emit(EventsPushed, batch);
    return batch.length > 0;
  }
  async play() {
    this.calls.push('play');
  }
  async pause() {
    this.calls.push('pause');
  }
  async reset() {
    this.calls.push('reset');
    const info = await this.start();
    this.emit(RunPushed, info);
    return info;
  }
  /** pageSize is the fake Go side's page: small, so tests see paging */
  pageSize = 500;
  async events(since: number, limit = 0) {
    this.calls.push(`events:${since}`);
    const after = this.released.filter((e) => e.seq > since);
    const n = Math.min(limit > 0 ? limit : this.pageSize, this.pageSize);
    const events = after.slice(0, n);
    return { events, first: this.released[0]?.seq ?? 0, dropped: 0, last: this.released.at(-1)?.seq ?? 0, more: after.length > n };
  }
  async snapshot() {
    return this.snap;
  }
  async catalog(lang: string) {
    return this.catalogs[lang] ?? {};
  }
  async ready() {
    this.calls.push('ready');
  }
  async lessons(lang: string) {
    this.calls.push(`lessons:${lang}`);
    return (this.lessonsByLang[lang] ?? []).map(({ id, number, scenario, title, summary }) => ({ id, number, scenario, title, summary }));
  }
  async lesson(id: string, lang: string) {
    this.calls.push(`lesson:${id}:${lang}`);
    const l = (this.lessonsByLang[lang] ?? []).find((x) => x.id === id);
    if (!l) throw new Error(`unknown lesson "${id}"`);
    return l;
  }
  async clientSettings(lang: string) {
    this.calls.push(`clientSettings:${lang}`);
    return clientSettingsFixture;
  }
  /** the pretend servers of the "type it yourself" terminal */
  terminal = new FakeTerminal((e) => this.emit(TerminalPushed, e));
  async terminalTargets() {
    return this.terminal.targets;
  }
  async terminalOpen(host: string, port: number) {
    this.calls.push(`terminalOpen:${host}:${port}`);
    return this.terminal.open(host, port);
  }
  async terminalSend(id: number, line: string) {
    this.terminal.send(id, line);
  }
  async terminalClose(id: number) {
    this.terminal.close(id);
  }
  async terminalLog(id: number) {
    return this.terminal.log(id);
  }
  /** the mail client: devices shown, samples offered, what was sent and checked */
  deviceList: DeviceInfo[] = [];
  samples: SampleFile[] = [];
  composed: ComposeRequest[] = [];
  checked: CheckRequest[] = [];
  async devices() {
    return this.deviceList;
  }
  async mailSamples() {
    return this.samples;
  }
  async compose(req: ComposeRequest): Promise<ActionStarted> {
    this.calls.push(`compose:${req.device}`);
    this.composed.push(req);
    return { device: req.device, stepped: true };
  }
  async checkMail(req: CheckRequest): Promise<ActionStarted> {
    this.calls.push(`checkMail:${req.device}`);
    this.checked.push(req);
    return { device: req.device, stepped: true };
  }
  opened: OpenRequest[] = [];
  async openMail(req: OpenRequest): Promise<ActionStarted> {
    this.calls.push(`openMail:${req.device}:${req.key}`);
    this.opened.push(req);
    return { device: req.device, stepped: true };
  }
  /** the exports asked for; exportError makes the next one fail */
  exports: ExportRequest[] = [];
  exportError = '';
  async export(req: ExportRequest): Promise<ExportBlob> {
    this.calls.push(`export:${req.kind}`);
    this.exports.push(req);
    if (this.exportError) throw new Error(this.exportError);
    return { name: `maillab-${this.#scenario}-20261123-100000.${req.kind === 'markdown' ? 'md' : req.kind === 'text' ? 'txt' : 'pcapng'}`, blob: new Blob(['x']) };
  }
  /** the world file worldFile() gives (tests set it); openWorldError makes the next openWorld fail with it */
  worldText = 'maillab-world: 1\ntitle: Maillab: Alice at example.org, Bob at example.net\n';
  openWorldError = '';
  #worldTitle = '';
  async worldFile(withMail: boolean) {
    this.calls.push(`worldFile:${withMail}`);
    return this.worldText;
  }
  /** openWorld: like the Go side, a new run of the same scenario, in the world titled by the file's title line */
  async openWorld(text: string) {
    this.calls.push('openWorld');
    if (this.openWorldError) throw new Error(this.openWorldError);
    this.#worldTitle = /^title: (.*)$/m.exec(text)?.[1] ?? '';
    this.worldText = text;
    const info = await this.start(this.#scenario);
    this.emit(RunPushed, info);
    return info;
  }
  /** the challenges and the status the challenge calls answer (tests set them) */
  challengeList: ChallengeInfo[] = [];
  challenge: ChallengeStatus = { id: '', goal: [], checked: false, met: false, solved: false, hints: [], hintsTotal: 0 };
  async challenges(lang: string) {
    this.calls.push(`challenges:${lang}`);
    return this.challengeList;
  }
  async startChallenge(id: string, lang: string) {
    this.calls.push(`startChallenge:${id}:${lang}`);
    return this.challenge;
  }
  async checkChallenge(lang: string) {
    this.calls.push(`checkChallenge:${lang}`);
    return this.challenge;
  }
  async challengeStatus(lang: string) {
    this.calls.push(`challengeStatus:${lang}`);
    return this.challenge;
  }
  async nextHint(lang: string) {
    this.calls.push(`nextHint:${lang}`);
    return this.challenge;
  }
  /** what challengeGoals answers (tests set it); challengeFileText what challengeFile gives, openChallengeError a refusal */
  goals: GoalChoices = { facts: [], devices: [], accounts: [], routes: [] };
  challengeFileText = 'maillab-challenge: 1\n';
  openChallengeError = '';
  drafts: ChallengeDraft[] = [];
  async challengeGoals(lang: string) {
    this.calls.push(`challengeGoals:${lang}`);
    return this.goals;
  }
  async challengeFile(draft: ChallengeDraft, lang: string) {
    this.calls.push(`challengeFile:${lang}`);
    this.drafts.push(draft);
    return this.challengeFileText;
  }
  async openChallenge(text: string, lang: string) {
    this.calls.push(`openChallenge:${lang}`);
    if (this.openChallengeError) throw new Error(this.openChallengeError);
    this.challengeFileText = text;
    return this.challenge;
  }
  /** the world the settings dialog shows (tests change it); settingsError makes the next change fail with it */
  settings: WorldSettings = {
    running: true,
    providers: ['example.org', 'example.net'].map((domain) => ({
      domain,
      accounts: (domain === 'example.org' ? ['alice'] : ['bob', 'carol']).map((u) => ({
        address: `${u}@${domain}`,
        ...(this.canControl ? { password: u } : {}),
        quota: '',
        ...(u === 'carol' ? {} : { devices: [`${u}-laptop`] }),
      })),
      policy: { starttls: 'offered', greylisting: false, relayNetworks: [], authChecks: true, mailboxQuota: '', plaintextAuth: false },
      servers: (['mx', 'submission', 'mailbox'] as ServerName[]).map((server) => ({ server, host: `${server}.${domain}`, up: true })),
      dns: { mx: [{ preference: 10, host: `mx.${domain}` }], spf: 'v=spf1 ip4:127.77.1.20 -all', dkim: { selector: 'mail' }, dmarc: 'v=DMARC1; p=reject' },
    })),
    devices: [
      { name: 'alice-laptop', account: 'alice@example.org', protocol: 'imap', security: 'starttls', port: 143, leaveOnServer: false },
      { name: 'bob-laptop', account: 'bob@example.net', protocol: 'pop3', security: 'starttls', port: 110, leaveOnServer: false },
    ],
  };
  settingsError = '';
  /** records checkRecord refuses: text → message */
  badRecords: Record<string, string> = {};
  #provider(domain: string) {
    const p = this.settings.providers.find((x) => x.domain === domain || domain.endsWith('@' + x.domain));
    if (!p) throw new Error(`no provider ${domain}`);
    return p;
  }
  #change(name: string) {
    this.calls.push(name);
    if (this.settingsError) throw new Error(this.settingsError);
  }
  /** the hosted room: tests set it, hostRoom opens it */
  room: RoomScreen = normalScreen({ lan: '10.0.0.5' });
  roomError = '';
  async hostRoom(options: RoomOptions) {
    this.calls.push(`hostRoom:${options.room}:${options.bind}`);
    if (this.roomError) throw new Error(this.roomError);
    const zone = `${options.room || 'room'}.test`;
    const addr = `${options.bind || this.room.lan}:7625`;
    this.room = normalScreen({ ...this.room, open: true, room: options.room || 'room', zone, code: options.code || 'K7Q-M4P', joinAddress: addr,
      joinLink: `http://${addr}/?code=K7Q-M4P`, joinCommand: `maillab classroom join ${addr} --code K7Q-M4P --name YOUR-NAME`,
      dns: addr.replace(':7625', ':10053'), portsLine: 'MX 10025', qr: [[true, false], [false, true]] });
    return this.room;
  }
  async roomScreen(_lang: string, since: number) {
    this.calls.push(`roomScreen:${since}`);
    const r = structuredClone(this.room);
    r.entries = since ? r.entries.filter((e) => e.seq > since) : r.entries.slice(-50);
    return r;
  }
  async closeRoom() {
    this.calls.push('closeRoom');
    this.room = normalScreen({ lan: this.room.lan, last: this.room.last });
  }
  async handOutChallenge(id: string) {
    this.calls.push(`handOutChallenge:${id}`);
    if (this.roomError) throw new Error(this.roomError);
    const round = (this.room.challenge?.round ?? 0) + 1;
    this.room = { ...this.room, challenge: { round, id, title: `title of ${id}`, solved: 0, of: this.room.counts.online, solvedLine: `0 of ${this.room.counts.online} solved` } };
    return structuredClone(this.room);
  }
  async handOutChallengeText(text: string) {
    this.calls.push(`handOutChallengeText:${text.length}`);
    if (this.roomError) throw new Error(this.roomError);
    const round = (this.room.challenge?.round ?? 0) + 1;
    this.room = { ...this.room, challenge: { round, own: true, title: 'own', solved: 0, of: this.room.counts.online, solvedLine: `0 of ${this.room.counts.online} solved` } };
    return structuredClone(this.room);
  }
  async withdrawChallenge() {
    this.calls.push('withdrawChallenge');
    this.room = { ...this.room, challenge: undefined };
  }
  /** the classroom: joinError makes the next joinRoom fail with it; joined is what roomStatus says */
  joinError = '';
  joined: RoomStatus = { joined: false };
  async joinRoom(address: string, code: string, name: string, lang: string): Promise<RoomStatus> {
    this.calls.push(`joinRoom:${address}:${code}:${name}:${lang}`);
    if (this.joinError) throw new Error(this.joinError);
    const zone = 'room42.test';
    const domain = `${name}.${zone}`;
    this.joined = {
      joined: true,
      host: address,
      zone,
      domain,
      account: `${name}@${domain}`,
      password: 'cdef-ghjk-mnpq',
      address: '10.0.0.7',
      ports: { offset: 10000, smtp: 10025, submission: 10587, submissions: 10465, pop3: 10110, pop3s: 10995, imap: 10143, imaps: 10993 },
      devices: [`${name}-laptop`, `${name}-phone`],
      summary: `You are the mail provider ${domain}.`,
    };
    await this.start('live');
    return this.joined;
  }
  async leaveRoom(): Promise<RoomStatus> {
    this.calls.push('leaveRoom');
    this.joined = { joined: false };
    await this.start('live');
    return this.joined;
  }
  async roomStatus(lang: string): Promise<RoomStatus> {
    this.calls.push(`roomStatus:${lang}`);
    return this.joined;
  }

  async worldSettings() {
    this.calls.push('worldSettings');
    const s = structuredClone(this.settings);
    if (!this.canControl) s.providers.forEach((p) => p.accounts.forEach((a) => delete a.password));
    return s;
  }
  async addAccount(address: string, password: string, quota: string) {
    this.#change(`addAccount:${address}`);
    this.#provider(address).accounts.push({ address, password, quota });
  }
  async removeAccount(address: string) {
    this.#change(`removeAccount:${address}`);
    const p = this.#provider(address);
    p.accounts = p.accounts.filter((a) => a.address !== address);
  }
  async setPassword(address: string, password: string) {
    this.#change(`setPassword:${address}:${password}`);
    this.#provider(address).accounts.find((a) => a.address === address)!.password = password;
  }
  async setAccountQuota(address: string, quota: string) {
    this.#change(`setAccountQuota:${address}:${quota}`);
    this.#provider(address).accounts.find((a) => a.address === address)!.quota = quota;
  }
  async setPolicy(domain: string, policy: PolicySettings) {
    this.#change(`setPolicy:${domain}`);
    this.#provider(domain).policy = structuredClone(policy);
  }
  async setServerUp(domain: string, server: ServerName, up: boolean) {
    this.#change(`setServerUp:${domain}:${server}:${up}`);
    this.#provider(domain).servers.find((s) => s.server === server)!.up = up;
  }
  async setDevice(name: string, d: Pick<DeviceSettings, 'protocol' | 'security' | 'leaveOnServer' | 'deleteAfterDays'>) {
    this.#change(`setDevice:${name}:${d.protocol}:${d.security}:${d.leaveOnServer}`);
    const dev = this.settings.devices!.find((x) => x.name === name)!;
    Object.assign(dev, d, { port: fetchPort(d.protocol, d.security), leaveOnServer: d.protocol === 'pop3' && d.leaveOnServer });
  }
  async checkRecord(kind: string, text: string): Promise<RecordCheck> {
    this.calls.push(`checkRecord:${kind}:${text}`);
    const message = this.badRecords[text];
    return message ? { ok: false, key: 'dnsrecord.x', message } : { ok: true };
  }
  async setDNS(domain: string, zone: DNSZone) {
    this.#change(`setDNS:${domain}`);
    this.#provider(domain).dns = structuredClone(zone);
    return zone;
  }
  /** what checkExercise answers (tests set it) */
  exerciseResult: ExerciseResult = {
    done: false,
    count: 0,
    subject: '',
    from: '',
    key: 'ui.exercise.not-yet',
    params: { mailbox: 'bob@example.net', count: '0' },
  };
  async checkExercise(id: string) {
    this.calls.push(`checkExercise:${id}`);
    return this.exerciseResult;
  }
  /** waiting: the next stepped event, as the gate holds it */
  async waiting() {
    this.calls.push('waiting');
    const next = this.#pending.find(isStepped);
    return next ? [next] : [];
  }
  on<K extends PushName>(name: K, cb: (p: Payloads[K]) => void) {
    let set = this.#listeners.get(name);
    if (!set) this.#listeners.set(name, (set = new Set()));
    const f = cb as (p: unknown) => void;
    set.add(f);
    return () => set.delete(f);
  }
  onReconnect() {
    return () => {};
  }

  pushSnapshot(s: Snapshot): void {
    this.snap = s;
    this.emit(SnapshotPushed, s);
  }
}
