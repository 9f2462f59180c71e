import { beforeAll, describe, expect, it } from 'vitest';
import { i18n, startI18n } from '../i18n/i18n.ts';
import { rolesSentence } from './CallHeader.tsx';

beforeAll(async () => {
  await startI18n('en');
  await i18n.loadLanguages(['en', 'es']);
  await i18n.loadNamespaces(['call']);
});

describe('who the call waits for, as one sentence in the reader’s language', () => {
  it('joins the roles as English does', () => {
    const t = i18n.getFixedT('en', 'call');
    expect(rolesSentence(t, 'en', 'header.waitingFor', ['INTERPRETER'])).toBe('Waiting for the interpreter');
    expect(rolesSentence(t, 'en', 'header.waitingFor', ['CLIENT', 'INTERPRETER'])).toBe(
      'Waiting for the client and interpreter',
    );
    expect(rolesSentence(t, 'en', 'header.waitingFor', ['ATTORNEY', 'CLIENT', 'INTERPRETER'])).toBe(
      'Waiting for the attorney, client, and interpreter',
    );
    expect(rolesSentence(t, 'en', 'header.reconnecting', ['CLIENT'])).toBe('The client is reconnecting');
    expect(rolesSentence(t, 'en', 'header.reconnecting', ['CLIENT', 'ATTORNEY'])).toBe(
      'The client and attorney are reconnecting',
    );
  });

  it('agrees the Spanish verb with the count and gives every role its article', () => {
    const t = i18n.getFixedT('es', 'call');
    expect(rolesSentence(t, 'es', 'header.waitingFor', ['INTERPRETER'])).toBe('Falta el intérprete');
    expect(rolesSentence(t, 'es', 'header.waitingFor', ['CLIENT', 'INTERPRETER'])).toBe(
      'Faltan el cliente y el intérprete',
    );
    expect(rolesSentence(t, 'es', 'header.waitingFor', ['ATTORNEY', 'CLIENT', 'INTERPRETER'])).toBe(
      'Faltan el abogado, el cliente y el intérprete',
    );
    expect(rolesSentence(t, 'es', 'header.reconnecting', ['CLIENT'])).toBe('Reconectando: el cliente');
  });
});
