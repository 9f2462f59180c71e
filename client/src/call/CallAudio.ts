/**
 * Plays each speaker's received audio through WebAudio at the gain the routing plan gives this
 * listener (the SFU forwards packets; ducking happens here). Also measures what is played per
 * speaker, for the level meters and for tests that check who hears whom.
 */
export class CallAudio {
  private readonly context = new AudioContext({ latencyHint: 'interactive' });
  private readonly speakers = new Map<
    string,
    {
      track: MediaStreamTrack;
      source: MediaStreamAudioSourceNode;
      gain: GainNode;
      analyser: AnalyserNode;
      sink: HTMLAudioElement;
    }
  >();
  private gains: Record<string, number> = {};

  /** Browsers start audio only after a user gesture; call from a click handler. */
  resume(): Promise<void> {
    return this.context.state === 'suspended' ? this.context.resume() : Promise.resolve();
  }

  /**
   * Plays through the audio output `sinkId` where the browser lets a page choose one
   * (`AudioContext.setSinkId`, Chromium); elsewhere the system's output. True when applied.
   */
  async setSinkId(sinkId: string): Promise<boolean> {
    const context = this.context as AudioContext & { setSinkId?: (id: string) => Promise<void> };
    if (!context.setSinkId) return false;
    return context.setSinkId(sinkId).then(
      () => true,
      () => false,
    );
  }

  attach(speakerId: string, track: MediaStreamTrack): void {
    if (this.speakers.get(speakerId)?.track === track) return;
    this.detach(speakerId);
    const stream = new MediaStream([track]);
    // Chromium delivers remote WebRTC audio to WebAudio only while an element also consumes it.
    const sink = new Audio();
    sink.muted = true;
    sink.srcObject = stream;
    void sink.play().catch(() => undefined);
    const source = this.context.createMediaStreamSource(stream);
    const gain = this.context.createGain();
    gain.gain.value = this.gains[speakerId] ?? 0;
    const analyser = this.context.createAnalyser();
    analyser.fftSize = 2048;
    source.connect(gain).connect(analyser).connect(this.context.destination);
    this.speakers.set(speakerId, { track, source, gain, analyser, sink });
  }

  /** Detaches every speaker not in `speakerIds` (they left, or their slot carries someone else). */
  retain(speakerIds: readonly string[]): void {
    const keep = new Set(speakerIds);
    for (const id of [...this.speakers.keys()]) if (!keep.has(id)) this.detach(id);
  }

  detach(speakerId: string): void {
    const speaker = this.speakers.get(speakerId);
    if (!speaker) return;
    speaker.source.disconnect();
    speaker.gain.disconnect();
    speaker.analyser.disconnect();
    speaker.sink.srcObject = null;
    this.speakers.delete(speakerId);
  }

  /** Gains by speaker id; a speaker absent from the map is silent (and not being sent anyway). */
  setGains(gains: Record<string, number>): void {
    this.gains = gains;
    const now = this.context.currentTime;
    for (const [speakerId, speaker] of this.speakers) {
      // A short ramp avoids clicks when the interpreter flips the switch.
      speaker.gain.gain.setTargetAtTime(gains[speakerId] ?? 0, now, 0.015);
    }
  }

  /** RMS level (0..1) of what is played from a speaker. */
  level(speakerId: string): number {
    const speaker = this.speakers.get(speakerId);
    if (!speaker) return 0;
    const samples = new Float32Array(speaker.analyser.fftSize);
    speaker.analyser.getFloatTimeDomainData(samples);
    let sum = 0;
    for (const s of samples) sum += s * s;
    return Math.sqrt(sum / samples.length);
  }

  /** The loudest frequency (Hz) in what is played from a speaker, or null when silent. */
  dominantFrequency(speakerId: string): number | null {
    const speaker = this.speakers.get(speakerId);
    if (!speaker) return null;
    const bins = new Float32Array(speaker.analyser.frequencyBinCount);
    speaker.analyser.getFloatFrequencyData(bins);
    let best = -Infinity;
    let bestIndex = -1;
    bins.forEach((db, i) => {
      if (db > best) {
        best = db;
        bestIndex = i;
      }
    });
    if (bestIndex < 0 || best < -70) return null;
    return (bestIndex * this.context.sampleRate) / speaker.analyser.fftSize;
  }

  /** A short two-note chime: someone joined. */
  chime(): void {
    const now = this.context.currentTime;
    [660, 880].forEach((frequency, i) => {
      const oscillator = this.context.createOscillator();
      const envelope = this.context.createGain();
      oscillator.frequency.value = frequency;
      envelope.gain.setValueAtTime(0, now + i * 0.15);
      envelope.gain.linearRampToValueAtTime(0.15, now + i * 0.15 + 0.02);
      envelope.gain.linearRampToValueAtTime(0, now + i * 0.15 + 0.14);
      oscillator.connect(envelope).connect(this.context.destination);
      oscillator.start(now + i * 0.15);
      oscillator.stop(now + i * 0.15 + 0.15);
    });
  }

  close(): void {
    for (const id of [...this.speakers.keys()]) this.detach(id);
    void this.context.close().catch(() => undefined);
  }
}
