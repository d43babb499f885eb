export namespace app {
	
	export class AccountSettings {
	    address: string;
	    password?: string;
	    quota: string;
	    devices?: string[];
	
	    static createFrom(source: any = {}) {
	        return new AccountSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.address = source["address"];
	        this.password = source["password"];
	        this.quota = source["quota"];
	        this.devices = source["devices"];
	    }
	}
	export class ActionStarted {
	    device: string;
	    stepped: boolean;
	    protocol?: string;
	
	    static createFrom(source: any = {}) {
	        return new ActionStarted(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.device = source["device"];
	        this.stepped = source["stepped"];
	        this.protocol = source["protocol"];
	    }
	}
	export class ChallengeDraft {
	    title: string;
	    task: string;
	    hints: string[];
	    explanation: string;
	    test: challenge.Test;
	    goal: challenge.Goal;
	
	    static createFrom(source: any = {}) {
	        return new ChallengeDraft(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.task = source["task"];
	        this.hints = source["hints"];
	        this.explanation = source["explanation"];
	        this.test = this.convertValues(source["test"], challenge.Test);
	        this.goal = this.convertValues(source["goal"], challenge.Goal);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ChallengeFact {
	    key: string;
	    text: string;
	    met: boolean;
	    got?: string;
	
	    static createFrom(source: any = {}) {
	        return new ChallengeFact(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.text = source["text"];
	        this.met = source["met"];
	        this.got = source["got"];
	    }
	}
	export class ChallengeInfo {
	    id: string;
	    title: string;
	    task: string;
	    hints: number;
	
	    static createFrom(source: any = {}) {
	        return new ChallengeInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.task = source["task"];
	        this.hints = source["hints"];
	    }
	}
	export class ChallengeStatus {
	    id: string;
	    own?: boolean;
	    title?: string;
	    task?: string;
	    goal: ChallengeFact[];
	    checked: boolean;
	    met: boolean;
	    solved: boolean;
	    testError?: string;
	    hints: string[];
	    hintsTotal: number;
	    explanation?: string;
	    room?: boolean;
	    reported?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ChallengeStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.own = source["own"];
	        this.title = source["title"];
	        this.task = source["task"];
	        this.goal = this.convertValues(source["goal"], ChallengeFact);
	        this.checked = source["checked"];
	        this.met = source["met"];
	        this.solved = source["solved"];
	        this.testError = source["testError"];
	        this.hints = source["hints"];
	        this.hintsTotal = source["hintsTotal"];
	        this.explanation = source["explanation"];
	        this.room = source["room"];
	        this.reported = source["reported"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class CheckRequest {
	    lang: string;
	    device: string;
	    leaveOnServer: boolean;
	
	    static createFrom(source: any = {}) {
	        return new CheckRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lang = source["lang"];
	        this.device = source["device"];
	        this.leaveOnServer = source["leaveOnServer"];
	    }
	}
	export class ProviderSettings {
	    title: string;
	    domain: string;
	    owner: string;
	    address: string;
	    password: string;
	    incoming: clientconfig.Server[];
	    outgoing: clientconfig.Server[];
	    autoconfigUrl: string;
	
	    static createFrom(source: any = {}) {
	        return new ProviderSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.title = source["title"];
	        this.domain = source["domain"];
	        this.owner = source["owner"];
	        this.address = source["address"];
	        this.password = source["password"];
	        this.incoming = this.convertValues(source["incoming"], clientconfig.Server);
	        this.outgoing = this.convertValues(source["outgoing"], clientconfig.Server);
	        this.autoconfigUrl = source["autoconfigUrl"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ClientSettings {
	    portMap: boolean;
	    bind: string;
	    portBase: number;
	    note: string;
	    providers: ProviderSettings[];
	    caFile: string;
	    caUrl: string;
	    ispdbUrl: string;
	
	    static createFrom(source: any = {}) {
	        return new ClientSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.portMap = source["portMap"];
	        this.bind = source["bind"];
	        this.portBase = source["portBase"];
	        this.note = source["note"];
	        this.providers = this.convertValues(source["providers"], ProviderSettings);
	        this.caFile = source["caFile"];
	        this.caUrl = source["caUrl"];
	        this.ispdbUrl = source["ispdbUrl"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class UploadedFile {
	    name: string;
	    type: string;
	    base64: string;
	
	    static createFrom(source: any = {}) {
	        return new UploadedFile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.type = source["type"];
	        this.base64 = source["base64"];
	    }
	}
	export class ComposeRequest {
	    lang: string;
	    device: string;
	    to: string[];
	    cc: string[];
	    bcc: string[];
	    subject: string;
	    body: string;
	    samples: string[];
	    uploads: UploadedFile[];
	    route: string;
	
	    static createFrom(source: any = {}) {
	        return new ComposeRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lang = source["lang"];
	        this.device = source["device"];
	        this.to = source["to"];
	        this.cc = source["cc"];
	        this.bcc = source["bcc"];
	        this.subject = source["subject"];
	        this.body = source["body"];
	        this.samples = source["samples"];
	        this.uploads = this.convertValues(source["uploads"], UploadedFile);
	        this.route = source["route"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MailItem {
	    key: string;
	    subject: string;
	    from: string;
	    size: number;
	    seen: boolean;
	    flagged?: boolean;
	    via: string;
	    onServer: boolean;
	    whole: boolean;
	    attachments: string[];
	    body: string;
	
	    static createFrom(source: any = {}) {
	        return new MailItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.subject = source["subject"];
	        this.from = source["from"];
	        this.size = source["size"];
	        this.seen = source["seen"];
	        this.flagged = source["flagged"];
	        this.via = source["via"];
	        this.onServer = source["onServer"];
	        this.whole = source["whole"];
	        this.attachments = source["attachments"];
	        this.body = source["body"];
	    }
	}
	export class DeviceInfo {
	    id: string;
	    account: string;
	    protocol: string;
	    security: string;
	    port: number;
	    leaveOnServer: boolean;
	    folders: string[];
	    messages: MailItem[];
	    busy: boolean;
	
	    static createFrom(source: any = {}) {
	        return new DeviceInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.account = source["account"];
	        this.protocol = source["protocol"];
	        this.security = source["security"];
	        this.port = source["port"];
	        this.leaveOnServer = source["leaveOnServer"];
	        this.folders = source["folders"];
	        this.messages = this.convertValues(source["messages"], MailItem);
	        this.busy = source["busy"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class DeviceSettings {
	    name: string;
	    account: string;
	    protocol: string;
	    security: string;
	    port: number;
	    leaveOnServer: boolean;
	    deleteAfterDays: number;
	
	    static createFrom(source: any = {}) {
	        return new DeviceSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.account = source["account"];
	        this.protocol = source["protocol"];
	        this.security = source["security"];
	        this.port = source["port"];
	        this.leaveOnServer = source["leaveOnServer"];
	        this.deleteAfterDays = source["deleteAfterDays"];
	    }
	}
	export class Line {
	    seq: number;
	    // Go type: time
	    time: any;
	    kind: string;
	    conn?: number;
	    client?: string;
	    server?: string;
	    proto?: string;
	    port?: number;
	    addr?: string;
	    clientAddr?: string;
	    dir?: string;
	    text?: string;
	    raw?: number[];
	    wire?: number[];
	    encrypted?: boolean;
	    credential?: boolean;
	    masked?: boolean;
	    truncated?: boolean;
	    tail?: string;
	    omitted?: number;
	    omittedLines?: number;
	    limit?: number;
	    actor?: string;
	    code?: string;
	    params?: Record<string, string>;
	    explain?: explain.Explanation;
	    wireSeq?: number;
	
	    static createFrom(source: any = {}) {
	        return new Line(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seq = source["seq"];
	        this.time = this.convertValues(source["time"], null);
	        this.kind = source["kind"];
	        this.conn = source["conn"];
	        this.client = source["client"];
	        this.server = source["server"];
	        this.proto = source["proto"];
	        this.port = source["port"];
	        this.addr = source["addr"];
	        this.clientAddr = source["clientAddr"];
	        this.dir = source["dir"];
	        this.text = source["text"];
	        this.raw = source["raw"];
	        this.wire = source["wire"];
	        this.encrypted = source["encrypted"];
	        this.credential = source["credential"];
	        this.masked = source["masked"];
	        this.truncated = source["truncated"];
	        this.tail = source["tail"];
	        this.omitted = source["omitted"];
	        this.omittedLines = source["omittedLines"];
	        this.limit = source["limit"];
	        this.actor = source["actor"];
	        this.code = source["code"];
	        this.params = source["params"];
	        this.explain = this.convertValues(source["explain"], explain.Explanation);
	        this.wireSeq = source["wireSeq"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class EventPage {
	    events: Line[];
	    first: number;
	    dropped: number;
	    last: number;
	    more: boolean;
	
	    static createFrom(source: any = {}) {
	        return new EventPage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.events = this.convertValues(source["events"], Line);
	        this.first = source["first"];
	        this.dropped = source["dropped"];
	        this.last = source["last"];
	        this.more = source["more"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ExerciseResult {
	    done: boolean;
	    count: number;
	    subject: string;
	    from: string;
	    key: string;
	    params: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new ExerciseResult(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.done = source["done"];
	        this.count = source["count"];
	        this.subject = source["subject"];
	        this.from = source["from"];
	        this.key = source["key"];
	        this.params = source["params"];
	    }
	}
	export class ExportFile {
	    name: string;
	    mime: string;
	    base64: string;
	
	    static createFrom(source: any = {}) {
	        return new ExportFile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.mime = source["mime"];
	        this.base64 = source["base64"];
	    }
	}
	export class GoalOption {
	    value: string;
	    label: string;
	
	    static createFrom(source: any = {}) {
	        return new GoalOption(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.value = source["value"];
	        this.label = source["label"];
	    }
	}
	export class GoalParam {
	    key: string;
	    name: string;
	    options: GoalOption[];
	    optional?: boolean;
	    many?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new GoalParam(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.name = source["name"];
	        this.options = this.convertValues(source["options"], GoalOption);
	        this.optional = source["optional"];
	        this.many = source["many"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class GoalFact {
	    key: string;
	    name: string;
	    params: GoalParam[];
	
	    static createFrom(source: any = {}) {
	        return new GoalFact(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.name = source["name"];
	        this.params = this.convertValues(source["params"], GoalParam);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class GoalChoices {
	    facts: GoalFact[];
	    devices: GoalOption[];
	    accounts: GoalOption[];
	    routes: GoalOption[];
	
	    static createFrom(source: any = {}) {
	        return new GoalChoices(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.facts = this.convertValues(source["facts"], GoalFact);
	        this.devices = this.convertValues(source["devices"], GoalOption);
	        this.accounts = this.convertValues(source["accounts"], GoalOption);
	        this.routes = this.convertValues(source["routes"], GoalOption);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	
	
	export class OpenRequest {
	    lang: string;
	    device: string;
	    key: string;
	
	    static createFrom(source: any = {}) {
	        return new OpenRequest(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.lang = source["lang"];
	        this.device = source["device"];
	        this.key = source["key"];
	    }
	}
	export class PolicySettings {
	    starttls: string;
	    greylisting: boolean;
	    greylistDelay?: string;
	    relayNetworks: string[];
	    authChecks: boolean;
	    mailboxQuota: string;
	    plaintextAuth: boolean;
	    mxSizeLimit?: string;
	    outgoingTLS?: string;
	    queueLifetime?: string;
	
	    static createFrom(source: any = {}) {
	        return new PolicySettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.starttls = source["starttls"];
	        this.greylisting = source["greylisting"];
	        this.greylistDelay = source["greylistDelay"];
	        this.relayNetworks = source["relayNetworks"];
	        this.authChecks = source["authChecks"];
	        this.mailboxQuota = source["mailboxQuota"];
	        this.plaintextAuth = source["plaintextAuth"];
	        this.mxSizeLimit = source["mxSizeLimit"];
	        this.outgoingTLS = source["outgoingTLS"];
	        this.queueLifetime = source["queueLifetime"];
	    }
	}
	
	export class ServerState {
	    server: string;
	    host: string;
	    up: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ServerState(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.server = source["server"];
	        this.host = source["host"];
	        this.up = source["up"];
	    }
	}
	export class ProviderWorld {
	    domain: string;
	    accounts: AccountSettings[];
	    policy: PolicySettings;
	    servers: ServerState[];
	    dns: worldspec.DNS;
	    room?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new ProviderWorld(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.domain = source["domain"];
	        this.accounts = this.convertValues(source["accounts"], AccountSettings);
	        this.policy = this.convertValues(source["policy"], PolicySettings);
	        this.servers = this.convertValues(source["servers"], ServerState);
	        this.dns = this.convertValues(source["dns"], worldspec.DNS);
	        this.room = source["room"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RecordCheck {
	    ok: boolean;
	    key?: string;
	    params?: Record<string, string>;
	    message?: string;
	
	    static createFrom(source: any = {}) {
	        return new RecordCheck(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.ok = source["ok"];
	        this.key = source["key"];
	        this.params = source["params"];
	        this.message = source["message"];
	    }
	}
	export class RoomChallenge {
	    round: number;
	    id?: string;
	    own?: boolean;
	    title: string;
	    solved: number;
	    of: number;
	    solvedLine: string;
	
	    static createFrom(source: any = {}) {
	        return new RoomChallenge(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.round = source["round"];
	        this.id = source["id"];
	        this.own = source["own"];
	        this.title = source["title"];
	        this.solved = source["solved"];
	        this.of = source["of"];
	        this.solvedLine = source["solvedLine"];
	    }
	}
	export class RoomCounts {
	    deliveries: number;
	    delivered: number;
	    deferred: number;
	    bounced: number;
	    refused: number;
	    online: number;
	    silent: number;
	
	    static createFrom(source: any = {}) {
	        return new RoomCounts(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.deliveries = source["deliveries"];
	        this.delivered = source["delivered"];
	        this.deferred = source["deferred"];
	        this.bounced = source["bounced"];
	        this.refused = source["refused"];
	        this.online = source["online"];
	        this.silent = source["silent"];
	    }
	}
	export class RoomEntry {
	    seq: number;
	    kind: string;
	    // Go type: time
	    time: any;
	    domain?: string;
	    from?: string;
	    to?: string;
	    outcome?: string;
	    status?: string;
	    title?: string;
	
	    static createFrom(source: any = {}) {
	        return new RoomEntry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seq = source["seq"];
	        this.kind = source["kind"];
	        this.time = this.convertValues(source["time"], null);
	        this.domain = source["domain"];
	        this.from = source["from"];
	        this.to = source["to"];
	        this.outcome = source["outcome"];
	        this.status = source["status"];
	        this.title = source["title"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RoomNode {
	    name: string;
	    domain: string;
	    address: string;
	    online: boolean;
	    // Go type: time
	    joined: any;
	    sent: number;
	    received: number;
	    waiting: boolean;
	    silent: boolean;
	    solved: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RoomNode(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.domain = source["domain"];
	        this.address = source["address"];
	        this.online = source["online"];
	        this.joined = this.convertValues(source["joined"], null);
	        this.sent = source["sent"];
	        this.received = source["received"];
	        this.waiting = source["waiting"];
	        this.silent = source["silent"];
	        this.solved = source["solved"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RoomOptions {
	    room: string;
	    bind: string;
	    code: string;
	    portOffset: number;
	    wellKnownPorts: boolean;
	    joinPort?: number;
	    dnsPort?: number;
	
	    static createFrom(source: any = {}) {
	        return new RoomOptions(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.room = source["room"];
	        this.bind = source["bind"];
	        this.code = source["code"];
	        this.portOffset = source["portOffset"];
	        this.wellKnownPorts = source["wellKnownPorts"];
	        this.joinPort = source["joinPort"];
	        this.dnsPort = source["dnsPort"];
	    }
	}
	export class RoomScreen {
	    open: boolean;
	    lan: string;
	    room?: string;
	    zone?: string;
	    code?: string;
	    joinAddress?: string;
	    joinLink?: string;
	    joinCommand?: string;
	    dns?: string;
	    ports: classroom.Ports;
	    portsLine?: string;
	    qr: boolean[][];
	    nodes: RoomNode[];
	    counts: RoomCounts;
	    challenge?: RoomChallenge;
	    entries: RoomEntry[];
	    last: number;
	    more: boolean;
	
	    static createFrom(source: any = {}) {
	        return new RoomScreen(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.open = source["open"];
	        this.lan = source["lan"];
	        this.room = source["room"];
	        this.zone = source["zone"];
	        this.code = source["code"];
	        this.joinAddress = source["joinAddress"];
	        this.joinLink = source["joinLink"];
	        this.joinCommand = source["joinCommand"];
	        this.dns = source["dns"];
	        this.ports = this.convertValues(source["ports"], classroom.Ports);
	        this.portsLine = source["portsLine"];
	        this.qr = source["qr"];
	        this.nodes = this.convertValues(source["nodes"], RoomNode);
	        this.counts = this.convertValues(source["counts"], RoomCounts);
	        this.challenge = this.convertValues(source["challenge"], RoomChallenge);
	        this.entries = this.convertValues(source["entries"], RoomEntry);
	        this.last = source["last"];
	        this.more = source["more"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RoomStatus {
	    joined: boolean;
	    host?: string;
	    zone?: string;
	    domain?: string;
	    account?: string;
	    password?: string;
	    address?: string;
	    ports: classroom.Ports;
	    devices?: string[];
	    summary?: string;
	
	    static createFrom(source: any = {}) {
	        return new RoomStatus(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.joined = source["joined"];
	        this.host = source["host"];
	        this.zone = source["zone"];
	        this.domain = source["domain"];
	        this.account = source["account"];
	        this.password = source["password"];
	        this.address = source["address"];
	        this.ports = this.convertValues(source["ports"], classroom.Ports);
	        this.devices = source["devices"];
	        this.summary = source["summary"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class RunInfo {
	    runId: number;
	    scenario: string;
	    nodes: netmap.Node[];
	    ports: netmap.Entry[];
	    mode: string;
	    interval: number;
	    world?: string;
	
	    static createFrom(source: any = {}) {
	        return new RunInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.runId = source["runId"];
	        this.scenario = source["scenario"];
	        this.nodes = this.convertValues(source["nodes"], netmap.Node);
	        this.ports = this.convertValues(source["ports"], netmap.Entry);
	        this.mode = source["mode"];
	        this.interval = source["interval"];
	        this.world = source["world"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class SampleFile {
	    name: string;
	    type: string;
	    size: number;
	
	    static createFrom(source: any = {}) {
	        return new SampleFile(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.type = source["type"];
	        this.size = source["size"];
	    }
	}
	export class ScenarioInfo {
	    id: string;
	    title: string;
	    summary: string;
	
	    static createFrom(source: any = {}) {
	        return new ScenarioInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.title = source["title"];
	        this.summary = source["summary"];
	    }
	}
	
	export class TerminalTarget {
	    host: string;
	    port: number;
	    proto: string;
	    tls: string;
	    addr: string;
	
	    static createFrom(source: any = {}) {
	        return new TerminalTarget(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = source["host"];
	        this.port = source["port"];
	        this.proto = source["proto"];
	        this.tls = source["tls"];
	        this.addr = source["addr"];
	    }
	}
	export class TerminalInfo {
	    id: number;
	    target: TerminalTarget;
	    clientAddr: string;
	
	    static createFrom(source: any = {}) {
	        return new TerminalInfo(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.target = this.convertValues(source["target"], TerminalTarget);
	        this.clientAddr = source["clientAddr"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	export class WorldSettings {
	    running: boolean;
	    providers: ProviderWorld[];
	    devices: DeviceSettings[];
	
	    static createFrom(source: any = {}) {
	        return new WorldSettings(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.running = source["running"];
	        this.providers = this.convertValues(source["providers"], ProviderWorld);
	        this.devices = this.convertValues(source["devices"], DeviceSettings);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace challenge {
	
	export class Delivered {
	    to: string;
	    from: string;
	    folder?: string;
	    spf?: string;
	    dkim?: string;
	    dmarc?: string;
	
	    static createFrom(source: any = {}) {
	        return new Delivered(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.to = source["to"];
	        this.from = source["from"];
	        this.folder = source["folder"];
	        this.spf = source["spf"];
	        this.dkim = source["dkim"];
	        this.dmarc = source["dmarc"];
	    }
	}
	export class Goal {
	    delivered?: Delivered;
	    queueEmpty?: boolean;
	    fetchedBy?: string[];
	
	    static createFrom(source: any = {}) {
	        return new Goal(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.delivered = this.convertValues(source["delivered"], Delivered);
	        this.queueEmpty = source["queueEmpty"];
	        this.fetchedBy = source["fetchedBy"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Test {
	    device: string;
	    to: string;
	    route?: string;
	    subject?: string;
	    check?: string[];
	    wait?: number;
	
	    static createFrom(source: any = {}) {
	        return new Test(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.device = source["device"];
	        this.to = source["to"];
	        this.route = source["route"];
	        this.subject = source["subject"];
	        this.check = source["check"];
	        this.wait = source["wait"];
	    }
	}

}

export namespace classroom {
	
	export class Ports {
	    offset: number;
	    smtp: number;
	    submission: number;
	    submissions: number;
	    pop3: number;
	    pop3s: number;
	    imap: number;
	    imaps: number;
	
	    static createFrom(source: any = {}) {
	        return new Ports(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.offset = source["offset"];
	        this.smtp = source["smtp"];
	        this.submission = source["submission"];
	        this.submissions = source["submissions"];
	        this.pop3 = source["pop3"];
	        this.pop3s = source["pop3s"];
	        this.imap = source["imap"];
	        this.imaps = source["imaps"];
	    }
	}

}

export namespace clientconfig {
	
	export class Server {
	    direction: string;
	    protocol: string;
	    service: string;
	    host: string;
	    wellKnown: number;
	    security: string;
	    hostname: string;
	    port: number;
	    addr: string;
	    username: string;
	    auth: string;
	
	    static createFrom(source: any = {}) {
	        return new Server(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.direction = source["direction"];
	        this.protocol = source["protocol"];
	        this.service = source["service"];
	        this.host = source["host"];
	        this.wellKnown = source["wellKnown"];
	        this.security = source["security"];
	        this.hostname = source["hostname"];
	        this.port = source["port"];
	        this.addr = source["addr"];
	        this.username = source["username"];
	        this.auth = source["auth"];
	    }
	}

}

export namespace event {
	
	export class Event {
	    seq: number;
	    // Go type: time
	    time: any;
	    kind: string;
	    conn?: number;
	    client?: string;
	    server?: string;
	    proto?: string;
	    port?: number;
	    addr?: string;
	    clientAddr?: string;
	    dir?: string;
	    text?: string;
	    raw?: number[];
	    wire?: number[];
	    encrypted?: boolean;
	    credential?: boolean;
	    masked?: boolean;
	    truncated?: boolean;
	    tail?: string;
	    omitted?: number;
	    omittedLines?: number;
	    limit?: number;
	    actor?: string;
	    code?: string;
	    params?: Record<string, string>;
	
	    static createFrom(source: any = {}) {
	        return new Event(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.seq = source["seq"];
	        this.time = this.convertValues(source["time"], null);
	        this.kind = source["kind"];
	        this.conn = source["conn"];
	        this.client = source["client"];
	        this.server = source["server"];
	        this.proto = source["proto"];
	        this.port = source["port"];
	        this.addr = source["addr"];
	        this.clientAddr = source["clientAddr"];
	        this.dir = source["dir"];
	        this.text = source["text"];
	        this.raw = source["raw"];
	        this.wire = source["wire"];
	        this.encrypted = source["encrypted"];
	        this.credential = source["credential"];
	        this.masked = source["masked"];
	        this.truncated = source["truncated"];
	        this.tail = source["tail"];
	        this.omitted = source["omitted"];
	        this.omittedLines = source["omittedLines"];
	        this.limit = source["limit"];
	        this.actor = source["actor"];
	        this.code = source["code"];
	        this.params = source["params"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace explain {
	
	export class Explanation {
	    key: string;
	    params?: Record<string, string>;
	    details?: string[];
	    rfc: string;
	    class?: string;
	    generic?: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Explanation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.params = source["params"];
	        this.details = source["details"];
	        this.rfc = source["rfc"];
	        this.class = source["class"];
	        this.generic = source["generic"];
	    }
	}

}

export namespace lesson {
	
	export class Turn {
	    Send?: string;
	    Expect: string;
	    StartTLS: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Turn(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Send = source["Send"];
	        this.Expect = source["Expect"];
	        this.StartTLS = source["StartTLS"];
	    }
	}
	export class Conversation {
	    Server: string;
	    Port: number;
	    Talk: Turn[];
	
	    static createFrom(source: any = {}) {
	        return new Conversation(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.Server = source["Server"];
	        this.Port = source["Port"];
	        this.Talk = this.convertValues(source["Talk"], Turn);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Exercise {
	    id: string;
	    mailbox: string;
	    task: string;
	
	    static createFrom(source: any = {}) {
	        return new Exercise(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.mailbox = source["mailbox"];
	        this.task = source["task"];
	    }
	}
	export class Question {
	    id: string;
	    kind: string;
	    before?: Pattern;
	    question: string;
	    answers: string[];
	    correct: number;
	    explain: string;
	
	    static createFrom(source: any = {}) {
	        return new Question(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.kind = source["kind"];
	        this.before = this.convertValues(source["before"], Pattern);
	        this.question = source["question"];
	        this.answers = source["answers"];
	        this.correct = source["correct"];
	        this.explain = source["explain"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Pattern {
	    kind?: string;
	    proto?: string;
	    dir?: string;
	    client?: string;
	    server?: string;
	    text?: string;
	    code?: string;
	    nth?: number;
	
	    static createFrom(source: any = {}) {
	        return new Pattern(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.kind = source["kind"];
	        this.proto = source["proto"];
	        this.dir = source["dir"];
	        this.client = source["client"];
	        this.server = source["server"];
	        this.text = source["text"];
	        this.code = source["code"];
	        this.nth = source["nth"];
	    }
	}
	export class Note {
	    id: string;
	    at: Pattern;
	    section?: string;
	    text: string;
	
	    static createFrom(source: any = {}) {
	        return new Note(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.at = this.convertValues(source["at"], Pattern);
	        this.section = source["section"];
	        this.text = source["text"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Lesson {
	    id: string;
	    number: number;
	    scenario?: string;
	    title: string;
	    summary: string;
	    body: string;
	    notes: Note[];
	    quiz: Question[];
	    lang: string;
	    exercise?: Exercise;
	
	    static createFrom(source: any = {}) {
	        return new Lesson(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.number = source["number"];
	        this.scenario = source["scenario"];
	        this.title = source["title"];
	        this.summary = source["summary"];
	        this.body = source["body"];
	        this.notes = this.convertValues(source["notes"], Note);
	        this.quiz = this.convertValues(source["quiz"], Question);
	        this.lang = source["lang"];
	        this.exercise = this.convertValues(source["exercise"], Exercise);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	
	
	export class Summary {
	    id: string;
	    number: number;
	    scenario?: string;
	    title: string;
	    summary: string;
	
	    static createFrom(source: any = {}) {
	        return new Summary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.number = source["number"];
	        this.scenario = source["scenario"];
	        this.title = source["title"];
	        this.summary = source["summary"];
	    }
	}

}

export namespace mua {
	
	export class Local {
	    key: string;
	    subject: string;
	    from: string;
	    size: number;
	    seen: boolean;
	    flagged?: boolean;
	    via: string;
	    onServer: boolean;
	
	    static createFrom(source: any = {}) {
	        return new Local(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.key = source["key"];
	        this.subject = source["subject"];
	        this.from = source["from"];
	        this.size = source["size"];
	        this.seen = source["seen"];
	        this.flagged = source["flagged"];
	        this.via = source["via"];
	        this.onServer = source["onServer"];
	    }
	}

}

export namespace netmap {
	
	export class Entry {
	    host: string;
	    port: number;
	    addr: string;
	
	    static createFrom(source: any = {}) {
	        return new Entry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.host = source["host"];
	        this.port = source["port"];
	        this.addr = source["addr"];
	    }
	}
	export class Node {
	    id: string;
	    label: string;
	    role: string;
	    domain: string;
	    ip: string;
	
	    static createFrom(source: any = {}) {
	        return new Node(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.label = source["label"];
	        this.role = source["role"];
	        this.domain = source["domain"];
	        this.ip = source["ip"];
	    }
	}

}

export namespace store {
	
	export class MessageSummary {
	    uid: number;
	    flags: string[];
	    size: number;
	    // Go type: time
	    internalDate: any;
	    from: string;
	    subject: string;
	
	    static createFrom(source: any = {}) {
	        return new MessageSummary(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.uid = source["uid"];
	        this.flags = source["flags"];
	        this.size = source["size"];
	        this.internalDate = this.convertValues(source["internalDate"], null);
	        this.from = source["from"];
	        this.subject = source["subject"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class MailboxSnapshot {
	    name: string;
	    uidValidity: number;
	    uidNext: number;
	    count: number;
	    unseen: number;
	    deleted: number;
	    size: number;
	    subscribed: boolean;
	    messages: MessageSummary[];
	
	    static createFrom(source: any = {}) {
	        return new MailboxSnapshot(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.uidValidity = source["uidValidity"];
	        this.uidNext = source["uidNext"];
	        this.count = source["count"];
	        this.unseen = source["unseen"];
	        this.deleted = source["deleted"];
	        this.size = source["size"];
	        this.subscribed = source["subscribed"];
	        this.messages = this.convertValues(source["messages"], MessageSummary);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	
	export class Usage {
	    used: number;
	    quota: number;
	
	    static createFrom(source: any = {}) {
	        return new Usage(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.used = source["used"];
	        this.quota = source["quota"];
	    }
	}
	export class UserSnapshot {
	    address: string;
	    mailboxes: MailboxSnapshot[];
	    usage: Usage;
	
	    static createFrom(source: any = {}) {
	        return new UserSnapshot(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.address = source["address"];
	        this.mailboxes = this.convertValues(source["mailboxes"], MailboxSnapshot);
	        this.usage = this.convertValues(source["usage"], Usage);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace terminal {
	
	export class Entry {
	    term: number;
	    n: number;
	    kind: string;
	    text: string;
	    key?: string;
	    params?: Record<string, string>;
	    credential?: boolean;
	    masked?: boolean;
	    // Go type: time
	    time: any;
	
	    static createFrom(source: any = {}) {
	        return new Entry(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.term = source["term"];
	        this.n = source["n"];
	        this.kind = source["kind"];
	        this.text = source["text"];
	        this.key = source["key"];
	        this.params = source["params"];
	        this.credential = source["credential"];
	        this.masked = source["masked"];
	        this.time = this.convertValues(source["time"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace world {
	
	export class DeviceStore {
	    node: string;
	    messages: mua.Local[];
	
	    static createFrom(source: any = {}) {
	        return new DeviceStore(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.node = source["node"];
	        this.messages = this.convertValues(source["messages"], mua.Local);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class ProviderMailbox {
	    domain: string;
	    users: store.UserSnapshot[];
	
	    static createFrom(source: any = {}) {
	        return new ProviderMailbox(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.domain = source["domain"];
	        this.users = this.convertValues(source["users"], store.UserSnapshot);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class QueueItem {
	    id: string;
	    domain: string;
	    from: string;
	    to: mta.Recipient[];
	    size: number;
	    state: string;
	    attempts: number;
	    // Go type: time
	    arrived: any;
	    // Go type: time
	    nextRetry: any;
	    lastError?: string;
	    expired?: boolean;
	    mx?: string;
	    addr?: string;
	    provider: string;
	    toAddresses: string[];
	    // Go type: time
	    nextRetry: any;
	
	    static createFrom(source: any = {}) {
	        return new QueueItem(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.id = source["id"];
	        this.domain = source["domain"];
	        this.from = source["from"];
	        this.to = this.convertValues(source["to"], mta.Recipient);
	        this.size = source["size"];
	        this.state = source["state"];
	        this.attempts = source["attempts"];
	        this.arrived = this.convertValues(source["arrived"], null);
	        this.nextRetry = this.convertValues(source["nextRetry"], null);
	        this.lastError = source["lastError"];
	        this.expired = source["expired"];
	        this.mx = source["mx"];
	        this.addr = source["addr"];
	        this.provider = source["provider"];
	        this.toAddresses = source["toAddresses"];
	        this.nextRetry = this.convertValues(source["nextRetry"], null);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}
	export class Snapshot {
	    queue: QueueItem[];
	    mailboxes: ProviderMailbox[];
	    devices: DeviceStore[];
	
	    static createFrom(source: any = {}) {
	        return new Snapshot(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.queue = this.convertValues(source["queue"], QueueItem);
	        this.mailboxes = this.convertValues(source["mailboxes"], ProviderMailbox);
	        this.devices = this.convertValues(source["devices"], DeviceStore);
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

export namespace worldspec {
	
	export class ARecord {
	    name: string;
	    address: string;
	
	    static createFrom(source: any = {}) {
	        return new ARecord(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.name = source["name"];
	        this.address = source["address"];
	    }
	}
	export class DKIM {
	    selector: string;
	    algorithm?: string;
	    key?: string;
	
	    static createFrom(source: any = {}) {
	        return new DKIM(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.selector = source["selector"];
	        this.algorithm = source["algorithm"];
	        this.key = source["key"];
	    }
	}
	export class MXRecord {
	    preference: number;
	    host: string;
	
	    static createFrom(source: any = {}) {
	        return new MXRecord(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.preference = source["preference"];
	        this.host = source["host"];
	    }
	}
	export class DNS {
	    mx?: MXRecord[];
	    a?: ARecord[];
	    spf?: string;
	    dkim?: DKIM;
	    dmarc?: string;
	
	    static createFrom(source: any = {}) {
	        return new DNS(source);
	    }
	
	    constructor(source: any = {}) {
	        if ('string' === typeof source) source = JSON.parse(source);
	        this.mx = this.convertValues(source["mx"], MXRecord);
	        this.a = this.convertValues(source["a"], ARecord);
	        this.spf = source["spf"];
	        this.dkim = this.convertValues(source["dkim"], DKIM);
	        this.dmarc = source["dmarc"];
	    }
	
		convertValues(a: any, classs: any, asMap: boolean = false): any {
		    if (!a) {
		        return a;
		    }
		    if (a.slice && a.map) {
		        return (a as any[]).map(elem => this.convertValues(elem, classs));
		    } else if ("object" === typeof a) {
		        if (asMap) {
		            for (const key of Object.keys(a)) {
		                a[key] = new classs(a[key]);
		            }
		            return a;
		        }
		        return new classs(a);
		    }
		    return a;
		}
	}

}

