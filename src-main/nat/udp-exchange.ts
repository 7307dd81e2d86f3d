// One UDP request/reply exchange with a router (PCP or NAT-PMP), run in the UPnP child: sends,
// retransmits on a schedule, and takes the first datagram the decoder accepts as the answer.
import { createSocket } from 'node:dgram';
import { GatewayError } from './gateway-error';
import { sameAddress } from './ip-bytes';

/** Retransmission: PCP per RFC 6887 §8.1.1 (3 s, doubling, ±10 % jitter); NAT-PMP per RFC 6886 §3.1. */
export type RetransmitSchedule = 'pcp' | 'nat-pmp';

const MAX_IGNORED_REPLIES = 256;
const NATPMP_TRIES = 9;

/** The wait before each (re)transmission after the first; unbounded for PCP (the deadline ends it). */
export function retransmitDelays(schedule: RetransmitSchedule, random: () => number = Math.random): () => number | undefined {
  let previous = 0;
  let sent = 1;
  return () => {
    if (schedule === 'nat-pmp') return sent++ < NATPMP_TRIES ? 250 * 2 ** (sent - 2) : undefined;
    const rand = (random() * 2 - 1) * 0.1;
    previous = previous === 0 ? (1 + rand) * 3000 : (1 + rand) * Math.min(2 * previous, 1024_000);
    return previous;
  };
}

function unusable(server: string, problem: string): string {
  return `Only unusable replies came to the request sent to ${server} (the last was ${problem}).`;
}

export interface ExchangeOptions<T> {
  family: 4 | 6;
  /** Our source address: PCP servers check it against the address in the request. */
  bindAddress: string;
  server: string;
  port: number;
  message: Buffer;
  schedule: RetransmitSchedule;
  deadline: number;
  /** Returns the answer, or a reason why this datagram is not one (then we keep waiting). */
  decode: (reply: Buffer) => T | { ignored: string };
}

/** Resolves with the first accepted reply; rejects 'no-gateway' on silence, 'bad-gateway' on only-bad replies. */
export function exchange<T>(o: ExchangeOptions<T>): Promise<T> {
  const socket = createSocket({ type: o.family === 4 ? 'udp4' : 'udp6' });
  let ignored = 0;
  let lastProblem: string | undefined;
  const delays = retransmitDelays(o.schedule);
  return new Promise<T>((resolve, reject) => {
    let done = false;
    let resend: NodeJS.Timeout | undefined;
    const finish = (result: { ok: T } | { error: GatewayError }) => {
      if (done) return;
      done = true;
      clearTimeout(resend);
      clearTimeout(timer);
      socket.removeAllListeners('message');
      try {
        socket.close();
      } catch {
        /* already closed */
      }
      if ('ok' in result) resolve(result.ok);
      else reject(result.error);
    };
    const timer = setTimeout(
      () =>
        finish({
          error: lastProblem
            ? new GatewayError('bad-gateway', unusable(o.server, lastProblem))
            : new GatewayError('no-gateway', `Nothing answered at ${o.server} port ${o.port}.`),
        }),
      Math.max(0, o.deadline - Date.now()),
    );

    const send = () => {
      if (done) return;
      // No route or an unreachable router is the same as silence: keep trying until the deadline.
      socket.send(o.message, o.port, o.server, () => undefined);
      const wait = delays();
      if (wait !== undefined) resend = setTimeout(send, wait);
    };

    socket.on('error', (err: NodeJS.ErrnoException) => {
      finish({ error: new GatewayError('internal', `Cannot use ${o.bindAddress} for the request (${err.code ?? err.message}).`) });
    });
    socket.on('message', (reply, remote) => {
      let problem: string;
      if (remote.port !== o.port || !sameAddress(remote.address, o.server)) problem = 'a reply from another address or port';
      else {
        const decoded = o.decode(reply);
        if (!(decoded && typeof decoded === 'object' && 'ignored' in decoded)) return finish({ ok: decoded });
        problem = decoded.ignored;
      }
      lastProblem = problem;
      if (++ignored >= MAX_IGNORED_REPLIES) {
        finish({ error: new GatewayError('bad-gateway', unusable(o.server, problem)) });
      }
    });
    socket.bind(0, o.bindAddress, send);
  });
}
