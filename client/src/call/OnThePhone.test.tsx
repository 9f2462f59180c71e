import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { CallParticipantView } from '@parley/shared';
import { isOnThePhone, OnThePhone } from './OnThePhone.tsx';

const person = (device: CallParticipantView['device']): CallParticipantView => ({
  participantId: 'p1',
  role: 'ATTORNEY',
  displayName: 'Dana Attorney',
  device,
  status: 'connected',
  muted: { audio: false, video: true },
  quality: null,
});

describe('a participant on the phone', () => {
  it('is marked by the device the server seated them with, and only that', () => {
    expect(isOnThePhone(person('PHONE'))).toBe(true);
    expect(isOnThePhone(person('BROWSER'))).toBe(false);
    expect(isOnThePhone(person('KIOSK'))).toBe(false);
  });

  it('call screen: a handset hidden from screen readers, and the words', () => {
    const html = renderToStaticMarkup(<OnThePhone label="On the phone" iconOnly={false} />);
    expect(html).toContain('aria-hidden="true"');
    expect(html).not.toContain('aria-label');
    expect(html.replace(/<[^>]+>/g, '').trim()).toBe('On the phone');
  });

  it('kiosk: the handset alone, named for screen readers in the client’s language', () => {
    const html = renderToStaticMarkup(<OnThePhone label="Por teléfono" iconOnly />);
    expect(html).toContain('role="img"');
    expect(html).toContain('aria-label="Por teléfono"');
    expect(html.replace(/<[^>]+>/g, '').trim()).toBe('');
  });
});
