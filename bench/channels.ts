/**
 * The language-channel routing plan's cost (issue 17): how long `planChannelRouting` takes for
 * relay and booth-partner calls against the single-interpreter plan of today's calls, as the
 * server pays it on every routing change (a light switch, a relay input, a handover). Pure CPU, no
 * media: one core, one process.
 *
 *   npx tsx bench/channels.ts           # ~15 s
 *   npx tsx bench/channels.ts --quick   # ~2 s (no timing assertions)
 *
 * One JSON line per case on stdout: the median plan time in microseconds over `batches` batches
 * (each `perBatch` plans, after a warm-up), its p90, and the ratio to the single-interpreter plan.
 */
import { performance } from 'node:perf_hooks';
import {
  planAudioRouting,
  planChannelRouting,
  type InterpretationMode,
  type InterpreterChannel,
  type RoutingParticipant,
  type Sidebar,
} from '../shared/src/index.ts';
import { emit, median, note, quantile } from './media/support.ts';

const quick = process.argv.includes('--quick');
const BATCHES = quick ? 7 : 41;
const PER_BATCH = quick ? 500 : 4000;
const WARM_UP = quick ? 1000 : 20_000;

const attorney: RoutingParticipant = { id: 'attorney', role: 'ATTORNEY', language: 'en' };
const client: RoutingParticipant = { id: 'client', role: 'CLIENT', language: 'mam' };
const spanishClient: RoutingParticipant = { id: 'client', role: 'CLIENT', language: 'es' };
const spanish: RoutingParticipant = { id: 'spanish', role: 'INTERPRETER', language: 'es' };
const partner: RoutingParticipant = { id: 'partner', role: 'INTERPRETER', language: 'es' };
const mam: RoutingParticipant = { id: 'mam', role: 'INTERPRETER', language: 'mam' };
const staff: RoutingParticipant = { id: 'staff', role: 'STAFF', language: 'en' };

const relay = (fromId: string) => ({ kind: 'RELAY', fromId }) as const;
const FLOOR = { kind: 'FLOOR' } as const;

interface Case {
  name: string;
  participants: RoutingParticipant[];
  mode: InterpretationMode;
  interpreters: InterpreterChannel[];
  sidebars: Sidebar[];
  originalLevels?: Record<string, number>;
  /** The single-interpreter plan of today's calls (planAudioRouting without channels). */
  legacy?: boolean;
}

const CASES: Case[] = [
  {
    name: 'single interpreter (planAudioRouting, no channels)',
    participants: [attorney, spanish, spanishClient],
    mode: 'SIMULTANEOUS',
    interpreters: [],
    sidebars: [],
    legacy: true,
  },
  {
    name: 'single interpreter (planChannelRouting)',
    participants: [attorney, spanish, spanishClient],
    mode: 'SIMULTANEOUS',
    interpreters: [{ id: 'spanish', pair: ['en', 'es'], input: FLOOR, renderingInto: 'es', live: true }],
    sidebars: [],
  },
  {
    name: 'relay en-es-mam, four participants',
    participants: [attorney, spanish, mam, client],
    mode: 'SIMULTANEOUS',
    interpreters: [
      { id: 'spanish', pair: ['en', 'es'], input: FLOOR, renderingInto: 'es', live: true },
      { id: 'mam', pair: ['es', 'mam'], input: relay('spanish'), renderingInto: 'mam', live: true },
    ],
    sidebars: [],
    originalLevels: { attorney: 0.4, client: 0.1 },
  },
  {
    name: 'relay with the sidebar of attorney and Spanish interpreter',
    participants: [attorney, spanish, mam, client],
    mode: 'SIMULTANEOUS',
    interpreters: [
      { id: 'spanish', pair: ['en', 'es'], input: FLOOR, renderingInto: 'es', live: true },
      { id: 'mam', pair: ['es', 'mam'], input: relay('spanish'), renderingInto: 'mam', live: true },
    ],
    sidebars: [{ id: 's', memberIds: ['attorney', 'spanish'] }],
  },
  {
    name: 'booth partners en-es, four participants',
    participants: [attorney, spanish, partner, spanishClient],
    mode: 'SIMULTANEOUS',
    interpreters: [
      { id: 'spanish', pair: ['en', 'es'], input: FLOOR, renderingInto: 'es', live: true },
      { id: 'partner', pair: ['en', 'es'], input: FLOOR, renderingInto: null, live: false },
    ],
    sidebars: [],
  },
  {
    name: 'relay and booth partners, five participants and staff',
    participants: [attorney, spanish, partner, mam, client, staff],
    mode: 'SIMULTANEOUS',
    interpreters: [
      { id: 'spanish', pair: ['en', 'es'], input: FLOOR, renderingInto: 'es', live: true },
      { id: 'partner', pair: ['en', 'es'], input: FLOOR, renderingInto: null, live: false },
      { id: 'mam', pair: ['es', 'mam'], input: relay('spanish'), renderingInto: 'mam', live: true },
    ],
    sidebars: [],
    originalLevels: { attorney: 0.3 },
  },
];

function plan(c: Case) {
  return c.legacy
    ? planAudioRouting(c.participants, c.mode, { renderingInto: 'es' }, c.sidebars)
    : planChannelRouting({
        participants: c.participants,
        mode: c.mode,
        interpreters: c.interpreters,
        sidebars: c.sidebars,
        ...(c.originalLevels ? { originalLevels: c.originalLevels } : {}),
      });
}

/** Microseconds per plan, one figure per batch; a checksum keeps the work from being optimised away. */
function measure(c: Case): { perPlanUs: number[]; routes: number; checksum: number } {
  let checksum = 0;
  for (let i = 0; i < WARM_UP; i++) checksum += plan(c).routes.length;
  const perPlanUs: number[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const start = performance.now();
    for (let i = 0; i < PER_BATCH; i++) checksum += plan(c).routes.length;
    perPlanUs.push(((performance.now() - start) * 1000) / PER_BATCH);
  }
  return { perPlanUs, routes: plan(c).routes.length, checksum };
}

function main(): void {
  note(`channels: ${CASES.length} cases, ${BATCHES} batches of ${PER_BATCH} plans${quick ? ' (quick)' : ''}`);
  // Interleaved rounds, so a burst of load elsewhere on the machine hits every case alike.
  const samples = new Map<string, number[]>(CASES.map((c) => [c.name, []]));
  const routes = new Map<string, number>();
  const rounds = quick ? 1 : 3;
  for (let r = 0; r < rounds; r++) {
    for (const c of CASES) {
      const m = measure(c);
      samples.get(c.name)!.push(...m.perPlanUs);
      routes.set(c.name, m.routes);
      if (m.checksum === 0) throw new Error('no plans were made');
    }
  }
  const baseline = median(samples.get(CASES[1]!.name)!);
  for (const c of CASES) {
    const values = samples.get(c.name)!;
    const medianUs = median(values);
    emit({
      figure: 'channel plan time',
      case: c.name,
      participants: c.participants.length,
      routes: routes.get(c.name)!,
      medianUs,
      p90Us: quantile(values, 0.9),
      ratioToSingleInterpreter: medianUs / baseline,
      batches: values.length,
      plansPerBatch: PER_BATCH,
    });
  }
}

main();
