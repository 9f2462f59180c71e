/**
 * The media engine alone in a child process, driven over IPC by the benchmark: rooms,
 * participants (offer/answer), routing changes, and its own CPU and memory. The benchmark pins
 * it to one core; the engine API is what signalling calls, without the database and socket.io.
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { pino } from 'pino';
import type { RoutingParticipant, RoutingState } from '@parley/shared';
import { MediaEngine } from '../../server/src/media/MediaEngine.ts';
import { WeriftBackend } from '../../server/src/media/werift/WeriftBackend.ts';

export type ServerRequest =
  | { op: 'join'; roomId: string; participant: RoutingParticipant }
  | { op: 'answer'; roomId: string; participantId: string; sdp: string }
  | { op: 'routing'; roomId: string; state: RoutingState }
  | { op: 'usage'; gc: boolean }
  | { op: 'stalls'; reset: boolean }
  | { op: 'closeRoom'; roomId: string };

const audioPath = process.argv.includes('--audio-path=werift') ? 'werift' : 'lean';

const logger = pino({ level: 'silent' });
const engine = new MediaEngine(
  new WeriftBackend({ logger, ice: { listenAddresses: ['127.0.0.1'] }, audioPath }),
  { logger, video: false },
);

/** Where the tail comes from: how late the event loop ran, and how long collections paused it. */
const loopDelay = monitorEventLoopDelay({ resolution: 2 });
loopDelay.enable();
const gcPauses: number[] = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcPauses.push(entry.duration);
}).observe({ entryTypes: ['gc'] });

export interface ServerStalls {
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  gcCount: number;
  gcTotalMs: number;
  gcMaxMs: number;
}

function stalls(reset: boolean): ServerStalls {
  const result = {
    loopDelayP99Ms: loopDelay.percentile(99) / 1e6,
    loopDelayMaxMs: loopDelay.max / 1e6,
    gcCount: gcPauses.length,
    gcTotalMs: gcPauses.reduce((a, b) => a + b, 0),
    gcMaxMs: Math.max(0, ...gcPauses),
  };
  if (reset) {
    loopDelay.reset();
    gcPauses.length = 0;
  }
  return result;
}

async function handle(request: ServerRequest): Promise<unknown> {
  switch (request.op) {
    case 'join': {
      const room = engine.getRoom(request.roomId) ?? engine.createRoom(request.roomId);
      const negotiation = await room.addParticipant(request.participant, {}).negotiated;
      if (negotiation.kind !== 'sdp') throw new Error(`unexpected ${negotiation.kind} negotiation`);
      return negotiation.offer.sdp;
    }
    case 'answer': {
      const participant = engine.getRoom(request.roomId)?.getParticipant(request.participantId);
      if (!participant) throw new Error('no such participant');
      await participant.negotiate({ step: 'answer', answer: { type: 'answer', sdp: request.sdp } });
      return null;
    }
    case 'routing':
      return (await engine.getRoom(request.roomId)?.setRouting(request.state))?.version ?? null;
    case 'usage': {
      if (request.gc) {
        const gc = (globalThis as { gc?: () => void }).gc;
        gc?.();
        gc?.();
      }
      return { cpu: process.cpuUsage(), memory: process.memoryUsage() };
    }
    case 'stalls':
      return stalls(request.reset);
    case 'closeRoom':
      engine.getRoom(request.roomId)?.close();
      await engine.settled();
      return null;
  }
}

process.on('message', (message: { id: number; request: ServerRequest }) => {
  handle(message.request).then(
    (result) => process.send?.({ id: message.id, result }),
    (error: unknown) => process.send?.({ id: message.id, error: String(error) }),
  );
});
process.on('disconnect', () => {
  engine.close();
  process.exit(0);
});
process.send?.({ ready: true });
