// The request/response methods of the Bridge, written once: each transport
// supplies only how one call travels (HTTP POST or a Wails binding).

import type {
  ActionStarted,
  ChallengeInfo,
  ChallengeStatus,
  ClientSettings,
  DeviceInfo,
  SampleFile,
  EventPage,
  ExerciseResult,
  Lesson,
  LessonSummary,
  MailEvent,
  RoomStatus,
  RunInfo,
  ScenarioInfo,
  Snapshot,
  TerminalEntry,
  TerminalInfo,
  TerminalTarget,
} from '../core/types';
import type { DNSZone, RecordCheck, WorldSettings } from '../core/settings';
import type { GoalChoices } from '../core/chedit';
import { normalScreen, type RoomScreen } from '../core/room';
import type { Bridge, Method } from './types';

export type Call = <T>(m: Method, ...args: unknown[]) => Promise<T>;

/** CallMethods are the Bridge methods that map one to one onto a Go method. */
export type CallMethods = Omit<Bridge, 'transport' | 'canControl' | 'on' | 'onReconnect' | 'export' | 'saveExport' | 'savePicture' | 'saveWorld' | 'openWorldFile' | 'saveChallenge' | 'openChallengeFile' | 'handOutChallengeFile'>;

/** callMethods builds them on a transport's call; Go's nil slices arrive as []. */
export function callMethods(call: Call): CallMethods {
  const list = async <T>(m: Method, ...args: unknown[]) => (await call<T[] | null>(m, ...args)) ?? [];
  return {
    scenarios: (lang) => call<ScenarioInfo[]>('scenarios', lang),
    start: (id) => call<RunInfo>('start', id),
    run: () => call<RunInfo>('run'),
    step: () => call<boolean>('step'),
    play: (ms) => call<void>('play', ms),
    pause: () => call<void>('pause'),
    reset: () => call<RunInfo>('reset'),
    events: async (since, limit = 0) => {
      const p = await call<EventPage | null>('events', since, limit);
      return { events: p?.events ?? [], first: p?.first ?? 0, dropped: p?.dropped ?? 0, last: p?.last ?? 0, more: !!p?.more };
    },
    snapshot: () => call<Snapshot>('snapshot'),
    catalog: (lang) => call<Record<string, string>>('catalog', lang),
    ready: () => call<void>('ready'),
    lessons: (lang) => list<LessonSummary>('lessons', lang),
    lesson: (id, lang) => call<Lesson>('lesson', id, lang),
    waiting: () => list<MailEvent>('waiting'),
    checkExercise: (id) => call<ExerciseResult>('checkExercise', id),
    clientSettings: (lang) => call<ClientSettings>('clientSettings', lang),
    terminalTargets: () => list<TerminalTarget>('terminalTargets'),
    terminalOpen: (host, port) => call<TerminalInfo>('terminalOpen', host, port),
    terminalSend: (id, line) => call<void>('terminalSend', id, line),
    terminalClose: (id) => call<void>('terminalClose', id),
    terminalLog: (id) => list<TerminalEntry>('terminalLog', id),
    devices: () => list<DeviceInfo>('devices'),
    mailSamples: () => list<SampleFile>('mailSamples'),
    compose: (req) => call<ActionStarted>('compose', req),
    checkMail: (req) => call<ActionStarted>('checkMail', req),
    openMail: (req) => call<ActionStarted>('openMail', req),
    worldFile: (withMail) => call<string>('worldFile', withMail),
    openWorld: (text) => call<RunInfo>('openWorld', text),
    challenges: (lang) => list<ChallengeInfo>('challenges', lang),
    startChallenge: (id, lang) => call<ChallengeStatus>('startChallenge', id, lang),
    checkChallenge: (lang) => call<ChallengeStatus>('checkChallenge', lang),
    challengeStatus: (lang) => call<ChallengeStatus>('challengeStatus', lang),
    nextHint: (lang) => call<ChallengeStatus>('nextHint', lang),
    challengeGoals: async (lang) => {
      const g = await call<GoalChoices | null>('challengeGoals', lang);
      return { facts: g?.facts ?? [], devices: g?.devices ?? [], accounts: g?.accounts ?? [], routes: g?.routes ?? [] };
    },
    challengeFile: (draft, lang) => call<string>('challengeFile', draft, lang),
    openChallenge: (text, lang) => call<ChallengeStatus>('openChallenge', text, lang),
    hostRoom: async (options, lang) => normalScreen(await call<RoomScreen | null>('hostRoom', options, lang)),
    roomScreen: async (lang, since) => normalScreen(await call<RoomScreen | null>('roomScreen', lang, since)),
    closeRoom: () => call<void>('closeRoom'),
    handOutChallenge: async (id, lang) => normalScreen(await call<RoomScreen | null>('handOutChallenge', id, lang)),
    handOutChallengeText: async (text, lang) => normalScreen(await call<RoomScreen | null>('handOutChallengeText', text, lang)),
    withdrawChallenge: () => call<void>('withdrawChallenge'),
    joinRoom: (address, code, name, lang) => call<RoomStatus>('joinRoom', address, code, name, lang),
    leaveRoom: () => call<RoomStatus>('leaveRoom'),
    roomStatus: (lang) => call<RoomStatus>('roomStatus', lang),
    worldSettings: () => call<WorldSettings>('worldSettings'),
    addAccount: (address, password, quota, lang) => call<void>('addAccount', address, password, quota, lang),
    removeAccount: (address, lang) => call<void>('removeAccount', address, lang),
    setPassword: (address, password, lang) => call<void>('setPassword', address, password, lang),
    setAccountQuota: (address, quota, lang) => call<void>('setAccountQuota', address, quota, lang),
    setPolicy: (domain, policy, lang) => call<void>('setPolicy', domain, policy, lang),
    setServerUp: (domain, server, up, lang) => call<void>('setServerUp', domain, server, up, lang),
    setDevice: (name, device, lang) => call<void>('setDevice', name, device, lang),
    checkRecord: (kind, text, lang) => call<RecordCheck>('checkRecord', kind, text, lang),
    setDNS: (domain, zone) => call<DNSZone>('setDNS', domain, zone),
  };
}
