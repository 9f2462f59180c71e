import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config.ts';
import { createLogger } from '../logger.ts';
import { createMediaEngine } from './createMediaEngine.ts';

/** A worker binary path that exists nowhere, so mediasoup is unavailable whatever this machine has. */
const NO_WORKER = { MEDIASOUP_WORKER_BIN: '/nonexistent/mediasoup-worker' };

describe('choosing the media engine (MEDIA_ENGINE, MEDIA_WORKERS)', () => {
  it('reads MEDIA_ENGINE and MEDIA_WORKERS, defaulting to auto (mediasoup when its worker starts) and one worker per core', () => {
    const defaults = loadConfig({}).media;
    expect(defaults.engine).toBe('auto');
    expect(defaults.workers).toBeGreaterThanOrEqual(1);
    expect(loadConfig({ MEDIA_ENGINE: 'werift', MEDIA_WORKERS: '3' }).media).toMatchObject({
      engine: 'werift',
      workers: 3,
    });
    expect(() => loadConfig({ MEDIA_ENGINE: 'janus' })).toThrow(/MEDIA_ENGINE/);
    expect(() => loadConfig({ MEDIA_WORKERS: 'many' })).toThrow(/MEDIA_WORKERS/);
  });

  it('auto falls back to werift when the mediasoup worker is not available, and says so', async () => {
    const previous = process.env.MEDIASOUP_WORKER_BIN;
    process.env.MEDIASOUP_WORKER_BIN = NO_WORKER.MEDIASOUP_WORKER_BIN;
    try {
      const media = { ...loadConfig({}).media, engine: 'auto' as const };
      const engine = await createMediaEngine(media, ['127.0.0.1'], createLogger('silent'));
      expect(engine.backendName).toBe('werift');
      engine.close();
      await engine.settled();
    } finally {
      if (previous === undefined) delete process.env.MEDIASOUP_WORKER_BIN;
      else process.env.MEDIASOUP_WORKER_BIN = previous;
    }
  });

  it('MEDIA_ENGINE=mediasoup without a worker is a start-up error naming the reason', async () => {
    const previous = process.env.MEDIASOUP_WORKER_BIN;
    process.env.MEDIASOUP_WORKER_BIN = NO_WORKER.MEDIASOUP_WORKER_BIN;
    try {
      const media = { ...loadConfig({}).media, engine: 'mediasoup' as const };
      await expect(createMediaEngine(media, ['127.0.0.1'], createLogger('silent'))).rejects.toThrow(
        /MEDIA_ENGINE=mediasoup.*MEDIASOUP_WORKER_BIN/,
      );
    } finally {
      if (previous === undefined) delete process.env.MEDIASOUP_WORKER_BIN;
      else process.env.MEDIASOUP_WORKER_BIN = previous;
    }
  });

  it('MEDIA_ENGINE=werift never looks for a worker', async () => {
    const media = { ...loadConfig({}).media, engine: 'werift' as const };
    const engine = await createMediaEngine(media, ['127.0.0.1'], createLogger('silent'));
    expect(engine.backendName).toBe('werift');
    engine.close();
    await engine.settled();
  });
});
