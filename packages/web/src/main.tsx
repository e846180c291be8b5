import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { getKey, loadConfig, setKey } from './api';
import { Alerts } from './pages/alerts';
import { IncidentDetail, Incidents } from './pages/incidents';
import { Logs } from './pages/logs';
import { Metrics } from './pages/metrics';
import { OnCall } from './pages/oncall';
import { Overview } from './pages/overview';
import { SignIn } from './pages/signin';
import './styles.css';

const PAGES = [
  ['overview', 'Overview'],
  ['metrics', 'Metrics'],
  ['logs', 'Logs'],
  ['alerts', 'Alerts'],
  ['incidents', 'Incidents'],
  ['oncall', 'On-call'],
] as const;

function parseHash(): { page: string; id?: string; params: URLSearchParams } {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  const [page, id] = path.split('/');
  return { page: page || 'overview', id, params: new URLSearchParams(query) };
}

/** A one-time sign-in link (`#/signin?key=…`) stores the key and removes it from the address bar. */
function consumeSignInLink(): void {
  const { page, params } = parseHash();
  const key = params.get('key');
  if (page === 'signin' && key) {
    setKey(key);
    history.replaceState(null, '', `${location.pathname}#/overview`);
  }
}

function App() {
  const [route, setRoute] = useState(parseHash());
  const [signedIn, setSignedIn] = useState(Boolean(getKey()));
  useEffect(() => {
    const onChange = () => setRoute(parseHash());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  const page = route.page;
  return (
    <>
      <header>
        <a class="brand" href="#/overview">
          Vigil
        </a>
        <nav aria-label="Main">
          {PAGES.map(([id, label]) => (
            <a key={id} href={`#/${id}`} aria-current={page === id ? 'page' : undefined}>
              {label}
            </a>
          ))}
        </nav>
        <button
          type="button"
          class="signout"
          onClick={() => {
            setKey(null);
            setSignedIn(false);
          }}
        >
          Sign out
        </button>
      </header>
      <main>
        {page === 'overview' && <Overview />}
        {page === 'metrics' && <Metrics params={route.params} />}
        {page === 'logs' && <Logs params={route.params} />}
        {page === 'alerts' && <Alerts />}
        {page === 'incidents' && (route.id ? <IncidentDetail id={route.id} /> : <Incidents />)}
        {page === 'oncall' && <OnCall />}
      </main>
    </>
  );
}

consumeSignInLink();
loadConfig().then(() => render(<App />, document.getElementById('app')!));
