import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Icon } from '../components/Icon.tsx';
import { useLanguageName } from '../i18n/languageName.ts';
import type { CallDetails } from './CallDetails.ts';
import type { CallDevices } from './useCall.ts';

/** localStorage key: the microphone and speaker last chosen here, tried first next time. */
export const DEVICES_KEY = 'parley.devices';

function rememberedDevices(): CallDevices {
  try {
    const saved = JSON.parse(localStorage.getItem(DEVICES_KEY) ?? '{}') as Record<string, unknown>;
    return {
      ...(typeof saved.microphoneId === 'string' ? { microphoneId: saved.microphoneId } : {}),
      ...(typeof saved.speakerId === 'string' ? { speakerId: saved.speakerId } : {}),
    };
  } catch {
    return {};
  }
}

/** The call plays through WebAudio, so a speaker can be chosen only where AudioContext has setSinkId. */
const canChooseSpeaker = typeof AudioContext !== 'undefined' && 'setSinkId' in AudioContext.prototype;

/** RMS of the analyser's current window, scaled so that speech fills most of the meter. */
function levelOf(analyser: AnalyserNode, samples: Float32Array<ArrayBuffer>): number {
  analyser.getFloatTimeDomainData(samples);
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.min(1, Math.sqrt(sum / samples.length) * 4);
}

/**
 * Before the attorney or interpreter joins: choose the microphone and the speaker, see the
 * microphone's level move, play a test sound, then join. Nothing is sent anywhere until "Join".
 */
export function PreJoin({
  details,
  onJoin,
  onCancel,
}: {
  details: CallDetails | null;
  onJoin: (devices: CallDevices) => void;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation('call');
  const languageName = useLanguageName();
  const [chosen, setChosen] = useState<CallDevices>(rememberedDevices);
  const [inputs, setInputs] = useState<MediaDeviceInfo[]>([]);
  const [outputs, setOutputs] = useState<MediaDeviceInfo[]>([]);
  const [level, setLevel] = useState(0);
  /** Why no microphone is open: the browser refused it, or none could be opened. */
  const [micError, setMicError] = useState<'microphoneBlocked' | 'microphoneMissing' | null>(null);
  const [testing, setTesting] = useState(false);
  const contextRef = useRef<AudioContext | null>(null);

  const context = useCallback(() => {
    contextRef.current ??= new AudioContext();
    if (contextRef.current.state === 'suspended') void contextRef.current.resume();
    return contextRef.current;
  }, []);

  const listDevices = useCallback(async () => {
    const all = await navigator.mediaDevices.enumerateDevices();
    setInputs(all.filter((d) => d.kind === 'audioinput'));
    setOutputs(all.filter((d) => d.kind === 'audiooutput'));
  }, []);

  // The chosen microphone, live, into a level meter. A new choice opens a new stream.
  useEffect(() => {
    let stream: MediaStream | null = null;
    let source: MediaStreamAudioSourceNode | null = null;
    let timer: ReturnType<typeof setInterval> | null = null;
    let cancelled = false;
    const wanted = chosen.microphoneId;
    navigator.mediaDevices
      .getUserMedia({ audio: wanted ? { deviceId: { exact: wanted } } : true })
      .then(async (opened) => {
        if (cancelled) {
          opened.getTracks().forEach((t) => t.stop());
          return;
        }
        stream = opened;
        setMicError(null);
        await listDevices();
        const ctx = context();
        source = ctx.createMediaStreamSource(opened);
        const analyser = ctx.createAnalyser();
        analyser.fftSize = 1024;
        source.connect(analyser);
        const samples = new Float32Array(analyser.fftSize);
        timer = setInterval(() => setLevel(levelOf(analyser, samples)), 100);
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        if (wanted && (err as Error).name === 'OverconstrainedError') {
          // The microphone chosen last time is gone: back to the default one (this effect again).
          setChosen((c) => ({ ...c, microphoneId: undefined }));
          return;
        }
        setMicError((err as Error).name === 'NotAllowedError' ? 'microphoneBlocked' : 'microphoneMissing');
      });
    return () => {
      cancelled = true;
      if (timer) clearInterval(timer);
      source?.disconnect();
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, [chosen.microphoneId, context, listDevices]);

  useEffect(() => {
    const onChange = () => void listDevices();
    navigator.mediaDevices.addEventListener('devicechange', onChange);
    return () => {
      navigator.mediaDevices.removeEventListener('devicechange', onChange);
      void contextRef.current?.close().catch(() => undefined);
      contextRef.current = null;
    };
  }, [listDevices]);

  /** A short rising chime on the chosen speaker: through WebAudio, as the call's audio will be. */
  async function playTestSound(): Promise<void> {
    const ctx = context();
    const sinkable = ctx as AudioContext & { setSinkId?: (id: string) => Promise<void> };
    if (canChooseSpeaker && sinkable.setSinkId) {
      await sinkable.setSinkId(chosen.speakerId ?? '').catch(() => undefined);
    }
    setTesting(true);
    const now = ctx.currentTime;
    [523, 659, 784].forEach((frequency, i) => {
      const oscillator = ctx.createOscillator();
      const envelope = ctx.createGain();
      oscillator.frequency.value = frequency;
      envelope.gain.setValueAtTime(0, now + i * 0.25);
      envelope.gain.linearRampToValueAtTime(0.3, now + i * 0.25 + 0.03);
      envelope.gain.linearRampToValueAtTime(0, now + i * 0.25 + 0.24);
      oscillator.connect(envelope).connect(ctx.destination);
      oscillator.start(now + i * 0.25);
      oscillator.stop(now + i * 0.25 + 0.25);
      if (i === 2) oscillator.onended = () => setTesting(false);
    });
  }

  function choose(next: CallDevices): void {
    setChosen(next);
    localStorage.setItem(DEVICES_KEY, JSON.stringify(next));
  }

  const micLabel = (d: MediaDeviceInfo, i: number) =>
    d.label || t('prejoin.microphoneNumber', { number: i + 1 });
  const speakerLabel = (d: MediaDeviceInfo, i: number) =>
    d.label || t('prejoin.speakerNumber', { number: i + 1 });

  return (
    <div className="call call-participant prejoin" lang={i18n.language}>
      <main className="prejoin-panel" aria-labelledby="prejoin-title">
        <h1 id="prejoin-title">{t('prejoin.title')}</h1>
        {details && (
          <p className="prejoin-facts">
            {t('case')} <strong className="mono">{details.caseReference}</strong> ·{' '}
            {languageName(details.language)}
          </p>
        )}
        <p className="muted-light">{t('prejoin.lede')}</p>

        <label className="prejoin-field">
          <span>
            <Icon name="mic" /> {t('prejoin.microphone')}
          </span>
          <select
            value={chosen.microphoneId ?? ''}
            onChange={(e) => choose({ ...chosen, microphoneId: e.target.value || undefined })}
          >
            <option value="">{t('prejoin.defaultMicrophone')}</option>
            {inputs
              .filter((d) => d.deviceId && d.deviceId !== 'default')
              .map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>
                  {micLabel(d, i)}
                </option>
              ))}
          </select>
        </label>
        {micError ? (
          <p className="notice error" role="alert">
            {t(`prejoin.${micError}`)}
          </p>
        ) : (
          <div className="prejoin-meter">
            <span id="prejoin-level">{t('prejoin.speak')}</span>
            <meter aria-labelledby="prejoin-level" min={0} max={1} low={0.05} value={level} />
          </div>
        )}

        {canChooseSpeaker && outputs.length > 0 ? (
          <label className="prejoin-field">
            <span>{t('prejoin.speaker')}</span>
            <select
              value={chosen.speakerId ?? ''}
              onChange={(e) => choose({ ...chosen, speakerId: e.target.value || undefined })}
            >
              <option value="">{t('prejoin.defaultSpeaker')}</option>
              {outputs
                .filter((d) => d.deviceId && d.deviceId !== 'default')
                .map((d, i) => (
                  <option key={d.deviceId} value={d.deviceId}>
                    {speakerLabel(d, i)}
                  </option>
                ))}
            </select>
          </label>
        ) : (
          <p className="small muted-light">{t('prejoin.systemSpeaker')}</p>
        )}
        <button
          type="button"
          className="button call-big"
          onClick={() => void playTestSound()}
          disabled={testing}
        >
          {testing ? t('prejoin.playingTest') : t('prejoin.playTest')}
        </button>

        <div className="prejoin-actions">
          <button type="button" className="button primary call-big" onClick={() => onJoin(chosen)}>
            {t('prejoin.join')}
          </button>
          <button type="button" className="button ghost call-big" onClick={onCancel}>
            {t('backToSchedule')}
          </button>
        </div>
      </main>
    </div>
  );
}
