import { render } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { getKey, loadConfig, setKey } from './api';
import { Alerts } from './pages/alerts';
import { Executive } from './pages/executive';
import { IncidentDetail, Incidents } from './pages/incidents';
import { Logs } from './pages/logs';
import { Metrics } from './pages/metrics';
import { OnCall } from './pages/oncall';
import { Overview } from './pages/overview';
import { Reports, ReportView } from './pages/reports';
import { SignIn } from './pages/signin';
import './styles.css';

const PAGES = [
  ['overview', 'Overview'],
  ['executive', 'Executive'],
  ['metrics', 'Metrics'],
  ['logs', 'Logs'],
  ['alerts', 'Alerts'],
  ['incidents', 'Incidents'],
  ['oncall', 'On-call'],
  ['reports', 'Reports'],
] as const;

function parseHash(): { page: string; id?: string; params: URLSearchParams } {
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  const [page, id] = path.split('/');
  return { page: page || 'overview', id, params: new URLSearchParams(query) };
}

/**
 * A one-time sign-in link (`#/signin?key=…`) stores the key and removes it from the address bar.
 * Returns whether the address was such a link.
 */
function consumeSignInLink(): boolean {
  const { page, params } = parseHash();
  const key = params.get('key');
  if (page !== 'signin' || !key) return false;
  setKey(key);
  history.replaceState(null, '', `${location.pathname}#/overview`);
  return true;
}

function Page({ route }: { route: ReturnType<typeof parseHash> }) {
  switch (route.page) {
    case 'overview':
      return <Overview />;
    case 'executive':
      return <Executive />;
    case 'metrics':
      return <Metrics params={route.params} />;
    case 'logs':
      return <Logs params={route.params} />;
    case 'alerts':
      return <Alerts />;
    case 'incidents':
      return route.id ? <IncidentDetail id={route.id} /> : <Incidents />;
    case 'oncall':
      return <OnCall />;
    case 'reports':
      return route.id ? <ReportView id={route.id} /> : <Reports />;
    default:
      return (
        <p class="error" role="alert">
          There is no page “{route.page}”. <a href="#/overview">Go to the overview</a>.
        </p>
      );
  }
}

function App() {
  const [route, setRoute] = useState(parseHash());
  const [signedIn, setSignedIn] = useState(Boolean(getKey()));
  const heading = useRef<HTMLHeadingElement>(null);
  const shown = useRef(`${route.page}/${route.id ?? ''}`);
  useEffect(() => {
    // The sign-in link may also be opened in a tab that already shows the dashboard.
    const onChange = () => {
      if (consumeSignInLink()) setSignedIn(true);
      setRoute(parseHash());
    };
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  const title = PAGES.find(([id]) => id === route.page)?.[1] ?? 'Not found';
  useEffect(() => {
    document.title = `${title} · Vigil`;
    // After moving to another page, start keyboard and screen-reader users at its heading;
    // a change of query string only (a new search) leaves focus where it is.
    const now = `${route.page}/${route.id ?? ''}`;
    if (shown.current !== now) heading.current?.focus();
    shown.current = now;
  }, [route.page, route.id, title]);
  if (!signedIn) return <SignIn onSignedIn={() => setSignedIn(true)} />;
  return (
    <>
      <button type="button" class="skip" onClick={skipToMain}>
        Skip to content
      </button>
      <header>
        <a class="brand" href="#/overview">
          Vigil
        </a>
        <nav aria-label="Main">
          {PAGES.map(([id, label]) => (
            <a key={id} href={`#/${id}`} aria-current={route.page === id ? 'page' : undefined}>
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
      <main id="main" tabIndex={-1}>
        <h1 ref={heading} tabIndex={-1}>
          {title}
        </h1>
        <Page route={route} />
      </main>
    </>
  );
}

/** "Skip to content" moves focus to the page heading (a link would change the hash, which holds the route). */
function skipToMain() {
  document.querySelector<HTMLElement>('main h1')?.focus();
}

consumeSignInLink();
loadConfig().then(() => render(<App />, document.getElementById('app')!));
