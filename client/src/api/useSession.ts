import { useSyncExternalStore } from 'react';
import type { SessionUser } from '@parley/shared';
import { currentUser, onSessionChange } from './http.ts';

/** The signed-in user, re-rendering when they sign in, out, or their session ends. */
export function useSession(): SessionUser | null {
  return useSyncExternalStore(
    (notify) => onSessionChange(() => notify()),
    currentUser,
    () => null,
  );
}
