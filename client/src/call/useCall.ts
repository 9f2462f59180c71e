import { useCallback, useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type {
  Ack,
  BackChannelNote,
  CallEndReason,
  HandoverMessage,
  InterpreterInput,
  CallState,
  CallTicket,
  ClientToServerEvents,
  ErrorCode,
  JoinResult,
  LanguageCode,
  ListenerRouting,
  MediaRestartResult,
  ServerToClientEvents,
  MediaNegotiation,
  ProduceResult,
} from '@parley/shared';
import { ConsumersMessageSchema } from '@parley/shared';
import { CallAudio } from './CallAudio.ts';
import { NO_ANSWER, recoveryAfter, STEP_ANSWER_TIMEOUT_MS } from './callRecovery.ts';
import { createMediaSession } from './media/createMediaSession.ts';
import type { MediaSession, MediaSignalling } from './media/MediaSession.ts';
import { SdpSession } from './media/SdpSession.ts';

type CallSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** localStorage key: 'on' sends the microphone without echo cancellation or noise suppression. */
export const ORIGINAL_SOUND_KEY = 'parley.originalSound';

/**
 * `replaced`: the same person opened the call elsewhere (another window or device, another kiosk
 * screen); this page stays out until `takeBack`. `left`: this person left a call that goes on; they
 * may `rejoin` while it lasts.
 */
export type CallPhase = 'joining' | 'in-call' | 'reconnecting' | 'replaced' | 'left' | 'ended' | 'failed';

/** The devices chosen before joining (the pre-join screen); absent means the browser's default. */
export interface CallDevices {
  microphoneId?: string;
  /** An audio output (`setSinkId`), where the browser can choose one. */
  speakerId?: string;
}

export interface CallFailure {
  code: ErrorCode | 'MEDIA_DENIED' | 'NETWORK';
  message: string;
}

export interface CallController {
  phase: CallPhase;
  failure: CallFailure | null;
  participantId: string | null;
  state: CallState | null;
  routing: ListenerRouting | null;
  endedReason: CallEndReason | null;
  muted: { audio: boolean; video: boolean };
  /** Remote video by speaker id. */
  videos: Record<string, MediaStream>;
  localVideo: MediaStream | null;
  pauseRequestedAt: number | null;
  timeWarning: boolean;
  toggleAudio(): void;
  toggleVideo(): Promise<void>;
  setInterpretation(mode: CallState['mode'], renderingInto: LanguageCode | null): Promise<void>;
  setSidebar(active: boolean): Promise<void>;
  /** Interpreters: ask the speaker (`speakerId`, else whoever speaks now) to pause. */
  pleasePause(speakerId?: string): Promise<void>;
  /** The attorney or client: acknowledge, with one tap, a "please pause" asked of them. */
  acknowledgePause(requestId: string): Promise<void>;
  /** Interpreters (issue 17): what they work from, the channel they speak into, booth handover. */
  setInterpreterInput(input: InterpreterInput): Promise<void>;
  setInterpreterOutput(renderingInto: LanguageCode | null): Promise<void>;
  handover(action: HandoverMessage['action']): Promise<void>;
  /** The interpreters' private notes: sent, and received ones kept on this page only, never stored. */
  sendBackChannel(text: string): Promise<void>;
  backChannelNotes: BackChannelNote[];
  /** When the server last warned that this interpreter and a booth partner are both live. */
  bothLiveWarnedAt: number | null;
  /** Attorney and client: how loud the original speaker stays under their channel, 0–100. */
  setOriginalLevel(level: number): Promise<void>;
  leave(): Promise<void>;
  endCall(): Promise<void>;
  /** After `replaced`: joins again here, which moves the call back to this page. */
  takeBack(): void;
  /** After `left`: joins the same call again, if it is still going. */
  rejoin(): void;
}

/** A retry of a join or a media restart waits this long. */
const RETRY_MS = 2000;
const MAX_RETRY_MS = 30_000;

function emitWithAck<T>(
  socket: CallSocket,
  send: (ack: (result: Ack<T>) => void) => void,
  timeoutMs = 15_000,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(Object.assign(new Error('The server did not answer'), { code: NO_ANSWER })),
      timeoutMs,
    );
    send((result) => {
      clearTimeout(timer);
      if (result.ok) resolve(result.data);
      else reject(Object.assign(new Error(result.error.message), { code: result.error.code }));
    });
  });
}

const codeOf = (err: unknown): string | undefined => (err as { code?: string }).code;

/**
 * One participant's side of a call: the signalling socket, the media session with the SFU (of the
 * kind the server's engine negotiates: media/createMediaSession.ts), the microphone and camera, and
 * the routing plan applied to what is heard. Rejoins by itself after a
 * dropped connection or a page reload, with a fresh ticket from `getTicket`; asks for a new media
 * connection on the same socket when ICE fails; and stops, releasing microphone and camera, when the
 * server says the call was opened elsewhere by the same person.
 */
export function useCall(
  firstTicket: CallTicket,
  getTicket: () => Promise<CallTicket>,
  devices: CallDevices = {},
): CallController {
  const [phase, setPhase] = useState<CallPhase>('joining');
  const [failure, setFailure] = useState<CallFailure | null>(null);
  const [participantId, setParticipantId] = useState<string | null>(null);
  const [state, setState] = useState<CallState | null>(null);
  const [routing, setRouting] = useState<ListenerRouting | null>(null);
  const [endedReason, setEndedReason] = useState<CallEndReason | null>(null);
  const [muted, setMuted] = useState({ audio: false, video: true });
  const [videos, setVideos] = useState<Record<string, MediaStream>>({});
  const [localVideo, setLocalVideo] = useState<MediaStream | null>(null);
  const [backChannelNotes, setBackChannelNotes] = useState<BackChannelNote[]>([]);
  const [bothLiveWarnedAt, setBothLiveWarnedAt] = useState<number | null>(null);
  const [pauseRequestedAt, setPauseRequestedAt] = useState<number | null>(null);
  const [timeWarning, setTimeWarning] = useState(false);

  const socketRef = useRef<CallSocket | null>(null);
  const sessionRef = useRef<MediaSession | null>(null);
  const micRef = useRef<MediaStreamTrack | null>(null);
  const cameraRef = useRef<MediaStreamTrack | null>(null);
  const routingRef = useRef<ListenerRouting | null>(null);
  const mutedRef = useRef(muted);
  const endedRef = useRef(false);
  /** The server moved the call to a newer join of the same person: no reconnecting by ourselves. */
  const replacedRef = useRef(false);
  /** A ticket not yet used: each joins once, so a rejoin fetches a new one. */
  const unusedTicketRef = useRef<CallTicket | null>(firstTicket);
  const iceServersRef = useRef(firstTicket.iceServers);
  /** Chosen before joining; a change during the call would need a new microphone track. */
  const devicesRef = useRef(devices);

  const role = firstTicket.participant.role;

  /** Received tracks by mid, as the routing plan names them; the plan says who each one carries now. */
  const receivedRef = useRef(new Map<string, MediaStreamTrack>());

  /** Connects each received track to the speaker the current plan puts on it. */
  const syncTracks = useCallback((callAudio: CallAudio) => {
    const plan = routingRef.current;
    if (!plan) return;
    const nextVideos: Record<string, MediaStream> = {};
    for (const entry of plan.tracks) {
      const track = receivedRef.current.get(entry.mid);
      if (!track) continue;
      if (entry.kind === 'audio') callAudio.attach(entry.speakerId, track);
      else nextVideos[entry.speakerId] = new MediaStream([track]);
    }
    callAudio.retain(plan.tracks.filter((t) => t.kind === 'audio').map((t) => t.speakerId));
    setVideos(nextVideos);
  }, []);

  const applyRouting = useCallback(
    (next: ListenerRouting, callAudio: CallAudio) => {
      if (routingRef.current && routingRef.current.version > next.version) return;
      routingRef.current = next;
      setRouting(next);
      syncTracks(callAudio);
      const gains: Record<string, number> = {};
      for (const track of next.tracks)
        if (track.kind === 'audio' && track.sent) gains[track.speakerId] = track.gain;
      callAudio.setGains(gains);
    },
    [syncTracks],
  );

  useEffect(() => {
    endedRef.current = false;
    replacedRef.current = false;
    const callAudio = new CallAudio();
    if (devicesRef.current.speakerId) void callAudio.setSinkId(devicesRef.current.speakerId);
    const socket: CallSocket = io('/call', { transports: ['websocket'], reconnectionDelayMax: 2000 });
    socketRef.current = socket;
    let disposed = false;
    /** Counts signalling connections: an answer that comes back on an earlier one is stale. */
    let connection = 0;
    /** The connection a join is being sent on: one join per connection at a time. */
    let joiningOn: number | null = null;
    let restarting = false;
    /** Retries since the last success, for the back-off. */
    let retries = 0;

    /** Nothing from an attempt made on connection `made` may change the page any more. */
    const stale = (made: number) =>
      disposed || endedRef.current || replacedRef.current || made !== connection;

    async function microphone(): Promise<MediaStreamTrack | null> {
      if (role === 'STAFF') return null;
      if (micRef.current?.readyState === 'live') return micRef.current;
      // "Original sound" (interpreters on good headsets, and the tone tests) turns processing off:
      // noise suppression treats steady tones and some voices as noise.
      const processing = localStorage.getItem(ORIGINAL_SOUND_KEY) !== 'on';
      const chosen = devicesRef.current.microphoneId;
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: {
          echoCancellation: processing,
          noiseSuppression: processing,
          autoGainControl: processing,
          ...(chosen ? { deviceId: { exact: chosen } } : {}),
        },
      });
      micRef.current = stream.getAudioTracks()[0] ?? null;
      if (micRef.current) micRef.current.enabled = !mutedRef.current.audio;
      return micRef.current;
    }

    /** The negotiation's client steps, over this socket. */
    const signalling: MediaSignalling = {
      answer: (sdp) =>
        emitWithAck<null>(socket, (ack) =>
          socket.emit('answer', { answer: { type: 'answer', sdp } }, ack),
        ).then(() => undefined),
      candidate: (candidate) => {
        socket.emit('candidate', { candidate: candidate as never }, () => undefined);
      },
      connectTransport: (message) =>
        emitWithAck<null>(socket, (ack) => socket.emit('connectTransport', message, ack)).then(
          () => undefined,
        ),
      produce: (message) => emitWithAck<ProduceResult>(socket, (ack) => socket.emit('produce', message, ack)),
      receiveCapabilities: (message) =>
        emitWithAck<null>(socket, (ack) => socket.emit('receiveCapabilities', message, ack)).then(
          () => undefined,
        ),
      onConsumers: (listener) => {
        const handler = (message: unknown) => {
          const parsed = ConsumersMessageSchema.safeParse(message);
          if (parsed.success) listener(parsed.data.consumers);
        };
        socket.on('consumers', handler);
        return () => socket.off('consumers', handler);
      },
    };

    function closeSession(): void {
      sessionRef.current?.close();
      sessionRef.current = null;
    }

    /** Lets go of the media session, microphone and camera (another window may need them). */
    function releaseMedia(): void {
      closeSession();
      receivedRef.current.clear();
      callAudio.retain([]);
      setVideos({});
      micRef.current?.stop();
      micRef.current = null;
      cameraRef.current?.stop();
      cameraRef.current = null;
      setLocalVideo(null);
      mutedRef.current = { ...mutedRef.current, video: true };
      setMuted(mutedRef.current);
    }

    async function connectMedia(media: MediaNegotiation | null): Promise<void> {
      closeSession();
      receivedRef.current.clear();
      if (!media) return;
      const session: MediaSession = createMediaSession(media, {
        signalling,
        iceServers: iceServersRef.current,
        listener: {
          track: (mid, track) => {
            if (sessionRef.current !== session) return;
            receivedRef.current.set(mid, track);
            syncTracks(callAudio);
          },
          // The media connection gave up while signalling holds: a new one in the same place.
          // (When the socket is down too, its reconnection joins again.)
          failed: () => {
            if (sessionRef.current === session && !disposed && socket.connected) void restartMedia();
          },
        },
      });
      sessionRef.current = session;
      const mic = await microphone();
      await session.start({ microphone: mic, camera: cameraRef.current });
    }

    /** Takes the routing of a new media connection: its tracks are new, its plan the current one. */
    function takeRouting(routing: ListenerRouting | null): void {
      // Versions are only comparable within one connection (a restarted server counts anew).
      routingRef.current = null;
      if (routing) applyRouting(routing, callAudio);
    }

    async function join(ticket: CallTicket, made: number): Promise<void> {
      iceServersRef.current = ticket.iceServers;
      const result = await emitWithAck<JoinResult>(
        socket,
        (ack) => socket.emit('join', { token: ticket.token }, ack),
        STEP_ANSWER_TIMEOUT_MS,
      );
      if (stale(made)) return;
      setParticipantId(result.participantId);
      setState(result.state);
      takeRouting(result.routing);
      // The server keeps the place's mute state (another window's, say); this page's is what it sends.
      socket.emit('setMuted', mutedRef.current, () => undefined);
      await connectMedia(result.media);
      if (!stale(made)) {
        retries = 0;
        setPhase('in-call');
      }
    }

    /** What a failed join or media restart leads to (callRecovery decides; this carries it out). */
    function recover(step: 'join' | 'restartMedia', err: unknown, retry: () => void): void {
      const code = codeOf(err);
      switch (recoveryAfter(step, code)) {
        case 'ended':
          endedRef.current = true;
          setPhase('ended');
          break;
        case 'failed':
          setFailure({ code: code as ErrorCode, message: (err as Error).message });
          setPhase('failed');
          break;
        case 'retry': {
          // Only for the connection it was made on; backing off, so a fault that keeps failing
          // (a browser error with no code) does not rebuild the server's media every 2 s.
          const made = connection;
          const delay = Math.min(RETRY_MS * 2 ** retries, MAX_RETRY_MS);
          retries++;
          setTimeout(() => {
            if (!stale(made)) retry();
          }, delay);
          break;
        }
        case 'newConnection':
          newConnection();
          break;
      }
    }

    /** Starts over on a new signalling connection; its 'connect' joins again. */
    function newConnection(): void {
      socket.disconnect();
      socket.connect();
    }

    async function rejoin(): Promise<void> {
      if (endedRef.current || disposed || replacedRef.current || !socket.connected) return;
      const made = connection;
      if (joiningOn === made) return;
      joiningOn = made;
      setPhase((phase) => (phase === 'joining' ? phase : 'reconnecting'));
      try {
        const fresh = unusedTicketRef.current ?? (await getTicket());
        unusedTicketRef.current = null;
        if (stale(made)) return;
        await join(fresh, made);
      } catch (err) {
        if (!stale(made)) recover('join', err, () => void rejoin());
      } finally {
        if (joiningOn === made) joiningOn = null;
      }
    }

    /** A new media connection on this socket, in the same place (seat, routing, sidebar). */
    async function restartMedia(): Promise<void> {
      // Not while a join is under way on this socket: its offer brings a new connection anyway.
      if (restarting || joiningOn !== null || endedRef.current || disposed || replacedRef.current) return;
      if (!socket.connected) return;
      const made = connection;
      restarting = true;
      setPhase('reconnecting');
      try {
        const result = await emitWithAck<MediaRestartResult>(
          socket,
          (ack) => socket.emit('restartMedia', {}, ack),
          STEP_ANSWER_TIMEOUT_MS,
        );
        if (stale(made)) return;
        setState(result.state);
        takeRouting(result.routing);
        await connectMedia(result.media);
        if (!stale(made)) {
          retries = 0;
          setPhase('in-call');
        }
      } catch (err) {
        if (!stale(made)) recover('restartMedia', err, () => void restartMedia());
      } finally {
        restarting = false;
      }
    }

    socket.on('connect', () => {
      connection++;
      void rejoin();
    });
    socket.on('disconnect', (reason) => {
      if (endedRef.current || disposed || replacedRef.current) return;
      setPhase('reconnecting');
      // socket.io does not reconnect by itself after the server closed the connection; the server
      // only does so when it replaces us, and says so first ('replaced'). Anything else: come back.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', () => {
      if (!endedRef.current && !disposed && !replacedRef.current) setPhase('reconnecting');
    });
    socket.on('replaced', () => {
      if (endedRef.current || disposed) return;
      replacedRef.current = true;
      setPhase('replaced');
      releaseMedia();
    });
    socket.on('state', (next) => {
      setState((previous) => {
        const before = new Set(
          previous?.participants.filter((p) => p.status === 'connected').map((p) => p.participantId),
        );
        const arrived = next.participants.some(
          (p) => p.status === 'connected' && !before.has(p.participantId),
        );
        if (previous && arrived && role === 'INTERPRETER') callAudio.chime();
        return next;
      });
    });
    socket.on('routing', (next) => applyRouting(next, callAudio));
    // The server's engine lost our media connection (a worker died): a new one now, same place.
    socket.on('mediaLost', () => void restartMedia());
    socket.on('pleasePause', () => setPauseRequestedAt(Date.now()));
    // The last 50 notes, in memory only: a reload or the end of the call forgets them.
    socket.on('backChannel', (note) => {
      setBackChannelNotes((notes) => [...notes.slice(-49), note]);
      callAudio.chime();
    });
    socket.on('bothLive', () => {
      setBothLiveWarnedAt(Date.now());
      callAudio.chime();
    });
    socket.on('timeWarning', () => setTimeWarning(true));
    socket.on('ended', ({ reason }) => {
      endedRef.current = true;
      setEndedReason(reason);
      setPhase('ended');
      closeSession();
    });

    // Tests and support read what the page receives; nothing here can change the call.
    (window as unknown as { parleyCall?: unknown }).parleyCall = {
      audio: callAudio,
      routing: () => routingRef.current,
      /** The media session's kind and state; null while there is none (left, replaced, ended). */
      media: () => {
        const session = sessionRef.current;
        return session ? { kind: session.kind, connectionState: session.connectionState() } : null;
      },
      receiveStats: () => sessionRef.current?.receiveStats() ?? Promise.resolve(null),
      /** The `sdp` kind's one peer connection (the join benchmark reads its states). */
      peerConnection: () =>
        sessionRef.current instanceof SdpSession ? sessionRef.current.peerConnection : null,
    };

    return () => {
      disposed = true;
      socket.removeAllListeners();
      socket.disconnect();
      closeSession();
      micRef.current?.stop();
      cameraRef.current?.stop();
      callAudio.close();
    };
  }, [firstTicket, getTicket, role, applyRouting, syncTracks]);

  const sendMuted = useCallback((next: { audio: boolean; video: boolean }) => {
    mutedRef.current = next;
    setMuted(next);
    socketRef.current?.emit('setMuted', next, () => undefined);
  }, []);

  const toggleAudio = useCallback(() => {
    const next = { ...mutedRef.current, audio: !mutedRef.current.audio };
    if (micRef.current) micRef.current.enabled = !next.audio;
    sendMuted(next);
  }, [sendMuted]);

  const toggleVideo = useCallback(async () => {
    const turningOn = mutedRef.current.video;
    if (turningOn) {
      try {
        const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 640, height: 360 } });
        cameraRef.current = stream.getVideoTracks()[0] ?? null;
        setLocalVideo(stream);
      } catch {
        setFailure({ code: 'MEDIA_DENIED', message: 'The camera could not be started' });
        return;
      }
    } else {
      cameraRef.current?.stop();
      cameraRef.current = null;
      setLocalVideo(null);
    }
    await sessionRef.current?.replaceTrack('camera', cameraRef.current);
    sendMuted({ ...mutedRef.current, video: !turningOn });
  }, [sendMuted]);

  const takeBack = useCallback(() => {
    const socket = socketRef.current;
    if (!socket || !replacedRef.current) return;
    replacedRef.current = false;
    setFailure(null);
    setPhase('joining');
    // The server closed this page's connection; a new one joins with a fresh ticket.
    socket.connect();
  }, []);

  const rejoin = useCallback(() => {
    const socket = socketRef.current;
    if (!socket) return;
    // A new signalling connection joins with a fresh ticket ('connect' -> rejoin in the effect).
    socket.disconnect();
    endedRef.current = false;
    setFailure(null);
    setPhase('joining');
    socket.connect();
  }, []);

  const command = useCallback(
    <
      K extends
        | 'setInterpretation'
        | 'setSidebar'
        | 'pleasePause'
        | 'acknowledgePause'
        | 'leave'
        | 'endCall'
        | 'setInterpreterInput'
        | 'setInterpreterOutput'
        | 'handover'
        | 'backChannel'
        | 'setOriginalLevel',
    >(
      event: K,
      message: Parameters<ClientToServerEvents[K]>[0],
    ): Promise<void> => {
      const socket = socketRef.current;
      if (!socket) return Promise.resolve();
      return emitWithAck<null>(socket, (ack) => {
        (socket.emit as (e: string, m: unknown, a: unknown) => void)(event, message, ack);
      }).then(() => undefined);
    },
    [],
  );

  return {
    phase,
    failure,
    participantId,
    state,
    routing,
    endedReason,
    muted,
    videos,
    localVideo,
    pauseRequestedAt,
    timeWarning,
    toggleAudio,
    toggleVideo,
    setInterpretation: (mode, renderingInto) => command('setInterpretation', { mode, renderingInto }),
    setSidebar: (active) => command('setSidebar', { active }),
    pleasePause: (speakerId) => command('pleasePause', speakerId ? { speakerId } : {}),
    acknowledgePause: (requestId) => command('acknowledgePause', { requestId }),
    setInterpreterInput: (input) => command('setInterpreterInput', { input }),
    setInterpreterOutput: (renderingInto) => command('setInterpreterOutput', { renderingInto }),
    handover: (action) => command('handover', { action }),
    sendBackChannel: async (text) => {
      await command('backChannel', { text });
      // What this interpreter wrote, beside what the others did (the server sends it to them only).
      setBackChannelNotes((notes) => [
        ...notes.slice(-49),
        { fromParticipantId: participantId ?? '', text, sentAt: new Date().toISOString() },
      ]);
    },
    backChannelNotes,
    bothLiveWarnedAt,
    setOriginalLevel: (level) => command('setOriginalLevel', { level }),
    leave: async () => {
      endedRef.current = true;
      await command('leave', {}).catch(() => undefined);
      // Left, not ended: the others carry on. Microphone and camera are let go of until a rejoin.
      sessionRef.current?.close();
      sessionRef.current = null;
      micRef.current?.stop();
      micRef.current = null;
      cameraRef.current?.stop();
      cameraRef.current = null;
      setLocalVideo(null);
      mutedRef.current = { ...mutedRef.current, video: true };
      setMuted(mutedRef.current);
      setPhase((phase) => (phase === 'ended' ? phase : 'left'));
    },
    endCall: () => command('endCall', {}),
    takeBack,
    rejoin,
  };
}
