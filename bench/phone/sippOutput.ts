/**
 * What sipp writes, read back: its statistics (`-trace_stat`, `<scenario>_<pid>_.csv`), its
 * per-message counts (`-trace_counts`, `…_counts.csv`) and its response times (`-trace_rtt`,
 * `…_rtt.csv`). All are semicolon-separated with a header line; the last row of the first two is
 * the cumulative one at exit. Pure, so the benchmark's figures rest on tested parsing, not on
 * regular expressions over the screen.
 */

/** The rows of a sipp CSV as records keyed by the header's names (empty trailing columns dropped). */
export function parseSippCsv(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines[0]?.split(';');
  if (!header) return [];
  return lines.slice(1).map((line) => {
    const values = line.split(';');
    const row: Record<string, string> = {};
    header.forEach((name, i) => {
      if (name !== '') row[name] = values[i] ?? '';
    });
    return row;
  });
}

/** Call results at exit, from `-trace_stat`'s last row. */
export interface SippCallTotals {
  created: number;
  successful: number;
  failed: number;
  /** Failed because an expected message did not come in time (what silence looks like). */
  failedTimeoutOnRecv: number;
  failedUnexpectedMessage: number;
  deadCallMessages: number;
}

export function callTotals(statCsv: string): SippCallTotals | undefined {
  const last = parseSippCsv(statCsv).at(-1);
  if (!last) return undefined;
  const n = (name: string) => {
    const value = Number(last[name]);
    return Number.isFinite(value) ? value : NaN;
  };
  return {
    created: n('TotalCallCreated'),
    successful: n('SuccessfulCall(C)'),
    failed: n('FailedCall(C)'),
    failedTimeoutOnRecv: n('FailedTimeoutOnRecv(C)'),
    failedUnexpectedMessage: n('FailedUnexpectedMessage(C)'),
    deadCallMessages: n('DeadCallMsgs(C)'),
  };
}

/** One scenario step's counter at exit: `3_200_Recv` is step 3, message 200, received. */
export interface SippMessageCount {
  step: number;
  message: string;
  counter: string;
  value: number;
}

export function messageCounts(countsCsv: string): SippMessageCount[] {
  const last = parseSippCsv(countsCsv).at(-1);
  if (!last) return [];
  const counts: SippMessageCount[] = [];
  for (const [name, value] of Object.entries(last)) {
    const match = /^(\d+)_([^_]+)_(\w+)$/.exec(name);
    if (!match) continue;
    counts.push({ step: Number(match[1]), message: match[2]!, counter: match[3]!, value: Number(value) });
  }
  return counts.sort((a, b) => a.step - b.step);
}

/** How many times `message` was received at its first step in the scenario (e.g. the INVITE's 200). */
export function firstReceived(counts: readonly SippMessageCount[], message: string): number {
  const first = counts.find((c) => c.message === message && c.counter === 'Recv');
  return first?.value ?? 0;
}

/** Response times in ms from `-trace_rtt` (`Date_ms;response_time_ms;rtd_no`). */
export function responseTimes(rttCsv: string): number[] {
  return parseSippCsv(rttCsv)
    .map((row) => Number(row.response_time_ms))
    .filter((v) => Number.isFinite(v));
}
