import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  rmSync,
  statSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { SessionEventInput, SessionEventPayload } from './appendSessionEvent.ts';

/** One journaled event: its place in recording order and the event itself (with its id). */
export interface JournalEntry {
  ticket: number;
  event: SessionEventInput & { id: string };
}

const CHUNK_BYTES = 1 << 20;

/**
 * The session log writer's overflow on disk: when the database has been unreachable long enough
 * that the in-memory queue is full, further events are appended here (one JSON line each, in
 * recording order) and read back in the same order once the database returns. The file survives a
 * restart: a writer that finds one replays it first (events already stored are recognised by id).
 *
 * Synchronous file I/O on purpose: an append must be on disk before record() returns, and it only
 * happens during an outage.
 */
export class SessionLogJournal {
  /** Byte offset of the first line not yet read back. */
  private readOffset = 0;
  /** Bytes read past the last complete line (kept as bytes: a chunk may end inside a character). */
  private carry = Buffer.alloc(0);
  private unread = 0;

  constructor(readonly path: string) {
    if (existsSync(path)) this.unread = countLines(path);
  }

  /** Entries appended and not yet read back. */
  get pending(): number {
    return this.unread;
  }

  append(entry: JournalEntry): void {
    if (this.unread === 0 && this.readOffset === 0) mkdirSync(dirname(this.path), { recursive: true });
    appendFileSync(this.path, `${JSON.stringify(entry)}\n`, { mode: 0o600 });
    this.unread++;
  }

  /** Reads back up to `max` entries, oldest first. */
  read(max: number): JournalEntry[] {
    const entries: JournalEntry[] = [];
    if (this.unread === 0 || max <= 0) return entries;
    const fd = openSync(this.path, 'r');
    try {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      while (entries.length < max && this.unread > 0) {
        const newline = this.carry.indexOf(0x0a);
        if (newline >= 0) {
          const line = this.carry.subarray(0, newline).toString('utf8');
          this.carry = this.carry.subarray(newline + 1);
          this.unread--;
          entries.push(parseEntry(line));
          continue;
        }
        const bytes = readSync(fd, buffer, 0, CHUNK_BYTES, this.readOffset);
        if (bytes === 0) break;
        this.readOffset += bytes;
        this.carry = Buffer.concat([this.carry, buffer.subarray(0, bytes)]);
      }
    } finally {
      closeSync(fd);
    }
    return entries;
  }

  /** Removes the file once everything in it has been read back (and stored). */
  clearIfDrained(): void {
    if (this.unread > 0) return;
    rmSync(this.path, { force: true });
    this.readOffset = 0;
    this.carry = Buffer.alloc(0);
  }
}

function parseEntry(line: string): JournalEntry {
  const raw = JSON.parse(line) as {
    ticket: number;
    event: Omit<SessionEventInput, 'occurredAt'> & {
      id: string;
      occurredAt: string;
      payload: SessionEventPayload;
    };
  };
  return { ticket: raw.ticket, event: { ...raw.event, occurredAt: new Date(raw.event.occurredAt) } };
}

function countLines(path: string): number {
  if (statSync(path).size === 0) return 0;
  const fd = openSync(path, 'r');
  let lines = 0;
  try {
    const buffer = Buffer.alloc(CHUNK_BYTES);
    let offset = 0;
    for (;;) {
      const bytes = readSync(fd, buffer, 0, CHUNK_BYTES, offset);
      if (bytes === 0) break;
      offset += bytes;
      for (let i = 0; i < bytes; i++) if (buffer[i] === 0x0a) lines++;
    }
  } finally {
    closeSync(fd);
  }
  return lines;
}
