import type { IncomingMessage } from 'node:http';
import { WebSocket } from 'ws';
import { PROTOCOL, ROOM_PATH } from '../src-main/wire/protocol';
import { peakRssMb, serveCommands } from './bench-child';

// Light room members for the crowd bench, many to a process: raw version-1 clients (a hello
// without features, as docs/PROTOCOL.md §5 allows) that join, read every frame, and timestamp
// each chat line against the send time its text carries. Times are this machine's clock,
// performance.timeOrigin + performance.now(), the same in every process.

/** Milliseconds on the machine's clock, comparable across processes. */
const clock = () => performance.timeOrigin + performance.now();

/** Chat lines of the bench: `crowd <index> <sent at>`. */
const LINE = /^crowd (\d+) (\d+(?:\.\d+)?)$/;

interface CrowdMember {
  name: string;
  ws: WebSocket | undefined;
  welcomedAt: number | undefined;
  /** Refusals before it got in (`503 room-busy`, `429`…), as they came. */
  refusals: string[];
  error: string | undefined;
  /** Delivery time of each bench line, ms, in the order received, and the line's index. */
  latencies: number[];
  indexes: number[];
  lastIndex: number;
  outOfOrder: number;
}

const members: CrowdMember[] = [];
let url = '';
let secret = '';

/** One connection attempt: the welcome, or why not (an HTTP refusal with its Retry-After, or a close). */
function attempt(member: CrowdMember, localAddress: string): Promise<{ ok: true } | { ok: false; why: string; retryMs?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, [PROTOCOL], {
      rejectUnauthorized: false,
      headers: { Authorization: `Bearer ${secret}` },
      perMessageDeflate: false,
      localAddress,
    });
    ws.on('error', () => {});
    ws.once('unexpected-response', (_req, res: IncomingMessage) => {
      ws.terminate();
      const retry = Number(res.headers['retry-after'] ?? 2);
      resolve({ ok: false, why: `HTTP ${res.statusCode}`, retryMs: Math.min(retry, 60) * 1000 });
    });
    ws.once('open', () => ws.send(JSON.stringify({ type: 'hello', name: member.name })));
    ws.once('close', (code) => resolve({ ok: false, why: `closed ${code}` }));
    ws.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { type: string; code?: string; text?: string };
      if (frame.type === 'welcome') {
        member.welcomedAt = clock();
        member.ws = ws;
        resolve({ ok: true });
      } else if (frame.type === 'chat') heard(member, frame.text ?? '');
      else if (frame.type === 'error' && member.welcomedAt === undefined) member.error = frame.code;
    });
  });
}

function heard(member: CrowdMember, text: string): void {
  const match = LINE.exec(text);
  if (!match) return;
  member.latencies.push(clock() - Number(match[2]));
  const index = Number(match[1]);
  member.indexes.push(index);
  if (index !== member.lastIndex + 1) member.outOfOrder += 1;
  member.lastIndex = index;
}

/** Joins like a real guest: waits as long as a refusal's Retry-After says, at most `tries` times. */
async function join(member: CrowdMember, localAddress: string, tries = 6): Promise<void> {
  for (let i = 0; i < tries; i++) {
    const outcome = await attempt(member, localAddress);
    if (outcome.ok) return;
    if (outcome.retryMs === undefined) {
      member.error ??= outcome.why;
      return;
    }
    member.refusals.push(outcome.why);
    await new Promise((r) => setTimeout(r, outcome.retryMs! * (0.5 + Math.random() / 2)));
  }
  member.error ??= `gave up after ${tries} refusals`;
}

serveCommands({
  /** Answers once the process is up (tsx loaded), so the join storm's clock starts with everyone ready. */
  ping: () => ({}),
  /** All at once: `names[i]` connects from loopback address `addresses[i]`. */
  async join(args) {
    url = `wss://127.0.0.1:${args.port as number}${ROOM_PATH}`;
    secret = args.secret as string;
    const names = args.names as string[];
    const addresses = args.addresses as string[];
    const joining = names.map((name, i) => {
      const member: CrowdMember = {
        name,
        ws: undefined,
        welcomedAt: undefined,
        refusals: [],
        error: undefined,
        latencies: [],
        indexes: [],
        lastIndex: -1,
        outOfOrder: 0,
      };
      members.push(member);
      return join(member, addresses[i]!);
    });
    await Promise.all(joining);
    return {
      joins: members.map((m) => ({ name: m.name, welcomedAt: m.welcomedAt, refusals: m.refusals, error: m.error })),
      rssMb: peakRssMb(),
    };
  },
  /** The first member sends `count` lines at `perSecond`, each carrying its send time. */
  async send(args) {
    const count = args.count as number;
    const perSecond = args.perSecond as number;
    const sender = members[0]?.ws;
    if (!sender) throw new Error('no member to send from');
    const start = clock();
    for (let i = 0; i < count; i++) {
      // On a fixed schedule, so a late timer does not slow the rate down.
      const due = start + (i * 1000) / perSecond;
      const wait = due - clock();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      sender.send(JSON.stringify({ type: 'chat', id: `crowd-${i}`, text: `crowd ${i} ${clock().toFixed(3)}` }));
    }
    return {};
  },
  /** Once every member heard `count` lines (or `timeoutMs` passed): each one's delivery times. */
  async collect(args) {
    const count = args.count as number;
    const deadline = clock() + (args.timeoutMs as number);
    while (members.some((m) => m.ws && m.latencies.length < count) && clock() < deadline) await new Promise((r) => setTimeout(r, 20));
    return {
      latencies: members.flatMap((m) => m.latencies),
      indexes: members.flatMap((m) => m.indexes),
      missing: members.reduce((sum, m) => sum + Math.max(0, count - m.latencies.length), 0),
      outOfOrder: members.reduce((sum, m) => sum + m.outOfOrder, 0),
      rssMb: peakRssMb(),
    };
  },
  async leave() {
    await Promise.all(
      members.map(
        (m) =>
          new Promise<void>((resolve) => {
            if (!m.ws || m.ws.readyState === m.ws.CLOSED) return resolve();
            m.ws.once('close', () => resolve());
            m.ws.close(1000);
          }),
      ),
    );
    return {};
  },
});
