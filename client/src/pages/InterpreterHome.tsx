import { findLanguage } from '@parley/shared';
import { useSession } from '../api/useSession.ts';
import { ConsultationList } from '../components/schedule/ConsultationList.tsx';

export function InterpreterHome() {
  const user = useSession();
  if (!user) return null;
  return (
    <div className="page">
      <h1>Welcome, {user.name.split(' ')[0]}</h1>
      <section className="panel">
        <h2>Your languages</h2>
        <ul className="chips" aria-label="Your languages">
          {user.languages.map((code) => {
            const language = findLanguage(code);
            return (
              <li key={code} className="chip" lang={code} dir={language?.direction}>
                {language ? `${language.englishName} · ${language.nativeName}` : code}
              </li>
            );
          })}
        </ul>
        <p className="muted small">Times are shown in {user.timeZone.replace('_', ' ')}.</p>
      </section>
      <ConsultationList title="Your calls" canCancel={false} />
    </div>
  );
}
